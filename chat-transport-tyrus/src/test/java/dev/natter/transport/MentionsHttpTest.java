package dev.natter.transport;

import static dev.natter.transport.TestServer.assertError;
import static dev.natter.transport.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.natter.transport.TestServer.Account;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Mentions and notification levels on a real server: resolved at send and edit, carried by {@code
 * message} and {@code messageUpdated}, counted in {@code roomSummary.mentions}; the level set with
 * {@code PUT /api/rooms/{id}/notify} and told to every connection of the user.
 */
@Timeout(60)
class MentionsHttpTest {
  TestServer t;
  Account alice;
  Account bob;
  Account carol;
  Account dave;
  String general;

  @BeforeEach
  void start() {
    t = TestServer.start();
    alice = t.register("alice");
    bob = t.register("bob");
    carol = t.register("carol");
    dave = t.register("dave");
    general = t.createRoom(alice, "general", "private", "bob", "carol");
  }

  @AfterEach
  void stop() {
    t.close();
  }

  /** Sends from a socket and returns the {@code message} event the sender's socket got. */
  private static JsonNode send(Ws ws, String room, String body) {
    String clientMsgId = UUID.randomUUID().toString();
    ws.send(
        "{\"type\":\"send\",\"id\":\"s-"
            + clientMsgId
            + "\",\"room\":\""
            + room
            + "\",\"clientMsgId\":\""
            + clientMsgId
            + "\",\"body\":\""
            + body
            + "\"}");
    ws.next("ack", a -> a.path("clientMsgId").asText().equals(clientMsgId));
    return ws.next("message", m -> m.path("clientMsgId").asText().equals(clientMsgId));
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private JsonNode room(Account who) {
    HttpResponse<String> r = t.get("/api/rooms/" + general, who.token());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return json(r);
  }

  private HttpResponse<String> setLevel(Account who, String room, String body) {
    return t.put("/api/rooms/" + room + "/notify", who.token(), body);
  }

  @Test
  void mentionsAreResolvedAtSendAndShownInEveryRead() {
    Ws alices = t.connect(alice);
    Ws bobs = t.connect(bob);

    JsonNode sent = send(alices, general, "@bob, @dave and email@carol.org: apples");

    assertThat(texts(sent.path("mentions"))).containsExactly(bob.id());
    JsonNode received = bobs.next("message", m -> m.path("body").asText().contains("apples"));
    assertThat(texts(received.path("mentions"))).containsExactly(bob.id());
    JsonNode page = json(t.get("/api/rooms/" + general + "/messages", bob.token()));
    assertThat(texts(page.path("messages").get(0).path("mentions"))).containsExactly(bob.id());
    JsonNode hits = json(t.get("/api/search?q=apples", bob.token()));
    assertThat(texts(hits.get(0).path("mentions"))).containsExactly(bob.id());
    assertThat(texts(room(bob).path("lastMessage").path("mentions"))).containsExactly(bob.id());

    JsonNode all = send(bobs, general, "@room lunch?");
    assertThat(texts(all.path("mentions"))).containsExactly(alice.id(), carol.id());
  }

  @Test
  void anEditAddsAndRemovesMentionsAndTheUpdateCarriesThem() {
    Ws alices = t.connect(alice);
    Ws carols = t.connect(carol);
    JsonNode sent = send(alices, general, "hello");
    String messageId = sent.path("messageId").asText();

    alices.send(
        "{\"type\":\"edit\",\"id\":\"e1\",\"room\":\""
            + general
            + "\",\"messageId\":\""
            + messageId
            + "\",\"body\":\"hello @carol\"}");
    JsonNode added =
        carols.next("messageUpdated", u -> u.path("body").asText().equals("hello @carol"));
    assertThat(texts(added.path("mentions"))).containsExactly(carol.id());
    assertThat(room(carol).path("mentions").asLong()).isEqualTo(1);

    alices.send(
        "{\"type\":\"edit\",\"id\":\"e2\",\"room\":\""
            + general
            + "\",\"messageId\":\""
            + messageId
            + "\",\"body\":\"hello all\"}");
    JsonNode removed =
        carols.next("messageUpdated", u -> u.path("body").asText().equals("hello all"));
    assertThat(removed.path("mentions").isArray()).isTrue();
    assertThat(texts(removed.path("mentions"))).isEmpty();
    assertThat(room(carol).path("mentions").asLong()).isZero();
  }

  @Test
  void theMentionCountIsTheMentionedMembersOnlyAndDropsAfterReadAndDelete() {
    Ws alices = t.connect(alice);
    Ws bobs = t.connect(bob);
    send(alices, general, "@bob one");
    JsonNode second = send(alices, general, "@bob two");
    send(alices, general, "three");

    assertThat(room(bob).path("mentions").asLong()).isEqualTo(2);
    assertThat(room(bob).path("unread").asLong()).isEqualTo(3);
    assertThat(room(carol).path("mentions").asLong()).isZero();
    assertThat(room(alice).path("mentions").asLong()).isZero();
    JsonNode rooms = json(t.get("/api/rooms", bob.token()));
    assertThat(rooms.get(0).path("mentions").asLong()).isEqualTo(2);
    assertThat(readyOf(bob).path("rooms").get(0).path("mentions").asLong()).isEqualTo(2);

    bobs.send("{\"type\":\"read\",\"room\":\"" + general + "\",\"seq\":1}");
    bobs.next("read", r -> r.path("seq").asLong() == 1);
    assertThat(room(bob).path("mentions").asLong()).isEqualTo(1);

    alices.send(
        "{\"type\":\"delete\",\"id\":\"d1\",\"room\":\""
            + general
            + "\",\"messageId\":\""
            + second.path("messageId").asText()
            + "\"}");
    alices.next("ok", o -> o.path("id").asText().equals("d1"));
    assertThat(room(bob).path("mentions").asLong()).isZero();
  }

  @Test
  void theLevelIsSetPersistedAndSyncedToMyOtherConnections() {
    Ws bobsLaptop = t.connect(bob);
    Account bobsPhoneSession = login(bob);
    Ws bobsPhone = t.connect(bobsPhoneSession);
    Ws alices = t.connect(alice);
    assertThat(room(bob).path("notify").asText()).isEqualTo("all");

    HttpResponse<String> r = setLevel(bob, general, "{\"level\":\"mentions\"}");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(json(r).path("id").asText()).isEqualTo(general);
    assertThat(json(r).path("notify").asText()).isEqualTo("mentions");
    for (Ws device : List.of(bobsLaptop, bobsPhone)) {
      JsonNode told =
          device.next("room", e -> e.path("room").path("notify").asText().equals("mentions"));
      assertThat(told.path("room").path("id").asText()).isEqualTo(general);
    }
    alices.expectNo("room", Duration.ofMillis(300));
    assertThat(room(bob).path("notify").asText()).isEqualTo("mentions");
    assertThat(room(alice).path("notify").asText()).isEqualTo("all");
    assertThat(readyOf(bob).path("rooms").findValuesAsText("notify")).containsExactly("mentions");

    assertThat(setLevel(bob, general, "{\"level\":\"none\"}").statusCode()).isEqualTo(200);
    assertThat(room(bob).path("notify").asText()).isEqualTo("none");
    String dm = t.openDm(alice, bob);
    assertThat(json(t.get("/api/rooms/" + dm, bob.token())).path("notify").asText())
        .isEqualTo("all");
  }

  @Test
  void badLevelsNonMembersAndUnknownRoomsAreRefused() {
    assertError(setLevel(bob, general, "{\"level\":\"loud\"}"), 400, "bad_request");
    assertThat(
            json(setLevel(bob, general, "{\"level\":\"loud\"}"))
                .path("error")
                .path("message")
                .asText())
        .isEqualTo("level must be \"all\", \"mentions\" or \"none\"");
    assertError(setLevel(bob, general, "{\"level\":\"ALL\"}"), 400, "bad_request");
    assertError(setLevel(bob, general, "{}"), 400, "bad_request");
    assertError(setLevel(bob, general, "{\"level\":1}"), 400, "bad_request");
    assertError(setLevel(dave, general, "{\"level\":\"none\"}"), 403, "forbidden");
    assertError(setLevel(bob, "nope", "{\"level\":\"none\"}"), 404, "not_found");
    assertError(
        t.put("/api/rooms/" + general + "/notify", null, "{\"level\":\"none\"}"),
        401,
        "unauthorized");
    assertError(t.get("/api/rooms/" + general + "/notify", bob.token()), 405, "bad_request");
    assertThat(room(bob).path("notify").asText()).isEqualTo("all");
  }

  /** The {@code ready} frame of a new connection of {@code who}. */
  private JsonNode readyOf(Account who) {
    Ws ws = Ws.connect(t.http, t.wsUri(), List.of("Authorization", "Bearer " + who.token()), true);
    try {
      return ws.next("ready");
    } finally {
      ws.close();
    }
  }

  private Account login(Account who) {
    HttpResponse<String> r =
        t.post(
            "/api/login",
            null,
            "{\"username\":\"" + who.username() + "\",\"password\":\"correct horse battery\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new Account(who.id(), who.username(), json(r).path("token").asText());
  }
}
