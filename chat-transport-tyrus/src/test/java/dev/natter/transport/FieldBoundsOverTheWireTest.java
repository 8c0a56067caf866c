package dev.natter.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Finding 7 and the codec's part of finding 11 (issue 12), through a real server: an oversized
 * field is refused and never echoed, over the WebSocket and over HTTP; HTTP bodies refuse duplicate
 * keys like frames do, and no error names the JSON library.
 */
class FieldBoundsOverTheWireTest {

  @Test
  void aFiftyThousandCharacterIdIsRefusedWithoutEchoAndTheSocketStaysUsable() {
    try (TestServer t = TestServer.start()) {
      TestServer.Account alice = t.register("alice");
      String room = t.createRoom(alice, "general", "public");
      Ws ws = t.connect(alice);
      String id = "7".repeat(50_000);

      ws.send(
          "{\"type\":\"send\",\"id\":\""
              + id
              + "\",\"room\":\""
              + room
              + "\",\"clientMsgId\":\"c-1\",\"body\":\"hi\"}");
      JsonNode error = ws.next("error");
      assertThat(error.has("id")).isFalse();
      assertThat(error.path("code").asText()).isEqualTo("bad_request");
      assertThat(error.path("message").asText())
          .isEqualTo("\"id\" is longer than 64 characters (50000)");
      assertThat(error.toString()).hasSizeLessThan(200);

      ws.send(
          "{\"type\":\"send\",\"id\":\"2\",\"room\":\""
              + room
              + "\",\"clientMsgId\":\""
              + "c".repeat(65)
              + "\",\"body\":\"hi\"}");
      JsonNode tooLong = ws.next("error");
      assertThat(tooLong.path("id").asText()).isEqualTo("2");
      assertThat(tooLong.path("message").asText()).startsWith("\"clientMsgId\" is longer than 64");
      ws.expectNo("message", Duration.ofMillis(200)); // nothing was stored

      ws.send(
          "{\"type\":\"send\",\"id\":\"3\",\"room\":\""
              + room
              + "\",\"clientMsgId\":\"c-3\",\"body\":\"still here\"}");
      assertThat(ws.next("ack").path("id").asText()).isEqualTo("3");
    }
  }

  @Test
  void httpBodiesRefuseDuplicateKeysWithoutJacksonInternals() {
    try (TestServer t = TestServer.start()) {
      TestServer.Account alice = t.register("alice");
      HttpResponse<String> dup =
          t.post(
              "/api/rooms",
              alice.token(),
              "{\"name\":\"a\",\"name\":\"b\",\"visibility\":\"public\"}");
      TestServer.assertError(dup, 400, "bad_request");
      assertThat(TestServer.json(dup).path("error").path("message").asText())
          .startsWith("malformed JSON: Duplicate")
          .doesNotContainIgnoringCase("jackson")
          .doesNotContain("`")
          .doesNotContain("Source");
      assertThat(t.get("/api/rooms", alice.token()).body()).isEqualTo("[]");

      HttpResponse<String> broken = t.post("/api/dms", alice.token(), "{\"username\": tru");
      TestServer.assertError(broken, 400, "bad_request");
      assertThat(TestServer.json(broken).path("error").path("message").asText())
          .doesNotContainIgnoringCase("jackson")
          .doesNotContain("`")
          .doesNotContain("Source");
    }
  }

  @Test
  void oversizedHttpFieldsQueriesAndPathSegmentsAreRefusedWithoutEcho() {
    try (TestServer t = TestServer.start()) {
      TestServer.Account alice = t.register("alice");
      String big = "Z".repeat(5_000);

      HttpResponse<String> login =
          t.post("/api/login", null, "{\"username\":\"" + big + "\",\"password\":\"x\"}");
      TestServer.assertError(login, 400, "bad_request");
      assertThat(login.body()).doesNotContain("ZZ");
      assertThat(message(login)).startsWith("\"username\" is longer than 64");

      HttpResponse<String> search = t.get("/api/search?q=" + big, alice.token());
      TestServer.assertError(search, 400, "bad_request");
      assertThat(search.body()).doesNotContain("ZZ");

      HttpResponse<String> room = t.get("/api/rooms/" + "r".repeat(65), alice.token());
      TestServer.assertError(room, 400, "bad_request");
      assertThat(room.body()).doesNotContain("rrr");
      assertThat(message(room)).startsWith("\"room\" is longer than 64");

      HttpResponse<String> page =
          t.get("/api/rooms/" + "x" + "/messages?limit=1001", alice.token());
      TestServer.assertError(page, 400, "bad_request");
      assertThat(message(page)).isEqualTo("\"limit\" must be from 1 to 1000");
    }
  }

  private static String message(HttpResponse<String> r) {
    return TestServer.json(r).path("error").path("message").asText();
  }
}
