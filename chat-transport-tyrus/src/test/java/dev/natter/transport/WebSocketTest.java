package dev.natter.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.natter.core.protocol.CloseCode;
import dev.natter.transport.TestServer.Account;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebSocketTest {
  TestServer t;
  Account alice;
  Account bob;

  @BeforeEach
  void start() {
    t = TestServer.start();
    alice = t.register("alice");
    bob = t.register("bob");
  }

  @AfterEach
  void stop() {
    t.close();
  }

  @Test
  void handshakeWithoutSessionIsRefusedWith401() {
    assertThat(Ws.attempt(t.http, t.wsUri(), List.of(), true).refusedStatus()).isEqualTo(401);
    assertThat(
            Ws.attempt(t.http, t.wsUri(), List.of("Authorization", "Bearer nope"), true)
                .refusedStatus())
        .isEqualTo(401);
    assertThat(
            Ws.attempt(t.http, t.wsUri(), List.of("Cookie", "natter_session=nope"), true)
                .refusedStatus())
        .isEqualTo(401);
  }

  @Test
  void handshakeFromAForeignOriginIsRefusedWith403() {
    Ws.Attempt a =
        Ws.attempt(
            t.http,
            t.wsUri(),
            List.of("Authorization", "Bearer " + alice.token(), "Origin", "http://evil.example"),
            true);
    assertThat(a.refusedStatus()).isEqualTo(403);
  }

  @Test
  void configuredOriginsAreExactAndNormalized() {
    t.close();
    t =
        TestServer.start(
            e -> {},
            s -> s.allowedOrigins(List.of("HTTPS://Chat.Example.org/", "http://a.test:8080")));
    alice = t.register("alice");
    assertThat(t.server.allowedOrigins())
        .containsExactlyInAnyOrder("https://chat.example.org", "http://a.test:8080");
    List<String> auth = List.of("Authorization", "Bearer " + alice.token());
    java.util.function.Function<String, Integer> tryOrigin =
        origin -> {
          List<String> headers = new java.util.ArrayList<>(auth);
          headers.addAll(List.of("Origin", origin));
          Ws.Attempt a = Ws.attempt(t.http, t.wsUri(), headers, true);
          if (a.ws() != null) {
            a.ws().abort();
          }
          return a.refusedStatus();
        };
    assertThat(tryOrigin.apply("https://chat.example.org")).isZero();
    assertThat(tryOrigin.apply("http://a.test:8080")).isZero();
    assertThat(tryOrigin.apply("http://chat.example.org")).isEqualTo(403);
    assertThat(tryOrigin.apply("https://chat.example.org.evil.test")).isEqualTo(403);
    assertThat(tryOrigin.apply(t.origin())).isEqualTo(403); // the default is replaced
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> NatterServer.builder(t.engine).allowedOrigins(List.of("https://x.test/path")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void handshakeWithCookieOrBearerIsAccepted() {
    Ws byCookie =
        Ws.connect(
            t.http,
            t.wsUri(),
            List.of("Cookie", "theme=dark; natter_session=" + alice.token(), "Origin", t.origin()),
            true);
    JsonNode ready = byCookie.next("ready");
    assertThat(ready.path("user").path("username").asText()).isEqualTo("alice");
    assertThat(ready.path("heartbeat").path("intervalMs").asLong()).isPositive();
    Ws byBearer =
        Ws.connect(t.http, t.wsUri(), List.of("Authorization", "Bearer " + bob.token()), true);
    assertThat(byBearer.next("ready").path("user").path("username").asText()).isEqualTo("bob");
    byCookie.abort();
    byBearer.abort();
  }

  @Test
  void twoUsersDmInRealTime() {
    String dm = t.openDm(alice, bob);
    Ws a = t.connect(alice);
    Ws b = t.connect(bob);
    a.send(
        "{\"type\":\"send\",\"id\":\"1\",\"room\":\""
            + dm
            + "\",\"clientMsgId\":\"c-1\",\"body\":\"hi bob\"}");
    JsonNode ack = a.next("ack");
    assertThat(ack.path("id").asText()).isEqualTo("1");
    assertThat(ack.path("clientMsgId").asText()).isEqualTo("c-1");
    assertThat(ack.path("seq").asLong()).isEqualTo(1);
    JsonNode m = b.next("message");
    assertThat(m.path("room").asText()).isEqualTo(dm);
    assertThat(m.path("body").asText()).isEqualTo("hi bob");
    assertThat(m.path("sender").path("username").asText()).isEqualTo("alice");
    assertThat(m.has("clientMsgId")).isFalse();
    JsonNode own = a.next("message");
    assertThat(own.path("clientMsgId").asText()).isEqualTo("c-1");
    b.expectNo("message", Duration.ofMillis(200));
  }

  private static String send(String id, String room, String clientMsgId, String body) {
    return "{\"type\":\"send\",\"id\":\""
        + id
        + "\",\"room\":\""
        + room
        + "\",\"clientMsgId\":\""
        + clientMsgId
        + "\",\"body\":\""
        + body
        + "\"}";
  }

  @Test
  void typingAndPresenceReachTheRoomOnly() {
    Account carol = t.register("carol");
    Account dave = t.register("dave");
    String room = t.createRoom(alice, "team", "private", "bob", "dave");
    Ws a = t.connect(alice);
    Ws b = t.connect(bob);
    Ws c = t.connect(carol); // shares no room with anyone

    a.send("{\"type\":\"typing\",\"room\":\"" + room + "\",\"active\":true}");
    JsonNode typing = b.next("typing");
    assertThat(typing.path("room").asText()).isEqualTo(room);
    assertThat(typing.path("user").path("username").asText()).isEqualTo("alice");
    assertThat(typing.path("active").asBoolean()).isTrue();
    a.expectNo("typing", Duration.ofMillis(100)); // not echoed to the typist

    Ws d = t.connect(dave);
    JsonNode online =
        a.next("presence", j -> j.path("user").path("username").asText().equals("dave"));
    assertThat(online.path("user").path("username").asText()).isEqualTo("dave");
    assertThat(online.path("status").asText()).isEqualTo("online");
    assertThat(b.next("presence", j -> j.path("user").path("id").asText().equals(dave.id())))
        .isNotNull();
    d.close();
    JsonNode offline =
        a.next(
            "presence",
            j ->
                j.path("user").path("id").asText().equals(dave.id())
                    && j.path("status").asText().equals("offline"));
    assertThat(offline.path("status").asText()).isEqualTo("offline");
    assertThat(offline.path("lastSeen").asText()).isNotEmpty();

    // carol, a non-member, sees nothing of it, and cannot type into the room
    c.expectNo("typing", Duration.ofMillis(200));
    assertThat(c.drain()).noneMatch(f -> f.contains(room) || f.contains("dave"));
    c.send("{\"type\":\"typing\",\"room\":\"" + room + "\",\"active\":true}");
    assertThat(c.next("error").path("code").asText()).isIn("forbidden", "not_found");
    b.expectNo("typing", Duration.ofMillis(200));
  }

  @Test
  void malformedFramesGetBadRequestAndTheConnectionStaysUsable() {
    String dm = t.openDm(alice, bob);
    Ws a = t.connect(alice);
    String[] frames = {
      "this is not json",
      "{\"id\":\"1\",\"room\":\"" + dm + "\"}",
      "{\"type\":\"teleport\",\"id\":\"2\"}",
      "{\"type\":\"send\",\"id\":\"3\",\"room\":42,\"clientMsgId\":\"c\",\"body\":\"x\"}",
      "{\"type\":\"read\",\"room\":\"" + dm + "\",\"seq\":\"many\"}",
      "[1,2,3]",
      "{\"type\":\"send\",\"id\":\"4\",\"room\":\"" + dm + "\",\"clientMsgId\":\"c\"}"
    };
    String[] ids = {null, "1", "2", "3", null, null, "4"};
    for (int i = 0; i < frames.length; i++) {
      a.send(frames[i]);
      JsonNode error = a.next("error");
      assertThat(error.path("code").asText()).as(frames[i]).isEqualTo("bad_request");
      assertThat(error.path("message").asText()).isNotBlank();
      if (ids[i] == null) {
        assertThat(error.has("id")).isFalse();
      } else {
        assertThat(error.path("id").asText()).isEqualTo(ids[i]);
      }
    }
    a.socket.sendBinary(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}), true).join();
    assertThat(a.next("error").path("code").asText()).isEqualTo("bad_request");
    a.send(send("5", dm, "c-ok", "still works"));
    assertThat(a.next("ack").path("id").asText()).isEqualTo("5");
    assertThat(a.closeCode).isNotDone();
    assertThat(t.server.meterRegistry().find("natter.frames.malformed").counter().count())
        .isEqualTo(frames.length);
  }

  @Test
  void everyCommandOverTheWire() {
    String room = t.createRoom(alice, "general", "public", "bob");
    Ws a = t.connect(alice);
    Ws b = t.connect(bob);
    a.send(send("1", room, "c-1", "hello"));
    JsonNode ack = a.next("ack");
    String messageId = ack.path("messageId").asText();
    b.next("message");
    // a resend of the same clientMsgId gets the original ack and creates nothing
    a.send(send("1b", room, "c-1", "hello"));
    JsonNode again = a.next("ack");
    assertThat(again.path("messageId").asText()).isEqualTo(messageId);
    assertThat(again.path("seq").asLong()).isEqualTo(1);

    a.send(
        "{\"type\":\"edit\",\"id\":\"2\",\"room\":\""
            + room
            + "\",\"messageId\":\""
            + messageId
            + "\",\"body\":\"hello, edited\"}");
    assertThat(a.next("ok").path("id").asText()).isEqualTo("2");
    JsonNode edited = b.next("messageUpdated");
    assertThat(edited.path("body").asText()).isEqualTo("hello, edited");
    assertThat(edited.path("editedAt").asText()).isNotEmpty();

    b.send(
        "{\"type\":\"react\",\"id\":\"3\",\"room\":\""
            + room
            + "\",\"messageId\":\""
            + messageId
            + "\",\"emoji\":\"👍\",\"on\":true}");
    assertThat(b.next("ok").path("id").asText()).isEqualTo("3");
    JsonNode reacted = a.next("messageUpdated", j -> j.path("reactions").size() > 0);
    assertThat(reacted.path("reactions").path("👍").get(0).asText()).isEqualTo(bob.id());

    b.send("{\"type\":\"read\",\"room\":\"" + room + "\",\"seq\":1}");
    JsonNode read = a.next("read");
    assertThat(read.path("user").path("username").asText()).isEqualTo("bob");
    assertThat(read.path("seq").asLong()).isEqualTo(1);

    a.send(send("4", room, "c-2", "second"));
    a.next("ack");
    b.send("{\"type\":\"sync\",\"id\":\"5\",\"rooms\":{\"" + room + "\":1}}");
    JsonNode replayed = b.next("message", j -> j.path("seq").asLong() == 2);
    assertThat(replayed.path("body").asText()).isEqualTo("second");
    JsonNode synced = b.next("synced");
    assertThat(synced.path("id").asText()).isEqualTo("5");
    assertThat(synced.path("upToSeq").asLong()).isEqualTo(2);
    assertThat(synced.path("limited").asBoolean()).isFalse();

    b.send("{\"type\":\"history\",\"id\":\"6\",\"room\":\"" + room + "\",\"limit\":1}");
    JsonNode history = b.next("history");
    assertThat(history.path("id").asText()).isEqualTo("6");
    assertThat(history.path("messages")).hasSize(1);
    assertThat(history.path("messages").get(0).path("seq").asLong()).isEqualTo(2);
    assertThat(history.path("hasMore").asBoolean()).isTrue();

    a.send(
        "{\"type\":\"delete\",\"id\":\"7\",\"room\":\""
            + room
            + "\",\"messageId\":\""
            + messageId
            + "\"}");
    assertThat(a.next("ok").path("id").asText()).isEqualTo("7");
    JsonNode deleted = b.next("messageUpdated", j -> j.path("deleted").asBoolean());
    assertThat(deleted.path("body").asText()).isEmpty();
  }

  @Test
  void aNonMemberCannotSendOrReadHistory() {
    Account carol = t.register("carol");
    String dm = t.openDm(alice, bob);
    Ws c = t.connect(carol);
    c.send(send("1", dm, "c-1", "let me in"));
    JsonNode error = c.next("error");
    assertThat(error.path("id").asText()).isEqualTo("1");
    assertThat(error.path("code").asText()).isIn("forbidden", "not_found");
    c.send("{\"type\":\"history\",\"id\":\"2\",\"room\":\"" + dm + "\"}");
    assertThat(c.next("error").path("code").asText()).isIn("forbidden", "not_found");
    c.send("{\"type\":\"sync\",\"id\":\"3\",\"rooms\":{\"" + dm + "\":0}}");
    assertThat(c.next("error").path("code").asText()).isIn("forbidden", "not_found");
    c.expectNo("message", Duration.ofMillis(100));
  }

  @Test
  void roomChangesArriveAsRoomAndRoomLeftEvents() {
    Account carol = t.register("carol");
    String room = t.createRoom(alice, "team", "private", "bob");
    Ws c = t.connect(carol);
    assertThat(
            t.post("/api/rooms/" + room + "/members", alice.token(), "{\"username\":\"carol\"}")
                .statusCode())
        .isEqualTo(201);
    JsonNode joined = c.next("room");
    assertThat(joined.path("room").path("id").asText()).isEqualTo(room);
    assertThat(joined.path("room").path("myRole").asText()).isEqualTo("member");
    assertThat(t.delete("/api/rooms/" + room + "/members/carol", alice.token()).statusCode())
        .isEqualTo(204);
    assertThat(c.next("roomLeft").path("room").asText()).isEqualTo(room);
  }

  @Test
  void logoutClosesThatSessionsSocketsWith4001() {
    JsonNode second =
        TestServer.json(
            t.post(
                "/api/login",
                null,
                "{\"username\":\"alice\",\"password\":\"correct horse battery\"}"));
    Account aliceToo = new Account(alice.id(), "alice", second.path("token").asText());
    Ws one = t.connect(alice);
    Ws other = t.connect(aliceToo);
    assertThat(t.post("/api/logout", alice.token(), null).statusCode()).isEqualTo(204);
    assertThat(one.awaitClose(Duration.ofSeconds(5))).isEqualTo(CloseCode.SESSION_REVOKED.code());
    // the other session of the same user is untouched
    other.send("{\"type\":\"history\",\"id\":\"h\",\"room\":\"none\"}");
    assertThat(other.next("error").path("id").asText()).isEqualTo("h");
    assertThat(other.closeCode).isNotDone();
    // and the revoked token opens nothing any more
    assertThat(
            Ws.attempt(t.http, t.wsUri(), List.of("Authorization", "Bearer " + alice.token()), true)
                .refusedStatus())
        .isEqualTo(401);
  }

  @Test
  void persistentFloodingIsRateLimitedThenClosedWith4029() {
    t.close();
    t =
        TestServer.start(
            e ->
                e.limits(
                    dev.natter.core.Limits.defaults()
                        .withSendRate(2, Duration.ofMinutes(1))
                        .withRateLimitStrikes(3)),
            s -> {});
    alice = t.register("alice");
    bob = t.register("bob");
    String dm = t.openDm(alice, bob);
    Ws a = t.connect(alice);
    a.send(send("1", dm, "c1", "one"));
    a.send(send("2", dm, "c2", "two"));
    a.next("ack");
    a.next("ack");
    for (int i = 3; i <= 5; i++) {
      a.send(send(Integer.toString(i), dm, "c" + i, "more"));
      JsonNode error = a.next("error");
      assertThat(error.path("code").asText()).isEqualTo("rate_limited");
    }
    assertThat(a.awaitClose(Duration.ofSeconds(5))).isEqualTo(CloseCode.RATE_LIMITED.code());
  }

  @Test
  void concurrentHandshakesEachGetTheirOwnSession() throws Exception {
    int n = 8;
    Account[] accounts = new Account[n];
    for (int i = 0; i < n; i++) {
      accounts[i] = t.register("user" + i);
    }
    List<java.util.concurrent.CompletableFuture<JsonNode>> readies = new java.util.ArrayList<>();
    for (Account acc : accounts) {
      readies.add(
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> {
                Ws ws =
                    Ws.connect(
                        t.http, t.wsUri(), List.of("Authorization", "Bearer " + acc.token()), true);
                JsonNode ready = ws.next("ready");
                ws.abort();
                return ready;
              }));
    }
    for (int i = 0; i < n; i++) {
      assertThat(readies.get(i).get().path("user").path("id").asText()).isEqualTo(accounts[i].id());
    }
  }
}
