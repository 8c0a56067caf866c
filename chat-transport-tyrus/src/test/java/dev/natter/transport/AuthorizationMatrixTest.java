package dev.natter.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.natter.core.Limits;
import dev.natter.core.protocol.ClientCommand;
import dev.natter.core.spi.Clock;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 12's authorization matrix, on a real server: every WebSocket command (each permitted
 * subtype of the sealed {@link ClientCommand}) and every HTTP endpoint (the API's route table) ×
 * every kind of caller who must not reach a private room: anonymous, a garbage token, a revoked
 * token, an expired token, a non-member, a former member who left, a former member who was kicked,
 * and a member of another room. Each attempt is refused, nothing of the room reaches the caller,
 * and the room's members hear nothing of it. A command or route without a row fails the test.
 */
class AuthorizationMatrixTest {
  private static final String SECRET = "the launch code is 0000";

  /** Who tries. */
  enum Who {
    ANONYMOUS,
    GARBAGE_TOKEN,
    REVOKED_TOKEN,
    EXPIRED_TOKEN,
    NON_MEMBER,
    FORMER_MEMBER_LEFT,
    FORMER_MEMBER_KICKED,
    MEMBER_OF_ANOTHER_ROOM;

    boolean signedIn() {
      return ordinal() >= NON_MEMBER.ordinal();
    }
  }

  /** What an HTTP probe must get from a signed-in caller who is not in the room. */
  enum Expect {
    /** 403 or 404 (401 when not signed in). */
    REFUSED,
    /** Allowed for anybody signed in, but nothing of the room in the answer (401 otherwise). */
    NOTHING_OF_THE_ROOM,
    /** A public endpoint (register, login, logout): it must not act for anybody else. */
    PUBLIC
  }

  private static final AtomicReference<Duration> CLOCK_OFFSET =
      new AtomicReference<>(Duration.ZERO);
  private static TestServer t;
  private static TestServer.Account alice; // the room's owner, watching
  private static TestServer.Account bob; // a member, watching
  private static String room; // private group of alice and bob
  private static String otherRoom; // private group of MEMBER_OF_ANOTHER_ROOM
  private static String messageId; // alice's SECRET in room
  private static String fileId; // sent with SECRET; its bytes are SECRET too
  private static Ws aliceWs;
  private static Ws bobWs;
  private static final Map<Who, String> TOKENS = new EnumMap<>(Who.class);
  private static final Map<Who, Ws> SOCKETS = new EnumMap<>(Who.class);
  private static final Map<Who, String> USERNAMES =
      Map.of(
          Who.NON_MEMBER, "mallory",
          Who.FORMER_MEMBER_LEFT, "lefty",
          Who.FORMER_MEMBER_KICKED, "kicked",
          Who.MEMBER_OF_ANOTHER_ROOM, "other");

  @BeforeAll
  static void world() {
    Clock clock =
        new Clock() {
          @Override
          public Instant now() {
            return Instant.now().plus(CLOCK_OFFSET.get());
          }

          @Override
          public long nanoTime() {
            return System.nanoTime();
          }
        };
    t = TestServer.start(e -> e.clock(clock), s -> {});
    alice = t.register("alice");
    bob = t.register("bob");
    t.register("bystander");
    TestServer.Account mallory = t.register("mallory");
    TestServer.Account lefty = t.register("lefty");
    TestServer.Account kicked = t.register("kicked");
    TestServer.Account other = t.register("other");
    TestServer.Account revoked = t.register("revoked");
    CLOCK_OFFSET.set(Limits.defaults().sessionTtl().plusHours(1).negated());
    TestServer.Account expired = t.register("expired"); // its session ended an hour ago
    CLOCK_OFFSET.set(Duration.ZERO);
    assertThat(t.post("/api/logout", revoked.token(), null).statusCode()).isEqualTo(204);

    room = t.createRoom(alice, "secret-plans", "private", "bob", "lefty", "kicked");
    assertThat(t.post("/api/rooms/" + room + "/leave", lefty.token(), null).statusCode())
        .isEqualTo(204);
    assertThat(t.delete("/api/rooms/" + room + "/members/kicked", alice.token()).statusCode())
        .isEqualTo(204);
    otherRoom = t.createRoom(other, "elsewhere", "private");

    aliceWs = t.connect(alice);
    bobWs = t.connect(bob);
    HttpResponse<String> uploaded = t.send(upload(room, alice.token()));
    assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(201);
    fileId = TestServer.json(uploaded).path("id").asText();
    aliceWs.send(
        "{\"type\":\"send\",\"id\":\"s\",\"room\":\""
            + room
            + "\",\"clientMsgId\":\"c-secret\",\"body\":\""
            + SECRET
            + "\",\"files\":[\""
            + fileId
            + "\"]}");
    messageId = aliceWs.next("ack").path("messageId").asText();
    bobWs.next("message");

    TOKENS.put(Who.ANONYMOUS, null);
    TOKENS.put(Who.GARBAGE_TOKEN, "garbage-" + "x".repeat(40));
    TOKENS.put(Who.REVOKED_TOKEN, revoked.token());
    TOKENS.put(Who.EXPIRED_TOKEN, expired.token());
    TOKENS.put(Who.NON_MEMBER, mallory.token());
    TOKENS.put(Who.FORMER_MEMBER_LEFT, lefty.token());
    TOKENS.put(Who.FORMER_MEMBER_KICKED, kicked.token());
    TOKENS.put(Who.MEMBER_OF_ANOTHER_ROOM, other.token());
    SOCKETS.put(Who.NON_MEMBER, t.connect(mallory));
    SOCKETS.put(Who.FORMER_MEMBER_LEFT, t.connect(lefty));
    SOCKETS.put(Who.FORMER_MEMBER_KICKED, t.connect(kicked));
    SOCKETS.put(Who.MEMBER_OF_ANOTHER_ROOM, t.connect(other));
    aliceWs.drain();
    bobWs.drain();
  }

  @AfterAll
  static void end() {
    if (t != null) {
      t.close();
    }
  }

  // =====================================================================================
  // WebSocket commands

  /** One attempt per command on the private room; a new command needs a row here. */
  private static final Map<Class<?>, Function<String, List<String>>> COMMANDS =
      Map.of(
          ClientCommand.Send.class,
          r ->
              List.of(
                  "{\"type\":\"send\",\"id\":\"a\",\"room\":\""
                      + r
                      + "\",\"clientMsgId\":\"evil-1\",\"body\":\"intrusion\"}",
                  "{\"type\":\"send\",\"id\":\"a\",\"room\":\""
                      + r
                      + "\",\"clientMsgId\":\"evil-2\",\"body\":\"intrusion\",\"replyTo\":\""
                      + messageId
                      + "\"}"),
          ClientCommand.Edit.class,
          r ->
              List.of(
                  "{\"type\":\"edit\",\"id\":\"a\",\"room\":\""
                      + r
                      + "\",\"messageId\":\""
                      + messageId
                      + "\",\"body\":\"intrusion\"}"),
          ClientCommand.Delete.class,
          r ->
              List.of(
                  "{\"type\":\"delete\",\"id\":\"a\",\"room\":\""
                      + r
                      + "\",\"messageId\":\""
                      + messageId
                      + "\"}"),
          ClientCommand.React.class,
          r ->
              List.of(
                  "{\"type\":\"react\",\"id\":\"a\",\"room\":\""
                      + r
                      + "\",\"messageId\":\""
                      + messageId
                      + "\",\"emoji\":\"x\",\"on\":true}"),
          ClientCommand.Typing.class,
          r -> List.of("{\"type\":\"typing\",\"room\":\"" + r + "\",\"active\":true}"),
          ClientCommand.Read.class,
          r -> List.of("{\"type\":\"read\",\"room\":\"" + r + "\",\"seq\":1}"),
          ClientCommand.Sync.class,
          r -> List.of("{\"type\":\"sync\",\"id\":\"a\",\"rooms\":{\"" + r + "\":0}}"),
          ClientCommand.History.class,
          r -> List.of("{\"type\":\"history\",\"id\":\"a\",\"room\":\"" + r + "\"}"));

  @Test
  void everyCommandHasARow() {
    assertThat(COMMANDS.keySet())
        .containsExactlyInAnyOrder(ClientCommand.class.getPermittedSubclasses());
  }

  @Test
  void everyCommandIsRefusedToEveryoneOutsideTheRoom() {
    List<String> failures = new ArrayList<>();
    for (Class<?> command : ClientCommand.class.getPermittedSubclasses()) {
      for (Who who : Who.values()) {
        List<String> frames = new ArrayList<>(COMMANDS.get(command).apply(room));
        if (who == Who.MEMBER_OF_ANOTHER_ROOM) { // its own room, the message of the private one
          COMMANDS.get(command).apply(otherRoom).stream()
              .filter(f -> f.contains(messageId))
              .forEach(frames::add);
        }
        for (String frame : frames) {
          String problem = tryCommand(who, frame);
          if (problem != null) {
            failures.add(command.getSimpleName() + " × " + who + ": " + problem + " for " + frame);
          }
        }
      }
    }
    assertThat(failures).isEmpty();
    assertRoomUntouchedAndWatchersHeardNothing();
  }

  /** Null when refused without a leak, else what went wrong. */
  private static String tryCommand(Who who, String frame) {
    if (!who.signedIn()) {
      String token = TOKENS.get(who);
      Ws.Attempt a =
          Ws.attempt(
              t.http,
              t.wsUri(),
              token == null ? List.of() : List.of("Authorization", "Bearer " + token),
              true);
      if (a.ws() != null) {
        a.ws().abort();
        return "the handshake was accepted";
      }
      return a.refusedStatus() == 401 ? null : "handshake refused with " + a.refusedStatus();
    }
    Ws ws = SOCKETS.get(who);
    ws.drain();
    ws.send(frame);
    ws.send("{\"type\":\"history\",\"id\":\"fence\",\"room\":\"nope\"}"); // answered after it
    List<JsonNode> answers = new ArrayList<>();
    while (true) {
      JsonNode f = ws.next();
      if ("fence".equals(f.path("id").asText())) {
        break;
      }
      answers.add(f);
    }
    for (JsonNode f : answers) {
      if (f.toString().contains(SECRET)) {
        return "leaked " + f;
      }
      String type = f.path("type").asText();
      if (type.equals("presence")) {
        continue;
      }
      if (!type.equals("error")) {
        return "answered " + f;
      }
      if (!Set.of("forbidden", "not_found").contains(f.path("code").asText())) {
        return "refused with " + f;
      }
    }
    boolean answered = frame.contains("\"id\":");
    if (answered && answers.stream().noneMatch(f -> f.path("type").asText().equals("error"))) {
      return "no error";
    }
    return null;
  }

  // =====================================================================================
  // HTTP endpoints

  /** One probe: a request made with the caller's token (or none), and what it must get. */
  record Probe(BiFunction<Who, String, HttpRequest.Builder> request, Expect expect) {}

  private static HttpRequest.Builder req(String method, String path, String token, String body) {
    return t.request(method, path, token, body);
  }

  /** The probes of each route (its method and pattern); a new route needs a row here. */
  private static Map<String, List<Probe>> routeRows() {
    Map<String, List<Probe>> rows = new LinkedHashMap<>();
    rows.put(
        "POST /register",
        List.of(
            new Probe(
                (who, tok) ->
                    req("POST", "/api/register", tok, "{\"username\":\"bob\",\"password\":\"x\"}"),
                Expect.PUBLIC)));
    rows.put(
        "POST /login",
        List.of(
            new Probe(
                (who, tok) ->
                    req(
                        "POST",
                        "/api/login",
                        tok,
                        "{\"username\":\"alice\",\"password\":\"not her password " + who + "\"}"),
                Expect.PUBLIC)));
    rows.put( // a signed-in caller logs out a session of its own made for this, not the others'
        "POST /logout",
        List.of(
            new Probe(
                (who, tok) ->
                    req("POST", "/api/logout", who.signedIn() ? freshSession(who) : tok, null),
                Expect.PUBLIC)));
    rows.put("GET /me", List.of(get("/api/me", Expect.NOTHING_OF_THE_ROOM)));
    rows.put("GET /users", List.of(get("/api/users?q=a", Expect.NOTHING_OF_THE_ROOM)));
    rows.put(
        "GET /search",
        List.of(
            get("/api/search?q=launch", Expect.NOTHING_OF_THE_ROOM),
            new Probe(
                (who, tok) -> req("GET", "/api/search?q=launch&room=" + room, tok, null),
                Expect.REFUSED)));
    rows.put(
        "POST /dms",
        List.of(
            new Probe(
                (who, tok) -> req("POST", "/api/dms", tok, "{\"username\":\"bystander\"}"),
                Expect.NOTHING_OF_THE_ROOM)));
    rows.put("GET /rooms", List.of(get("/api/rooms", Expect.NOTHING_OF_THE_ROOM)));
    rows.put(
        "POST /rooms",
        List.of(
            new Probe(
                (who, tok) ->
                    req(
                        "POST",
                        "/api/rooms",
                        tok,
                        "{\"name\":\"mine\",\"visibility\":\"private\",\"members\":[]}"),
                Expect.NOTHING_OF_THE_ROOM)));
    rows.put("GET /rooms/public", List.of(get("/api/rooms/public", Expect.NOTHING_OF_THE_ROOM)));
    rows.put("GET /rooms/{room}", List.of(onRoom("GET", "", null)));
    rows.put("POST /rooms/{room}/join", List.of(onRoom("POST", "/join", null)));
    rows.put("POST /rooms/{room}/leave", List.of(onRoom("POST", "/leave", null)));
    rows.put(
        "POST /rooms/{room}/members",
        List.of(
            onRoom("POST", "/members", "{\"username\":\"bystander\"}"),
            onRoom("POST", "/members", "{\"username\":\"mallory\"}")));
    rows.put(
        "GET /rooms/{room}/messages",
        List.of(onRoom("GET", "/messages", null), onRoom("GET", "/messages?after=0", null)));
    rows.put(
        "DELETE /rooms/{room}/members/{username}",
        List.of(onRoom("DELETE", "/members/bob", null), onRoom("DELETE", "/members/alice", null)));
    rows.put("PUT /rooms/{room}/notify", List.of(onRoom("PUT", "/notify", "{\"level\":\"none\"}")));
    rows.put(
        "POST /rooms/{room}/files",
        List.of(new Probe((who, tok) -> upload(room, tok), Expect.REFUSED)));
    rows.put(
        "GET /files/{file}",
        List.of(
            new Probe(
                (who, tok) -> req("GET", "/api/files/" + fileId, tok, null), Expect.REFUSED)));
    rows.put(
        "GET /files/{file}/thumbnail",
        List.of(
            new Probe(
                (who, tok) -> req("GET", "/api/files/" + fileId + "/thumbnail", tok, null),
                Expect.REFUSED)));
    return rows;
  }

  /** A multipart upload of a text file holding {@link #SECRET}, with the caller's token. */
  private static HttpRequest.Builder upload(String roomId, String token) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(t.uri("/api/rooms/" + roomId + "/files"))
            .header("Content-Type", "multipart/form-data; boundary=" + FilesHttpTest.BOUNDARY)
            .POST(
                HttpRequest.BodyPublishers.ofByteArray(
                    FilesHttpTest.multipart(
                        "plans.txt",
                        "text/plain",
                        SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  /** Another session of the caller's account. */
  private static String freshSession(Who who) {
    String username = USERNAMES.get(who);
    HttpResponse<String> r =
        t.post(
            "/api/login",
            null,
            "{\"username\":\"" + username + "\",\"password\":\"correct horse battery\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return TestServer.json(r).path("token").asText();
  }

  private static Probe get(String path, Expect expect) {
    return new Probe((who, tok) -> req("GET", path, tok, null), expect);
  }

  private static Probe onRoom(String method, String rest, String body) {
    return new Probe(
        (who, tok) -> req(method, "/api/rooms/" + room + rest, tok, body), Expect.REFUSED);
  }

  private static String key(Route r) {
    return r.method() + " /" + String.join("/", r.pattern());
  }

  @Test
  void everyRouteHasARow() {
    Set<String> routes = new TreeSet<>();
    t.server.apiRoutes().forEach(r -> routes.add(key(r)));
    assertThat(routes).isNotEmpty();
    assertThat(new TreeSet<>(routeRows().keySet())).isEqualTo(routes);
  }

  @Test
  void everyEndpointIsRefusedToEveryoneOutsideTheRoom() {
    Map<String, List<Probe>> rows = routeRows();
    List<String> failures = new ArrayList<>();
    for (Route route : t.server.apiRoutes()) {
      for (Probe probe : rows.getOrDefault(key(route), List.of())) {
        for (Who who : Who.values()) {
          HttpResponse<String> r = t.send(probe.request().apply(who, TOKENS.get(who)));
          String problem = judge(who, probe.expect(), r);
          if (problem != null) {
            failures.add(key(route) + " × " + who + ": " + problem);
          }
        }
      }
    }
    assertThat(failures).isEmpty();
    // nobody's logout or sign-in attempt ended a session of the room's members
    assertThat(t.get("/api/me", alice.token()).statusCode()).isEqualTo(200);
    assertThat(t.get("/api/me", bob.token()).statusCode()).isEqualTo(200);
    assertRoomUntouchedAndWatchersHeardNothing();
  }

  private static String judge(Who who, Expect expect, HttpResponse<String> r) {
    String body = r.body();
    // (a refused file request may repeat the id it was asked for, as for an unknown id; its
    // bytes are SECRET, so a download would show)
    if (body.contains(SECRET) || body.contains(messageId)) {
      return "leaked " + r.statusCode() + " " + body;
    }
    int s = r.statusCode();
    if (expect == Expect.PUBLIC) {
      return s == 204 || (s >= 400 && s < 500) ? null : "answered " + s + " " + body;
    }
    if (!who.signedIn()) {
      return s == 401 ? null : "answered " + s + " " + body;
    }
    if (expect == Expect.REFUSED) {
      return s == 403 || s == 404 ? null : "answered " + s + " " + body;
    }
    if (body.contains(room)) {
      return "named the room: " + body;
    }
    return s < 300 ? null : "answered " + s + " " + body;
  }

  // =====================================================================================

  private static void assertRoomUntouchedAndWatchersHeardNothing() {
    JsonNode page = TestServer.json(t.get("/api/rooms/" + room + "/messages", alice.token()));
    assertThat(page.path("messages")).hasSize(1);
    JsonNode m = page.path("messages").get(0);
    assertThat(m.path("body").asText()).isEqualTo(SECRET);
    assertThat(m.path("deleted").asBoolean()).isFalse();
    assertThat(m.path("editedAt").isMissingNode()).isTrue();
    assertThat(m.path("reactions").size()).isZero();
    JsonNode summary = TestServer.json(t.get("/api/rooms/" + room, alice.token()));
    List<String> members = new ArrayList<>();
    summary.path("members").forEach(u -> members.add(u.path("username").asText()));
    assertThat(members).containsExactlyInAnyOrder("alice", "bob");
    for (Ws watcher : List.of(aliceWs, bobWs)) {
      watcher.expectNo("message", Duration.ofMillis(300));
      for (String f : watcher.drain()) {
        assertThat(TestServer.json(f).path("type").asText())
            .as("a watcher heard %s", f)
            .isEqualTo("presence");
      }
    }
  }
}
