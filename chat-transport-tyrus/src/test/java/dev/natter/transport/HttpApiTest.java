package dev.natter.transport;

import static dev.natter.transport.TestServer.assertError;
import static dev.natter.transport.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.natter.core.Limits;
import dev.natter.transport.TestServer.Account;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpApiTest {
  static final String PASSWORD = "correct horse battery";
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

  private static String cookieOf(HttpResponse<String> r) {
    return r.headers().firstValue("Set-Cookie").orElseThrow();
  }

  private void sendMessages(Account who, String room, String... bodies) {
    Ws ws = t.connect(who);
    for (int i = 0; i < bodies.length; i++) {
      ws.send(
          "{\"type\":\"send\",\"id\":\"s"
              + i
              + "\",\"room\":\""
              + room
              + "\",\"clientMsgId\":\""
              + java.util.UUID.randomUUID()
              + "\",\"body\":\""
              + bodies[i]
              + "\"}");
      ws.next("ack");
    }
    ws.close();
  }

  // ---- accounts and sessions

  @Test
  void registerAnswersUserAndTokenAndSetsTheSessionCookie() {
    HttpResponse<String> r =
        t.post(
            "/api/register",
            null,
            "{\"username\":\"carol\",\"password\":\""
                + PASSWORD
                + "\",\"displayName\":\"Carol C\"}");
    assertThat(r.statusCode()).isEqualTo(201);
    JsonNode body = json(r);
    assertThat(body.path("user").path("username").asText()).isEqualTo("carol");
    assertThat(body.path("user").path("displayName").asText()).isEqualTo("Carol C");
    assertThat(body.path("user").path("id").asText()).isNotBlank();
    String token = body.path("token").asText();
    assertThat(token).hasSizeGreaterThan(30);
    assertThat(cookieOf(r))
        .isEqualTo(
            "natter_session="
                + token
                + "; Max-Age="
                + Duration.ofDays(30).toSeconds()
                + "; Path=/; HttpOnly; SameSite=Strict");
    assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
    assertThat(r.headers().firstValue("Server")).isEmpty();
  }

  @Test
  void registerRejectsBadInput() {
    assertError(
        t.post("/api/register", null, "{\"username\":\"alice\",\"password\":\"" + PASSWORD + "\"}"),
        409,
        "conflict");
    assertError(
        t.post("/api/register", null, "{\"username\":\"a b\",\"password\":\"" + PASSWORD + "\"}"),
        400,
        "bad_request");
    assertError(
        t.post("/api/register", null, "{\"username\":\"dave\",\"password\":\"short\"}"),
        400,
        "bad_request");
    assertError(t.post("/api/register", null, "{\"username\":\"dave\"}"), 400, "bad_request");
    assertError(t.post("/api/register", null, "{not json"), 400, "bad_request");
    assertError(t.post("/api/register", null, "[]"), 400, "bad_request");
    assertError(t.post("/api/register", null, null), 400, "bad_request");
    assertError(
        t.post("/api/register", null, "{\"username\":5,\"password\":\"" + PASSWORD + "\"}"),
        400,
        "bad_request");
    assertError(t.get("/api/register", null), 405, "bad_request");
  }

  @Test
  void loginAnswersUserAndTokenAndTheCookieWorks() {
    HttpResponse<String> r =
        t.post("/api/login", null, "{\"username\":\"alice\",\"password\":\"" + PASSWORD + "\"}");
    assertThat(r.statusCode()).isEqualTo(200);
    String token = json(r).path("token").asText();
    assertThat(json(r).path("user").path("id").asText()).isEqualTo(alice.id());
    assertThat(cookieOf(r)).startsWith("natter_session=" + token + ";").contains("HttpOnly");
    HttpResponse<String> me =
        t.send(
            HttpRequest.newBuilder(t.uri("/api/me")).header("Cookie", "natter_session=" + token));
    assertThat(me.statusCode()).isEqualTo(200);
    assertThat(json(me).path("username").asText()).isEqualTo("alice");

    assertError(
        t.post("/api/login", null, "{\"username\":\"alice\",\"password\":\"wrong password\"}"),
        401,
        "unauthorized");
    assertError(
        t.post("/api/login", null, "{\"username\":\"nobody\",\"password\":\"" + PASSWORD + "\"}"),
        401,
        "unauthorized");
    assertError(t.post("/api/login", null, "{\"username\":\"alice\"}"), 400, "bad_request");
  }

  @Test
  void loginIsRateLimitedWith429() {
    t.close();
    t =
        TestServer.start(
            e -> e.limits(Limits.defaults().withLoginAttempts(3, Duration.ofMinutes(1))), s -> {});
    t.register("alice");
    for (int i = 0; i < 3; i++) {
      assertError(
          t.post("/api/login", null, "{\"username\":\"alice\",\"password\":\"wrong wrong\"}"),
          401,
          "unauthorized");
    }
    HttpResponse<String> limited =
        t.post("/api/login", null, "{\"username\":\"alice\",\"password\":\"" + PASSWORD + "\"}");
    assertError(limited, 429, "rate_limited");
    assertThat(limited.headers().firstValue("Retry-After")).isPresent();
  }

  @Test
  void theCookieIsSecureBehindHttpsOrWhenConfigured() {
    HttpResponse<String> proxied =
        t.send(
            t.request(
                    "POST",
                    "/api/login",
                    null,
                    "{\"username\":\"alice\",\"password\":\"" + PASSWORD + "\"}")
                .header("X-Forwarded-Proto", "https"));
    assertThat(cookieOf(proxied)).endsWith("; Secure");
    t.close();
    t = TestServer.start(e -> {}, s -> s.secureCookies(true));
    HttpResponse<String> r =
        t.post("/api/register", null, "{\"username\":\"zoe\",\"password\":\"" + PASSWORD + "\"}");
    assertThat(cookieOf(r)).endsWith("; Secure");
  }

  @Test
  void meNeedsAValidSession() {
    assertThat(json(t.get("/api/me", alice.token())).path("id").asText()).isEqualTo(alice.id());
    assertError(t.get("/api/me", null), 401, "unauthorized");
    assertError(t.get("/api/me", "not-a-token"), 401, "unauthorized");
    assertError(
        t.send(HttpRequest.newBuilder(t.uri("/api/me")).header("Authorization", "Basic eDp5")),
        401,
        "unauthorized");
  }

  @Test
  void logoutRevokesTheTokenAndClearsTheCookie() {
    HttpResponse<String> r = t.post("/api/logout", alice.token(), null);
    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(cookieOf(r)).startsWith("natter_session=;").contains("Max-Age=0");
    assertError(t.get("/api/me", alice.token()), 401, "unauthorized");
    // logging out again (or without a session) is harmless
    assertThat(t.post("/api/logout", alice.token(), null).statusCode()).isEqualTo(204);
    assertThat(t.post("/api/logout", null, null).statusCode()).isEqualTo(204);
  }

  @Test
  void everyEndpointNeedsASession() {
    String room = t.createRoom(alice, "general", "public");
    List<String[]> calls =
        List.of(
            new String[] {"GET", "/api/me", null},
            new String[] {"GET", "/api/users?q=a", null},
            new String[] {"GET", "/api/rooms", null},
            new String[] {"GET", "/api/rooms/public", null},
            new String[] {"POST", "/api/rooms", "{\"name\":\"x\",\"visibility\":\"public\"}"},
            new String[] {"POST", "/api/dms", "{\"username\":\"bob\"}"},
            new String[] {"GET", "/api/rooms/" + room, null},
            new String[] {"POST", "/api/rooms/" + room + "/join", null},
            new String[] {"POST", "/api/rooms/" + room + "/leave", null},
            new String[] {"POST", "/api/rooms/" + room + "/members", "{\"username\":\"bob\"}"},
            new String[] {"DELETE", "/api/rooms/" + room + "/members/bob", null},
            new String[] {"GET", "/api/rooms/" + room + "/messages", null},
            new String[] {"GET", "/api/search?q=hello", null});
    for (String[] c : calls) {
      HttpResponse<String> r = t.send(t.request(c[0], c[1], null, c[2]));
      assertThat(r.statusCode()).as(c[0] + " " + c[1]).isEqualTo(401);
      assertThat(json(r).path("error").path("code").asText()).isEqualTo("unauthorized");
      HttpResponse<String> bad = t.send(t.request(c[0], c[1], "forged-token", c[2]));
      assertThat(bad.statusCode()).as(c[0] + " " + c[1]).isEqualTo(401);
    }
  }

  // ---- users and rooms

  @Test
  void usersCanBeFound() {
    JsonNode users = json(t.get("/api/users?q=bo", alice.token()));
    assertThat(users).hasSize(1);
    assertThat(users.get(0).path("username").asText()).isEqualTo("bob");
    assertThat(users.get(0).has("passwordHash")).isFalse();
    assertThat(json(t.get("/api/users?q=", alice.token())).size()).isEqualTo(2);
    assertError(t.get("/api/users?q=" + "x".repeat(201), alice.token()), 400, "bad_request");
  }

  @Test
  void roomsAreCreatedListedAndFound() {
    HttpResponse<String> created =
        t.post(
            "/api/rooms",
            alice.token(),
            "{\"name\":\"general\",\"visibility\":\"public\",\"members\":[\"bob\"]}");
    assertThat(created.statusCode()).isEqualTo(201);
    JsonNode room = json(created);
    String id = room.path("id").asText();
    assertThat(room.path("kind").asText()).isEqualTo("group");
    assertThat(room.path("name").asText()).isEqualTo("general");
    assertThat(room.path("visibility").asText()).isEqualTo("public");
    assertThat(room.path("myRole").asText()).isEqualTo("owner");
    assertThat(room.path("members")).hasSize(2);
    assertThat(room.path("lastSeq").asLong()).isZero();
    assertThat(room.path("unread").asLong()).isZero();
    assertThat(room.path("lastReadSeq").asLong()).isZero();
    assertThat(room.has("lastMessage")).isFalse();

    String secret = t.createRoom(alice, "secret", "private");
    JsonNode mine = json(t.get("/api/rooms", alice.token()));
    assertThat(mine.findValuesAsText("id")).contains(id, secret);
    JsonNode bobs = json(t.get("/api/rooms", bob.token()));
    assertThat(bobs).hasSize(1);
    assertThat(bobs.get(0).path("myRole").asText()).isEqualTo("member");
    assertThat(json(t.get("/api/rooms/" + id, bob.token())).path("id").asText()).isEqualTo(id);

    Account carol = t.register("carol");
    JsonNode joinable = json(t.get("/api/rooms/public", carol.token()));
    assertThat(joinable).hasSize(1);
    assertThat(joinable.get(0).path("id").asText()).isEqualTo(id);

    assertError(
        t.post("/api/rooms", alice.token(), "{\"name\":\"x\",\"visibility\":\"secret\"}"),
        400,
        "bad_request");
    assertError(t.post("/api/rooms", alice.token(), "{\"name\":\"x\"}"), 400, "bad_request");
    assertError(
        t.post("/api/rooms", alice.token(), "{\"visibility\":\"public\"}"), 400, "bad_request");
    assertError(
        t.post(
            "/api/rooms",
            alice.token(),
            "{\"name\":\"x\",\"visibility\":\"public\",\"members\":[\"ghost\"]}"),
        404,
        "not_found");
    assertError(
        t.post(
            "/api/rooms",
            alice.token(),
            "{\"name\":\"x\",\"visibility\":\"public\",\"members\":\"bob\"}"),
        400,
        "bad_request");
    assertError(t.get("/api/rooms/" + secret, carol.token()), 403, "forbidden");
    assertError(t.get("/api/rooms/nope", carol.token()), 404, "not_found");
  }

  @Test
  void dmsAreFoundOrCreated() {
    HttpResponse<String> first = t.post("/api/dms", alice.token(), "{\"username\":\"bob\"}");
    assertThat(first.statusCode()).isEqualTo(201);
    JsonNode dm = json(first);
    assertThat(dm.path("kind").asText()).isEqualTo("dm");
    assertThat(dm.path("name").asText()).isEqualTo("bob"); // the other member's display name
    HttpResponse<String> again = t.post("/api/dms", bob.token(), "{\"username\":\"alice\"}");
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(json(again).path("id").asText()).isEqualTo(dm.path("id").asText());
    assertThat(json(again).path("name").asText()).isEqualTo("alice");
    assertError(t.post("/api/dms", alice.token(), "{\"username\":\"alice\"}"), 400, "bad_request");
    assertError(t.post("/api/dms", alice.token(), "{\"username\":\"ghost\"}"), 404, "not_found");
    assertError(t.post("/api/dms", alice.token(), "{}"), 400, "bad_request");
    assertError(
        t.post("/api/rooms/" + dm.path("id").asText() + "/leave", alice.token(), null),
        400,
        "bad_request");
  }

  @Test
  void joinLeaveInviteKick() {
    Account carol = t.register("carol");
    String open = t.createRoom(alice, "open", "public");
    String closed = t.createRoom(alice, "closed", "private");

    HttpResponse<String> joined = t.post("/api/rooms/" + open + "/join", carol.token(), null);
    assertThat(joined.statusCode()).isEqualTo(200);
    assertThat(json(joined).path("members").findValuesAsText("username")).contains("carol");
    assertThat(t.post("/api/rooms/" + open + "/join", carol.token(), null).statusCode())
        .isEqualTo(200); // joining twice is a no-op
    assertError(t.post("/api/rooms/" + closed + "/join", carol.token(), null), 403, "forbidden");
    assertError(t.post("/api/rooms/nope/join", carol.token(), null), 404, "not_found");
    assertThat(t.post("/api/rooms/" + open + "/leave", carol.token(), null).statusCode())
        .isEqualTo(204);
    assertError(t.post("/api/rooms/" + open + "/leave", carol.token(), null), 403, "forbidden");

    HttpResponse<String> invited =
        t.post("/api/rooms/" + closed + "/members", alice.token(), "{\"username\":\"carol\"}");
    assertThat(invited.statusCode()).isEqualTo(201);
    assertThat(json(invited).path("members").findValuesAsText("username")).contains("carol");
    assertError(
        t.post("/api/rooms/" + closed + "/members", alice.token(), "{\"username\":\"carol\"}"),
        409,
        "conflict");
    assertError(
        t.post("/api/rooms/" + closed + "/members", carol.token(), "{\"username\":\"bob\"}"),
        403,
        "forbidden");
    assertError(
        t.post("/api/rooms/" + closed + "/members", alice.token(), "{\"username\":\"ghost\"}"),
        404,
        "not_found");
    assertError(
        t.delete("/api/rooms/" + closed + "/members/alice", carol.token()), 403, "forbidden");
    assertThat(t.delete("/api/rooms/" + closed + "/members/carol", alice.token()).statusCode())
        .isEqualTo(204);
    assertError(
        t.delete("/api/rooms/" + closed + "/members/carol", alice.token()), 404, "not_found");
    assertError(t.get("/api/rooms/" + closed + "/members", alice.token()), 405, "bad_request");
  }

  // ---- messages and search

  @Test
  void messagesArePagedInSeqOrder() {
    String room = t.createRoom(alice, "general", "public", "bob");
    sendMessages(alice, room, "one", "two", "three", "four", "five");
    JsonNode page = json(t.get("/api/rooms/" + room + "/messages?limit=2", bob.token()));
    assertThat(page.path("messages").findValuesAsText("body")).containsExactly("four", "five");
    assertThat(page.path("hasMore").asBoolean()).isTrue();
    JsonNode first = page.path("messages").get(0);
    assertThat(first.path("seq").asLong()).isEqualTo(4);
    assertThat(first.path("sender").path("username").asText()).isEqualTo("alice");
    assertThat(first.path("ts").asText()).endsWith("Z");
    assertThat(first.path("deleted").asBoolean()).isFalse();
    assertThat(first.path("reactions").isObject()).isTrue();
    JsonNode before =
        json(t.get("/api/rooms/" + room + "/messages?before=4&limit=10", bob.token()));
    assertThat(before.path("messages").findValuesAsText("body"))
        .containsExactly("one", "two", "three");
    assertThat(before.path("hasMore").asBoolean()).isFalse();
    JsonNode after = json(t.get("/api/rooms/" + room + "/messages?after=3", bob.token()));
    assertThat(after.path("messages").findValuesAsText("body")).containsExactly("four", "five");
    assertThat(after.path("hasMore").asBoolean()).isFalse();
    JsonNode summary = json(t.get("/api/rooms/" + room, bob.token()));
    assertThat(summary.path("lastSeq").asLong()).isEqualTo(5);
    assertThat(summary.path("unread").asLong()).isEqualTo(5);
    assertThat(summary.path("lastMessage").path("body").asText()).isEqualTo("five");

    assertError(
        t.get("/api/rooms/" + room + "/messages?before=3&after=1", bob.token()),
        400,
        "bad_request");
    assertError(
        t.get("/api/rooms/" + room + "/messages?limit=ten", bob.token()), 400, "bad_request");
    assertError(
        t.get("/api/rooms/" + room + "/messages?before=-1", bob.token()), 400, "bad_request");
    Account carol = t.register("carol");
    assertError(t.get("/api/rooms/" + room + "/messages", carol.token()), 403, "forbidden");
    assertError(t.get("/api/rooms/nope/messages", carol.token()), 404, "not_found");
  }

  @Test
  void searchFindsOnlyMyRooms() {
    Account carol = t.register("carol");
    String ours = t.createRoom(alice, "ours", "private", "bob");
    String theirs = t.createRoom(carol, "theirs", "private");
    sendMessages(alice, ours, "the quick brown fox");
    sendMessages(carol, theirs, "a secret fox");
    JsonNode hits = json(t.get("/api/search?q=fox", bob.token()));
    assertThat(hits).hasSize(1);
    assertThat(hits.get(0).path("room").asText()).isEqualTo(ours);
    assertThat(hits.get(0).path("body").asText()).isEqualTo("the quick brown fox");
    assertThat(hits.get(0).path("snippet").asText()).contains("fox");
    assertThat(json(t.get("/api/search?q=fox&room=" + ours, bob.token()))).hasSize(1);
    assertThat(json(t.get("/api/search?q=fox", carol.token())).findValuesAsText("room"))
        .containsExactly(theirs);
    assertError(t.get("/api/search?q=fox&room=" + theirs, bob.token()), 403, "forbidden");
    assertError(t.get("/api/search", bob.token()), 400, "bad_request");
  }

  // ---- the API's edges

  @Test
  void unknownPathsWrongMethodsBigBodiesAndForeignOrigins() {
    HttpResponse<String> unknown = t.get("/api/nope", alice.token());
    assertError(unknown, 404, "not_found");
    assertThat(unknown.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    assertError(t.get("/api/rooms/x/y/z/w", alice.token()), 404, "not_found");
    assertError(t.get("/api", alice.token()), 404, "not_found");

    HttpResponse<String> wrong = t.send(t.request("PUT", "/api/rooms", alice.token(), "{}"));
    assertError(wrong, 405, "bad_request");
    assertThat(wrong.headers().firstValue("Allow")).contains("GET, POST");
    assertError(t.delete("/api/me", alice.token()), 405, "bad_request");

    String big = "{\"name\":\"" + "x".repeat(70_000) + "\",\"visibility\":\"public\"}";
    assertError(t.post("/api/rooms", alice.token(), big), 413, "too_large");
    assertError(
        t.post("/api/register", null, "{\"username\":\"" + "x".repeat(70_000) + "\"}"),
        413,
        "too_large");

    HttpResponse<String> foreign =
        t.send(
            t.request("GET", "/api/me", alice.token(), null)
                .header("Origin", "http://evil.example"));
    assertError(foreign, 403, "forbidden");
    HttpResponse<String> own =
        t.send(t.request("GET", "/api/me", alice.token(), null).header("Origin", t.origin()));
    assertThat(own.statusCode()).isEqualTo(200);
  }

  @Test
  void anHttp2PreferringClientIsServedOverHttp11() {
    HttpClient h2 = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<String> r =
        t.send(
            HttpRequest.newBuilder(t.uri("/api/login"))
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"username\":\"alice\",\"password\":\"" + PASSWORD + "\"}")));
    assertThat(r.statusCode()).isEqualTo(200);
    try {
      HttpResponse<String> viaH2c =
          h2.send(
              HttpRequest.newBuilder(t.uri("/api/login"))
                  .timeout(Duration.ofSeconds(5))
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"username\":\"alice\",\"password\":\"" + PASSWORD + "\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(viaH2c.statusCode()).isEqualTo(200);
      assertThat(viaH2c.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
      HttpResponse<String> get =
          h2.send(
              HttpRequest.newBuilder(t.uri("/api/me"))
                  .timeout(Duration.ofSeconds(5))
                  .header("Authorization", "Bearer " + json(viaH2c).path("token").asText())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(get.statusCode()).isEqualTo(200);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void healthAndMetrics() {
    HttpResponse<String> health = t.get("/healthz", null);
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(json(health).path("status").asText()).isEqualTo("ok");
    assertThat(t.send(t.request("POST", "/healthz", null, "{}")).statusCode()).isEqualTo(405);

    Ws ws = t.connect(alice);
    t.get("/api/me", "nope");
    HttpResponse<String> metrics = t.get("/metrics", null);
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
    assertThat(metrics.body())
        .contains("natter_connections 1.0")
        .contains("natter_messages_in_total")
        .contains("natter_messages_out_total")
        .contains("natter_acks_total")
        .contains("natter_slow_consumer_closes_total")
        .contains("natter_errors_total{code=\"unauthorized\"}")
        .contains("natter_engine_calls_seconds");
    ws.close();
    // a plain GET on /ws asks for an upgrade
    assertThat(t.get("/ws", null).statusCode()).isEqualTo(426);
    // without the UI, other paths are JSON 404s
    assertError(t.get("/index.html", null), 404, "not_found");
  }
}
