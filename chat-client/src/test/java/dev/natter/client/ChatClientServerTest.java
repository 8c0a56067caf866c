package dev.natter.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.natter.core.ChatException;
import dev.natter.core.model.Message;
import dev.natter.core.model.MessagePage;
import dev.natter.core.model.Presence;
import dev.natter.core.model.RoomSummary;
import dev.natter.core.model.Visibility;
import dev.natter.core.protocol.ErrorCode;
import dev.natter.core.protocol.ServerEvent;
import dev.natter.core.spi.HeartbeatPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link ChatClient} against a real {@code NatterServer} on port 0. */
@Timeout(60)
class ChatClientServerTest {
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  private <T extends AutoCloseable> T closing(T c) {
    closeables.add(c);
    return c;
  }

  private Peer peer(ChatClientBuilder builder) throws Exception {
    return closing(Peer.connect(builder));
  }

  private static <T> T get(CompletableFuture<T> f) throws Exception {
    return f.get(10, TimeUnit.SECONDS);
  }

  private static void assertFailsWith(CompletableFuture<?> f, ErrorCode code) {
    assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(ChatException.class, e -> assertThat(e.code()).isEqualTo(code));
  }

  private static List<String> numbered(String prefix, int from, int to) {
    return IntStream.rangeClosed(from, to).mapToObj(i -> prefix + i).toList();
  }

  @Test
  void twoUsersTalkInADmInRealTime() throws Exception {
    LiveServer server = closing(LiveServer.start());
    Peer alice = peer(server.register("alice"));
    Peer bob = peer(server.register("bob"));

    RoomSummary dm = alice.client.openDm("bob").join();
    String room = dm.room().id();
    assertThat(dm.members())
        .extracting(u -> u.username())
        .containsExactlyInAnyOrder("alice", "bob");
    await().until(() -> bob.rooms.stream().anyMatch(r -> r.room().room().id().equals(room)));

    ServerEvent.Ack ack = get(alice.client.send(room, "hi bob"));
    assertThat(ack.room()).isEqualTo(room);
    assertThat(ack.seq()).isEqualTo(1);
    await().until(() -> bob.bodies(room).equals(List.of("hi bob")));
    Message received = bob.messages.get(0).message();
    assertThat(received.sender().username()).isEqualTo("alice");
    assertThat(bob.messages.get(0).clientMsgId()).isNull();
    // The sender's own connection gets the echo with its clientMsgId.
    await().until(() -> alice.bodies(room).equals(List.of("hi bob")));
    assertThat(alice.messages.get(0).clientMsgId()).isEqualTo(ack.clientMsgId());

    ServerEvent.Ack reply = get(bob.client.send(room, "hello alice", received.messageId()));
    await().until(() -> alice.bodies(room).equals(List.of("hi bob", "hello alice")));
    assertThat(alice.messages.get(1).message().replyTo()).isEqualTo(received.messageId());

    get(alice.client.edit(room, ack.messageId(), "hi bob!"));
    get(bob.client.react(room, ack.messageId(), "👍", true));
    await().until(() -> alice.updates.size() == 2 && bob.updates.size() == 2);
    assertThat(bob.updates.get(0).body()).isEqualTo("hi bob!");
    assertThat(alice.updates.get(1).reactions()).containsKey("👍");
    get(bob.client.delete(room, reply.messageId()));
    await().until(() -> alice.updates.size() == 3);
    assertThat(alice.updates.get(2).deleted()).isTrue();

    bob.client.markRead(room, 2);
    await().until(() -> alice.reads.stream().anyMatch(r -> r.seq() == 2));

    MessagePage page = get(bob.client.history(room, HistoryQuery.latest(10)));
    assertThat(page.messages()).extracting(Message::seq).containsExactly(1L, 2L);
    assertThat(page.messages().get(0).body()).isEqualTo("hi bob!");
    assertThat(page.messages().get(1).deleted()).isTrue();
    assertThat(get(alice.client.history(room, HistoryQuery.after(0, 1))).messages())
        .extracting(Message::seq)
        .containsExactly(1L);
    assertThat(alice.seqs(room)).containsExactly(1L, 2L);
    assertThat(bob.seqs(room)).containsExactly(1L, 2L);
  }

  @Test
  void typingAndPresenceReachTheMembersAndAnOutsiderGetsOnlyErrors() throws Exception {
    LiveServer server = closing(LiveServer.start());
    Peer alice = peer(server.register("alice"));
    Peer bob = peer(server.register("bob"));
    Peer carol = peer(server.register("carol"));
    String room = alice.client.openDm("bob").join().room().id();
    await().until(() -> bob.rooms.size() == 1);

    // Sharing a room, alice and bob learn that the other is online; carol learns nothing.
    await()
        .until(
            () ->
                alice.presence.stream()
                    .anyMatch(
                        p ->
                            p.presence().user().username().equals("bob")
                                && p.presence().status() == Presence.Status.ONLINE));

    alice.client.typing(room, true);
    await().until(() -> !bob.typing.isEmpty());
    ServerEvent.TypingEvent typing = bob.typing.get(0);
    assertThat(typing.room()).isEqualTo(room);
    assertThat(typing.user().username()).isEqualTo("alice");
    assertThat(typing.active()).isTrue();

    // The outsider: every request about the room fails, and nothing of it reaches her.
    assertFailsWith(carol.client.send(room, "let me in"), ErrorCode.FORBIDDEN);
    assertFailsWith(carol.client.history(room, HistoryQuery.latest(10)), ErrorCode.FORBIDDEN);
    carol.client.typing(room, true);
    await().until(() -> carol.errors.size() == 1);
    assertThat(carol.errors.get(0).code()).isEqualTo(ErrorCode.FORBIDDEN);

    get(alice.client.send(room, "private"));
    bob.close();
    await()
        .until(
            () ->
                alice.presence.stream()
                    .anyMatch(
                        p ->
                            p.presence().user().username().equals("bob")
                                && p.presence().status() == Presence.Status.OFFLINE));
    Thread.sleep(200); // time for anything misrouted to arrive
    assertThat(carol.messages).isEmpty();
    assertThat(carol.typing).isEmpty();
    assertThat(carol.presence).isEmpty();
    assertThat(carol.rooms).isEmpty();
    assertThat(alice.typing).isEmpty(); // not her own
  }

  @Test
  void aConnectionCutMidConversationResumesWithNothingMissedOrTwice() throws Exception {
    LiveServer server = closing(LiveServer.start());
    TcpProxy proxy = closing(new TcpProxy(server.port()));
    Peer alice =
        peer(
            ChatClient.builder(proxy.uri())
                .register("alice", LiveServer.PASSWORD)
                .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(400))
                .answerTimeout(Duration.ofSeconds(2)));
    Peer bob = peer(server.register("bob"));
    String room = bob.client.openDm("alice").join().room().id();

    for (String body : numbered("before ", 1, 3)) {
      get(bob.client.send(room, body));
    }
    await().until(() -> alice.bodies(room).size() == 3);

    proxy.refuse(true);
    proxy.cut();
    await().until(() -> alice.client.state() == ConnectionState.RECONNECTING);
    for (String body : numbered("during ", 1, 10)) {
      get(bob.client.send(room, body));
    }
    CompletableFuture<ServerEvent.Ack> sentDuringOutage = alice.client.send(room, "alice, offline");
    Thread.sleep(300);
    assertThat(sentDuringOutage).isNotDone();
    proxy.refuse(false);

    ServerEvent.Ack ack = get(sentDuringOutage);
    for (String body : numbered("after ", 1, 3)) {
      get(bob.client.send(room, body));
    }
    List<String> expected = new ArrayList<>(numbered("before ", 1, 3));
    expected.addAll(numbered("during ", 1, 10));
    expected.add("alice, offline");
    expected.addAll(numbered("after ", 1, 3));
    await().until(() -> alice.bodies(room).size() >= expected.size());
    await().until(() -> bob.bodies(room).size() >= expected.size());
    Thread.sleep(200);
    assertThat(alice.bodies(room)).isEqualTo(expected);
    assertThat(bob.bodies(room)).isEqualTo(expected);
    assertThat(alice.seqs(room))
        .isEqualTo(java.util.stream.LongStream.rangeClosed(1, expected.size()).boxed().toList());
    assertThat(ack.seq()).isEqualTo(14);
    assertThat(alice.readies).hasSize(2);
    assertThat(alice.states)
        .containsSubsequence(
            ConnectionState.CONNECTED, ConnectionState.RECONNECTING, ConnectionState.CONNECTED);
  }

  @Test
  void aLongOutageBeyondTheReplayLimitIsFilledFromHistory() throws Exception {
    LiveServer server =
        closing(
            LiveServer.start(b -> b.limits(dev.natter.core.Limits.defaults().withSyncLimit(3))));
    TcpProxy proxy = closing(new TcpProxy(server.port()));
    Peer alice =
        peer(
            ChatClient.builder(proxy.uri())
                .register("alice", LiveServer.PASSWORD)
                .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(400))
                .answerTimeout(Duration.ofSeconds(2)));
    Peer bob = peer(server.register("bob"));
    String room = bob.client.openDm("alice").join().room().id();
    get(bob.client.send(room, "m1"));
    await().until(() -> alice.bodies(room).size() == 1);

    proxy.refuse(true);
    proxy.cut();
    await().until(() -> alice.client.state() == ConnectionState.RECONNECTING);
    for (String body : numbered("m", 2, 19)) {
      get(bob.client.send(room, body));
    }
    proxy.refuse(false);
    await().until(() -> alice.bodies(room).size() >= 19);
    Thread.sleep(200);
    assertThat(alice.bodies(room)).isEqualTo(numbered("m", 1, 19));
  }

  @Test
  void sendsCutOffBeforeTheirAckAreStoredOnceAndCompleteOnce() throws Exception {
    LiveServer server = closing(LiveServer.start());
    TcpProxy proxy = closing(new TcpProxy(server.port()));
    Peer alice =
        peer(
            ChatClient.builder(proxy.uri())
                .register("alice", LiveServer.PASSWORD)
                .reconnectBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
                .answerTimeout(Duration.ofSeconds(1)));
    Peer bob = peer(server.register("bob"));
    String room = alice.client.openDm("bob").join().room().id();

    List<CompletableFuture<ServerEvent.Ack>> sends = new ArrayList<>();
    for (int i = 1; i <= 8; i++) {
      sends.add(alice.client.send(room, "n" + i));
      if (i % 2 == 0) {
        proxy.cut(); // the frame may or may not have reached the server; the ack did not
      }
      Thread.sleep(i * 5L);
    }
    for (CompletableFuture<ServerEvent.Ack> f : sends) {
      get(f);
    }
    assertThat(sends.stream().map(f -> f.join().messageId()).distinct()).hasSize(8);
    MessagePage stored = get(alice.client.history(room, HistoryQuery.after(0, 100)));
    assertThat(stored.messages())
        .extracting(Message::body)
        .containsExactlyElementsOf(numbered("n", 1, 8));
    await().until(() -> bob.bodies(room).size() >= 8 && alice.bodies(room).size() >= 8);
    Thread.sleep(200);
    assertThat(bob.bodies(room)).isEqualTo(numbered("n", 1, 8));
    assertThat(alice.bodies(room)).isEqualTo(numbered("n", 1, 8));
    assertThat(alice.client.outbox().entries()).isEmpty();
  }

  @Test
  void clientsResumeWhenTheServerRestartsOnTheSamePort() throws Exception {
    LiveServer server = closing(LiveServer.start());
    Peer alice = peer(server.register("alice"));
    Peer bob = peer(server.register("bob"));
    String room = alice.client.openDm("bob").join().room().id();
    get(alice.client.send(room, "one"));
    await().until(() -> bob.bodies(room).size() == 1);

    server.stop();
    await().until(() -> alice.client.state() == ConnectionState.RECONNECTING);
    await().until(() -> bob.client.state() == ConnectionState.RECONNECTING);
    CompletableFuture<ServerEvent.Ack> whileDown = alice.client.send(room, "two");
    Thread.sleep(300);
    server.startAgain();

    assertThat(get(whileDown).seq()).isEqualTo(2);
    get(bob.client.send(room, "three"));
    await().until(() -> alice.bodies(room).size() >= 3 && bob.bodies(room).size() >= 3);
    Thread.sleep(200);
    assertThat(alice.bodies(room)).containsExactly("one", "two", "three");
    assertThat(bob.bodies(room)).containsExactly("one", "two", "three");
    assertThat(bob.client.state()).isEqualTo(ConnectionState.CONNECTED);
  }

  @Test
  void loggingOutElsewhereSignsTheClientOut() throws Exception {
    LiveServer server = closing(LiveServer.start());
    Peer alice = peer(server.register("alice"));
    String token = get(alice.client.session()).token();
    Peer sameSession = peer(ChatClient.builder(server.uri()).token(token));
    assertThat(get(sameSession.client.session()).user().username()).isEqualTo("alice");

    get(sameSession.client.logout());
    assertThat(sameSession.client.state()).isEqualTo(ConnectionState.SIGNED_OUT);
    await().until(() -> alice.client.state() == ConnectionState.SIGNED_OUT);
    assertFailsWith(alice.client.send("any", "x"), ErrorCode.UNAUTHORIZED);
    Thread.sleep(300);
    assertThat(alice.readies).hasSize(1); // no reconnect
    assertThatThrownBy(
            () ->
                ChatClient.builder(server.uri())
                    .token(token)
                    .build()
                    .connect()
                    .get(10, TimeUnit.SECONDS))
        .cause()
        .isInstanceOfSatisfying(
            ChatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED));
  }

  @Test
  void aWrongPasswordFailsConnect() throws Exception {
    LiveServer server = closing(LiveServer.start());
    peer(server.register("alice"));
    ChatClient wrong =
        closing(ChatClient.builder(server.uri()).login("alice", "not the password").build());
    assertThatThrownBy(() -> wrong.connect().get(10, TimeUnit.SECONDS))
        .cause()
        .isInstanceOfSatisfying(
            ChatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED));
    assertThat(wrong.state()).isEqualTo(ConnectionState.SIGNED_OUT);
    Peer again = peer(ChatClient.builder(server.uri()).login("alice", LiveServer.PASSWORD));
    assertThat(again.client.state()).isEqualTo(ConnectionState.CONNECTED);
  }

  @Test
  void aSessionOverHttpAloneOpensNoConnection() throws Exception {
    LiveServer server = closing(LiveServer.start());
    Session registered =
        get(
            sessionOf(
                ChatClient.builder(server.uri()).register("alice", LiveServer.PASSWORD, "Alice")));
    assertThat(registered.user().username()).isEqualTo("alice");
    assertThat(registered.user().displayName()).isEqualTo("Alice");
    Session signedIn =
        get(sessionOf(ChatClient.builder(server.uri()).login("alice", LiveServer.PASSWORD)));
    assertThat(signedIn.user()).isEqualTo(registered.user());
    assertThat(signedIn.token()).isNotEqualTo(registered.token()).hasSizeGreaterThan(40);
    Session byToken = get(sessionOf(ChatClient.builder(server.uri()).token(signedIn.token())));
    assertThat(byToken).isEqualTo(signedIn);
    assertThat(server.engine().connectionCount()).isZero();

    assertFailsWith(
        sessionOf(ChatClient.builder(server.uri()).login("alice", "not the password")),
        ErrorCode.UNAUTHORIZED);
    assertFailsWith(
        sessionOf(ChatClient.builder(server.uri()).register("alice", LiveServer.PASSWORD)),
        ErrorCode.CONFLICT);
    assertFailsWith(
        sessionOf(ChatClient.builder(server.uri()).token("made up")), ErrorCode.UNAUTHORIZED);

    Peer alice = peer(ChatClient.builder(server.uri()).token(signedIn.token()));
    assertThat(get(alice.client.session()).user().username()).isEqualTo("alice");
    assertThat(server.engine().connectionCount()).isEqualTo(1);
  }

  @Test
  void loginOrRegisterCreatesTheAccountOnceAndThenLogsIn() throws Exception {
    LiveServer server = closing(LiveServer.start());
    Session first =
        get(
            sessionOf(
                ChatClient.builder(server.uri()).loginOrRegister("bot", LiveServer.PASSWORD)));
    Session again =
        get(
            sessionOf(
                ChatClient.builder(server.uri()).loginOrRegister("bot", LiveServer.PASSWORD)));
    assertThat(again.user()).isEqualTo(first.user());
    assertThat(again.token()).isNotEqualTo(first.token());
    assertFailsWith(
        sessionOf(ChatClient.builder(server.uri()).loginOrRegister("bot", "not the password")),
        ErrorCode.UNAUTHORIZED);
    Peer bot = peer(ChatClient.builder(server.uri()).loginOrRegister("bot", LiveServer.PASSWORD));
    assertThat(bot.readies.get(0).user()).isEqualTo(first.user());
  }

  /** The session of a client built from {@code b} (closed after the test; no WebSocket). */
  private CompletableFuture<Session> sessionOf(ChatClientBuilder b) {
    return closing(b.build()).session();
  }

  @Test
  void withRetryFirstConnectAClientStartedBeforeTheServerConnectsOnceItIsUp() throws Exception {
    LiveServer server = closing(LiveServer.start());
    server.stop();
    Peer peer =
        closing(
            new Peer(
                ChatClient.builder(server.uri())
                    .register("alice", LiveServer.PASSWORD)
                    .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(400))
                    .retryFirstConnect(true)));
    ChatClient alice = peer.client;
    List<Throwable> failures = peer.connectFailures;
    CompletableFuture<ServerEvent.Ready> connected = alice.connect();
    await().until(() -> failures.size() >= 2);
    assertThat(connected).isNotDone();
    assertThat(alice.state()).isEqualTo(ConnectionState.CONNECTING);

    server.startAgain();
    assertThat(get(connected).user().username()).isEqualTo("alice");
    assertThat(alice.state()).isEqualTo(ConnectionState.CONNECTED);
  }

  @Test
  void aReconnectReportsHowManyMessagesItReplayed() throws Exception {
    LiveServer server = closing(LiveServer.start());
    TcpProxy proxy = closing(new TcpProxy(server.port()));
    Peer alice =
        peer(
            ChatClient.builder(proxy.uri())
                .register("alice", LiveServer.PASSWORD)
                .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(400))
                .answerTimeout(Duration.ofSeconds(2)));
    List<ConnectionEvent.Resumed> resumed = alice.resumed;
    Peer bob = peer(server.register("bob"));
    String room = bob.client.openDm("alice").join().room().id();
    get(bob.client.send(room, "before"));
    await().until(() -> alice.bodies(room).size() == 1);

    proxy.refuse(true);
    proxy.cut();
    await().until(() -> alice.client.state() == ConnectionState.RECONNECTING);
    for (String body : numbered("missed ", 1, 5)) {
      get(bob.client.send(room, body));
    }
    assertThat(resumed).isEmpty();
    proxy.refuse(false);
    await().until(() -> resumed.size() == 1);
    assertThat(resumed.get(0).replayed()).isEqualTo(java.util.Map.of(room, 5));
    assertThat(alice.bodies(room)).hasSize(6);
    get(bob.client.send(room, "live"));
    await().until(() -> alice.bodies(room).size() == 7);
    assertThat(resumed).hasSize(1);
  }

  @Test
  void heartbeatPingsAreAnsweredSoTheConnectionStays() throws Exception {
    // The server closes a connection silent for 1 s; 3 s means about 15 pings answered.
    LiveServer server = closing(LiveServer.start(b -> b.heartbeat(HeartbeatPolicy.of(200, 1_000))));
    Peer alice = peer(server.register("alice"));
    Thread.sleep(3_000);
    assertThat(alice.readies).hasSize(1);
    assertThat(alice.client.state()).isEqualTo(ConnectionState.CONNECTED);
  }

  @Test
  void theHttpHelpersCoverRoomsUsersAndSearch() throws Exception {
    LiveServer server = closing(LiveServer.start());
    Peer alice = peer(server.register("alice"));
    Peer bob = peer(server.register("bob"));
    Peer carol = peer(server.register("carol"));

    assertThat(alice.client.session().join().user().username()).isEqualTo("alice");
    assertThat(alice.client.searchUsers("bo").join()).extracting(u -> u.username()).contains("bob");

    RoomSummary general =
        alice.client.createRoom("general", Visibility.PUBLIC, List.of("bob")).join();
    String id = general.room().id();
    assertThat(general.members())
        .extracting(u -> u.username())
        .containsExactlyInAnyOrder("alice", "bob");
    assertThat(carol.client.publicRooms().join()).extracting(r -> r.room().id()).contains(id);
    assertThat(carol.client.join(id).join().members()).hasSize(3);
    assertThat(carol.client.rooms().join()).extracting(r -> r.room().id()).containsExactly(id);
    carol.client.leave(id).join();
    assertThat(carol.client.rooms().join()).isEmpty();

    RoomSummary secret = alice.client.createRoom("secret", Visibility.PRIVATE, List.of()).join();
    assertFailsWith(carol.client.join(secret.room().id()), ErrorCode.FORBIDDEN);
    assertThat(alice.client.invite(secret.room().id(), "carol").join().members()).hasSize(2);
    await()
        .until(
            () ->
                carol.rooms.stream()
                    .anyMatch(r -> r.room().room().id().equals(secret.room().id())));
    get(carol.client.send(secret.room().id(), "thanks for the invite"));
    alice.client.kick(secret.room().id(), "carol").join();
    assertFailsWith(carol.client.send(secret.room().id(), "still here?"), ErrorCode.FORBIDDEN);

    get(bob.client.send(id, "the quick brown fox"));
    assertThat(alice.client.search("brown").join())
        .extracting(h -> h.message().body())
        .containsExactly("the quick brown fox");
    assertThat(alice.client.room(id).join().lastSeq()).isEqualTo(1);
    assertFailsWith(alice.client.openDm("nobody"), ErrorCode.NOT_FOUND);
    assertThat(alice.client.search("brown", id).join()).hasSize(1);

    // By name: a public room once, then the same room again; an unknown name fails.
    RoomSummary lobby = alice.client.createRoom("Lobby", Visibility.PUBLIC, List.of()).join();
    assertThat(carol.client.joinByName("lobby").join().room().id()).isEqualTo(lobby.room().id());
    assertThat(carol.client.joinByName("LOBBY").join().room().id()).isEqualTo(lobby.room().id());
    assertFailsWith(carol.client.joinByName("no such room"), ErrorCode.NOT_FOUND);
    await()
        .until(
            () ->
                carol.rooms.stream().anyMatch(r -> r.room().room().id().equals(lobby.room().id())));
  }
}
