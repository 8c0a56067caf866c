package dev.natter.client;

import static dev.natter.client.Fixtures.ME;
import static dev.natter.client.Fixtures.T0;
import static dev.natter.client.Fixtures.message;
import static dev.natter.client.Fixtures.msg;
import static dev.natter.client.Fixtures.ready;
import static dev.natter.client.Fixtures.summary;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.natter.core.ChatException;
import dev.natter.core.protocol.ClientCommand;
import dev.natter.core.protocol.ErrorCode;
import dev.natter.core.protocol.ServerEvent;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client's connection, sequencing and retry logic, against a scripted fake transport. */
class ChatClientTest {
  private final ScriptedTransport transport = new ScriptedTransport();
  private Peer peer;
  private List<ServerEvent.MessageEvent> delivered;
  private List<ConnectionState> states;
  private List<ServerEvent.Error> errors;
  private List<ServerEvent.MessageUpdated> updates;
  private List<ServerEvent.RoomLeft> left;
  private List<ServerEvent.RoomEvent> joined;
  private ChatClient client;

  private ChatClientBuilder builder() {
    return ChatClientBuilder.withTransport(transport)
        .token("token-1")
        .reconnectBackoff(Duration.ofMillis(1), Duration.ofMillis(5));
  }

  /** Builds the client with a recording listener (and returns it). */
  private ChatClient build(ChatClientBuilder b) {
    peer = new Peer(b);
    delivered = peer.messages;
    states = peer.states;
    errors = peer.errors;
    updates = peer.updates;
    left = peer.left;
    joined = peer.rooms;
    client = peer.client;
    return client;
  }

  @AfterEach
  void closeClient() {
    if (client != null) {
      client.close();
    }
  }

  private ScriptedTransport.Conn connect(ServerEvent.Ready ready) throws Exception {
    build(builder());
    CompletableFuture<ServerEvent.Ready> connected = client.connect();
    ScriptedTransport.Conn conn = transport.nextConnection();
    conn.emit(ready);
    assertThat(connected.get(5, TimeUnit.SECONDS)).isEqualTo(ready);
    return conn;
  }

  /** A listener that hears only what happens to the connection. */
  private static ChatListener onConnection(java.util.function.Consumer<ConnectionEvent> hear) {
    return new ChatListener() {
      @Override
      public void onEvent(ChatClient c, ServerEvent event) {}

      @Override
      public void onConnectionEvent(ChatClient c, ConnectionEvent event) {
        hear.accept(event);
      }
    };
  }

  private List<Long> seqs(String room) {
    return delivered.stream()
        .filter(e -> e.message().room().equals(room))
        .map(e -> e.message().seq())
        .toList();
  }

  private static List<Long> range(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }

  @Test
  void connectCompletesOnReadyAndDeliversEachMessageOnceInOrder() throws Exception {
    ScriptedTransport.Conn conn = connect(ready(summary("r", 5)));
    assertThat(transport.tokens).containsExactly("token-1");
    assertThat(client.state()).isEqualTo(ConnectionState.CONNECTED);
    assertThat(client.session().get(5, TimeUnit.SECONDS).user()).isEqualTo(ME);

    conn.emit(msg("r", 5), msg("r", 6), msg("r", 7), msg("r", 6), msg("r", 7));

    await().until(() -> seqs("r").size() == 2);
    conn.expectSilence(); // no gap, so no sync
    assertThat(seqs("r")).containsExactly(6L, 7L);
    assertThat(client.lastSeen()).containsEntry("r", 7L);
    assertThat(states).containsExactly(ConnectionState.CONNECTING, ConnectionState.CONNECTED);
  }

  @Test
  void aMessageAheadOfAGapWaitsUntilSyncFillsIt() throws Exception {
    ScriptedTransport.Conn conn = connect(ready(summary("r", 0)));
    conn.emit(msg("r", 1), msg("r", 3));
    ClientCommand.Sync sync = conn.next(ClientCommand.Sync.class);
    assertThat(sync.rooms()).isEqualTo(Map.of("r", 1L));
    assertThat(seqs("r")).containsExactly(1L);

    conn.emit(msg("r", 2), msg("r", 3), new ServerEvent.Synced(sync.id(), "r", 3, false));
    await().until(() -> seqs("r").size() == 3);
    conn.expectSilence();
    assertThat(seqs("r")).containsExactly(1L, 2L, 3L);
  }

  @Test
  void afterAReconnectItSyncsFromTheLastSeenSeqAndDeliversNothingTwice() throws Exception {
    ScriptedTransport.Conn first = connect(ready(summary("a", 2), summary("b", 0)));
    first.emit(msg("a", 3), msg("b", 1));
    await().until(() -> delivered.size() == 2);

    first.drop(1006);
    ScriptedTransport.Conn second = transport.nextConnection();
    await().until(() -> client.state() == ConnectionState.RECONNECTING);
    second.emit(ready(summary("a", 5), summary("b", 1)));
    ClientCommand.Sync sync = second.next(ClientCommand.Sync.class);
    assertThat(sync.rooms()).isEqualTo(Map.of("a", 3L, "b", 1L));

    // A live message overtakes the replay; the replay repeats it.
    second.emit(msg("a", 6));
    second.emit(msg("a", 4), msg("a", 5), msg("a", 6));
    second.emit(new ServerEvent.Synced(sync.id(), "a", 6, false));
    second.emit(new ServerEvent.Synced(sync.id(), "b", 1, false));
    await().until(() -> seqs("a").size() == 4);
    second.expectSilence();
    assertThat(seqs("a")).containsExactly(3L, 4L, 5L, 6L);
    assertThat(seqs("b")).containsExactly(1L);
    assertThat(states)
        .containsExactly(
            ConnectionState.CONNECTING,
            ConnectionState.CONNECTED,
            ConnectionState.RECONNECTING,
            ConnectionState.CONNECTED);
  }

  @Test
  void aLimitedReplayIsCompletedByPagingBackWithHistory() throws Exception {
    ScriptedTransport.Conn first = connect(ready(summary("r", 3)));
    first.drop(1001);
    ScriptedTransport.Conn conn = transport.nextConnection();
    conn.emit(ready(summary("r", 10)));
    ClientCommand.Sync sync = conn.next(ClientCommand.Sync.class);
    assertThat(sync.rooms()).isEqualTo(Map.of("r", 3L));

    // The server replays only the newest three and says so.
    conn.emit(msg("r", 8), msg("r", 9), msg("r", 10));
    conn.emit(new ServerEvent.Synced(sync.id(), "r", 10, true));
    ClientCommand.History page1 = conn.next(ClientCommand.History.class);
    assertThat(page1.room()).isEqualTo("r");
    assertThat(page1.before()).isEqualTo(8L);
    assertThat(delivered).isEmpty();

    conn.emit(
        new ServerEvent.HistoryPage(
            page1.id(), "r", List.of(message("r", 6), message("r", 7)), true));
    ClientCommand.History page2 = conn.next(ClientCommand.History.class);
    assertThat(page2.before()).isEqualTo(6L);
    conn.emit(
        new ServerEvent.HistoryPage(
            page2.id(), "r", List.of(message("r", 3), message("r", 4), message("r", 5)), true));

    await().until(() -> seqs("r").size() == 7);
    conn.expectSilence();
    assertThat(seqs("r")).isEqualTo(range(4, 10));
  }

  @Test
  void aGapTheServerCannotFillIsSkippedRatherThanWaitingForever() throws Exception {
    ScriptedTransport.Conn first = connect(ready(summary("r", 0)));
    first.emit(msg("r", 1), msg("r", 5));
    ClientCommand.Sync sync = first.next(ClientCommand.Sync.class);
    first.emit(msg("r", 5), new ServerEvent.Synced(sync.id(), "r", 5, true));
    ClientCommand.History page = first.next(ClientCommand.History.class);
    first.emit(new ServerEvent.HistoryPage(page.id(), "r", List.of(), false));
    await().until(() -> seqs("r").size() == 2);
    assertThat(seqs("r")).containsExactly(1L, 5L);
  }

  @Test
  void anUnackedSendIsResentWithTheSameClientMsgIdAndCompletesOnce() throws Exception {
    ScriptedTransport.Conn first = connect(ready(summary("r", 0)));
    CompletableFuture<ServerEvent.Ack> ack = client.send("r", "hello");
    ClientCommand.Send sent = first.next(ClientCommand.Send.class);
    assertThat(sent.body()).isEqualTo("hello");
    assertThat(sent.id()).isEqualTo(sent.clientMsgId());
    assertThat(client.outbox().entries()).hasSize(1);

    first.drop(1006);
    // Sent while disconnected: waits in the outbox.
    CompletableFuture<ServerEvent.Ack> later = client.send("r", "during the outage");
    ScriptedTransport.Conn second = transport.nextConnection();
    await().until(() -> client.outbox().entries().size() == 2);
    second.emit(ready(summary("r", 1)));
    second.next(ClientCommand.Sync.class);
    ClientCommand.Send resent = second.next(ClientCommand.Send.class);
    ClientCommand.Send queued = second.next(ClientCommand.Send.class);
    assertThat(resent.clientMsgId()).isEqualTo(sent.clientMsgId());
    assertThat(queued.body()).isEqualTo("during the outage");

    ServerEvent.Ack original =
        new ServerEvent.Ack(resent.id(), resent.clientMsgId(), "r", 1, "m1", T0);
    second.emit(original, original); // a duplicate ack changes nothing
    ServerEvent.Ack second2 =
        new ServerEvent.Ack(queued.id(), queued.clientMsgId(), "r", 2, "m2", T0);
    second.emit(second2);
    assertThat(ack.get(5, TimeUnit.SECONDS)).isEqualTo(original);
    assertThat(later.get(5, TimeUnit.SECONDS)).isEqualTo(second2);
    await().until(() -> client.outbox().entries().isEmpty());
  }

  @Test
  void sendingTheSameClientMsgIdTwiceCompletesBothFuturesWithTheOneAck() throws Exception {
    ScriptedTransport.Conn conn = connect(ready(summary("r", 0)));
    Outbox.Entry entry = new Outbox.Entry("same-id", "r", "once", null);
    CompletableFuture<ServerEvent.Ack> first = client.send(entry);
    CompletableFuture<ServerEvent.Ack> second = client.send(entry);
    ClientCommand.Send sent = conn.next(ClientCommand.Send.class);
    conn.next(ClientCommand.Send.class);
    ServerEvent.Ack ack = new ServerEvent.Ack(sent.id(), "same-id", "r", 1, "m1", T0);
    conn.emit(ack, ack);
    assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo(ack);
    assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo(ack);
    assertThat(client.outbox().entries()).isEmpty();
  }

  @Test
  void aSendTheServerRejectsFailsWithItsErrorCode() throws Exception {
    ScriptedTransport.Conn conn = connect(ready(summary("r", 0)));
    CompletableFuture<ServerEvent.Ack> ack = client.send("nope", "hi");
    ClientCommand.Send sent = conn.next(ClientCommand.Send.class);
    conn.emit(new ServerEvent.Error(sent.id(), ErrorCode.FORBIDDEN, "not a member"));
    assertThatThrownBy(() -> ack.get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            ChatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));
    await().until(() -> client.outbox().entries().isEmpty());
    assertThat(errors).isEmpty(); // the future got it
  }

  @Test
  void errorsOfRequestsWithoutAFutureGoToOnError() throws Exception {
    ScriptedTransport.Conn conn = connect(ready(summary("r", 0)));
    client.typing("secret", true);
    assertThat(conn.next(ClientCommand.Typing.class).room()).isEqualTo("secret");
    conn.emit(new ServerEvent.Error(null, ErrorCode.FORBIDDEN, "not a member"));
    await().until(() -> errors.size() == 1);
    assertThat(errors.get(0).code()).isEqualTo(ErrorCode.FORBIDDEN);
  }

  @Test
  void editsAndReactionsSurviveAReconnect() throws Exception {
    ScriptedTransport.Conn first = connect(ready(summary("r", 2)));
    CompletableFuture<Void> edit = client.edit("r", "m1", "fixed");
    CompletableFuture<Void> react = client.react("r", "m1", "👍", true);
    ClientCommand.Edit e1 = first.next(ClientCommand.Edit.class);
    first.next(ClientCommand.React.class);
    first.drop(1006);

    ScriptedTransport.Conn second = transport.nextConnection();
    second.emit(ready(summary("r", 2)));
    second.next(ClientCommand.Sync.class);
    ClientCommand.Edit e2 = second.next(ClientCommand.Edit.class);
    ClientCommand.React r2 = second.next(ClientCommand.React.class);
    assertThat(e2).isEqualTo(e1);
    second.emit(new ServerEvent.Ok(e2.id()), new ServerEvent.Ok(r2.id()));
    edit.get(5, TimeUnit.SECONDS);
    react.get(5, TimeUnit.SECONDS);
  }

  @Test
  void closeCode4001SignsOutAndDoesNotReconnect() throws Exception {
    ScriptedTransport.Conn conn = connect(ready(summary("r", 0)));
    CompletableFuture<ServerEvent.Ack> pending = client.send("r", "hi");
    conn.next(ClientCommand.Send.class);
    conn.drop(4001);
    await().until(() -> client.state() == ConnectionState.SIGNED_OUT);
    assertThatThrownBy(() -> pending.get(5, TimeUnit.SECONDS))
        .cause()
        .isInstanceOfSatisfying(
            ChatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED));
    Thread.sleep(100);
    assertThat(transport.attempts.get()).isEqualTo(1);
    assertThat(client.outbox().entries()).hasSize(1); // kept for a later session
    assertThatThrownBy(() -> client.send("r", "x").get(5, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(ChatException.class);
  }

  @Test
  void aTokenRefusedOnReconnectSignsOut() throws Exception {
    ScriptedTransport.Conn conn = connect(ready(summary("r", 0)));
    transport.refuse = () -> new ChatException.Unauthorized("refused");
    conn.drop(1006);
    await().until(() -> client.state() == ConnectionState.SIGNED_OUT);
    assertThat(transport.attempts.get()).isEqualTo(2);
  }

  @Test
  void aServerCloseWith1000EndsTheClientWithoutReconnecting() throws Exception {
    ScriptedTransport.Conn conn = connect(ready(summary("r", 0)));
    conn.drop(1000);
    await().until(() -> client.state() == ConnectionState.CLOSED);
    Thread.sleep(100);
    assertThat(transport.attempts.get()).isEqualTo(1);
  }

  @Test
  void itKeepsRetryingWhileTheServerIsUnreachable() throws Exception {
    ScriptedTransport.Conn conn = connect(ready(summary("r", 0)));
    transport.refuse = () -> new IOException("connection refused");
    conn.drop(1006);
    await().until(() -> transport.attempts.get() >= 6);
    assertThat(client.state()).isEqualTo(ConnectionState.RECONNECTING);
    transport.refuse = null;
    ScriptedTransport.Conn back = transport.nextConnection();
    back.emit(ready(summary("r", 0)));
    await().until(() -> client.state() == ConnectionState.CONNECTED);
  }

  @Test
  void theFirstConnectFailingFailsTheFutureAndClosesTheClient() {
    transport.refuse = () -> new IOException("connection refused");
    build(builder());
    assertThatThrownBy(() -> client.connect().get(5, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(IOException.class);
    assertThat(client.state()).isEqualTo(ConnectionState.CLOSED);
  }

  @Test
  void withRetryFirstConnectAFailedFirstConnectIsRetriedUntilTheServerAnswers() throws Exception {
    transport.refuse = () -> new IOException("connection refused");
    build(builder().retryFirstConnect(true));
    List<Throwable> failures = peer.connectFailures;
    CompletableFuture<ServerEvent.Ready> connected = client.connect();
    await().until(() -> transport.attempts.get() >= 3);
    assertThat(connected).isNotDone();
    assertThat(client.state()).isEqualTo(ConnectionState.CONNECTING);
    assertThat(failures).hasSizeGreaterThanOrEqualTo(2).allMatch(f -> f instanceof IOException);

    transport.refuse = null;
    ScriptedTransport.Conn conn = transport.nextConnection();
    ServerEvent.Ready ready = ready(summary("r", 0));
    conn.emit(ready);
    assertThat(connected.get(5, TimeUnit.SECONDS)).isEqualTo(ready);
    assertThat(states).containsExactly(ConnectionState.CONNECTING, ConnectionState.CONNECTED);
  }

  @Test
  void withRetryFirstConnectARefusedTokenStillSignsOut() {
    transport.refuse = () -> new ChatException.Unauthorized("refused");
    build(builder().retryFirstConnect(true));
    assertThatThrownBy(() -> client.connect().get(5, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(ChatException.class);
    assertThat(client.state()).isEqualTo(ConnectionState.SIGNED_OUT);
    assertThat(transport.attempts.get()).isEqualTo(1);
  }

  @Test
  void aResumeIsReportedOnceEveryRoomHasCaughtUpWithTheCountPerRoom() throws Exception {
    List<Integer> deliveredWhenResumed = new CopyOnWriteArrayList<>();
    build(builder());
    List<ConnectionEvent.Resumed> resumed = peer.resumed;
    client.addListener(
        onConnection(
            event -> {
              if (event instanceof ConnectionEvent.Resumed) {
                deliveredWhenResumed.add(delivered.size());
              }
            }));
    client.connect();
    ScriptedTransport.Conn first = transport.nextConnection();
    first.emit(ready(summary("a", 2), summary("b", 0), summary("c", 4)));
    await().until(() -> client.state() == ConnectionState.CONNECTED);
    first.drop(1006);

    ScriptedTransport.Conn second = transport.nextConnection();
    second.emit(ready(summary("a", 8), summary("b", 1), summary("c", 4)));
    ClientCommand.Sync sync = second.next(ClientCommand.Sync.class);
    assertThat(sync.rooms()).isEqualTo(Map.of("a", 2L, "b", 0L, "c", 4L));
    // a: a limited replay, completed by a history page; b: one message; c: nothing new
    second.emit(msg("a", 6), msg("a", 7), msg("a", 8));
    second.emit(new ServerEvent.Synced(sync.id(), "a", 8, true));
    ClientCommand.History page = second.next(ClientCommand.History.class);
    second.emit(msg("b", 1), new ServerEvent.Synced(sync.id(), "b", 1, false));
    second.emit(new ServerEvent.Synced(sync.id(), "c", 4, false));
    second.expectSilence();
    assertThat(resumed).as("room a is still paging").isEmpty();

    second.emit(
        new ServerEvent.HistoryPage(
            page.id(), "a", List.of(message("a", 3), message("a", 4), message("a", 5)), true));
    await().until(() -> resumed.size() == 1);
    assertThat(resumed.get(0).replayed()).isEqualTo(Map.of("a", 6, "b", 1));
    assertThat(resumed.get(0).total()).isEqualTo(7);
    assertThat(deliveredWhenResumed).containsExactly(7);

    second.emit(msg("a", 9)); // live again: no second report
    await().until(() -> seqs("a").size() == 7);
    Thread.sleep(100);
    assertThat(resumed).hasSize(1);
  }

  @Test
  void theFirstReadyIsNoResumeUnlessResumingFromAnEarlierRun() throws Exception {
    build(builder());
    client.connect();
    transport.nextConnection().emit(ready(summary("r", 3)));
    await().until(() -> client.state() == ConnectionState.CONNECTED);
    Thread.sleep(100);
    assertThat(peer.resumed).isEmpty();
    client.close();

    build(builder().resumeFrom(Map.of("r", 1L)));
    List<ConnectionEvent.Resumed> resumed = peer.resumed;
    client.connect();
    ScriptedTransport.Conn conn = transport.nextConnection();
    conn.emit(ready(summary("r", 3)));
    ClientCommand.Sync sync = conn.next(ClientCommand.Sync.class);
    conn.emit(msg("r", 2), msg("r", 3), new ServerEvent.Synced(sync.id(), "r", 3, false));
    await().until(() -> resumed.size() == 1);
    assertThat(resumed.get(0).replayed()).isEqualTo(Map.of("r", 2));
  }

  @Test
  void closeClosesCleanlyAndCancelsWhatIsPending() throws Exception {
    ScriptedTransport.Conn conn = connect(ready(summary("r", 0)));
    CompletableFuture<Void> edit = client.edit("r", "m1", "x");
    conn.next(ClientCommand.Edit.class);
    client.close();
    assertThat(conn.closedWith).isEqualTo(1000);
    assertThat(client.state()).isEqualTo(ConnectionState.CLOSED);
    assertThatThrownBy(() -> edit.get(5, TimeUnit.SECONDS))
        .isInstanceOf(CancellationException.class);
    Thread.sleep(50);
    assertThat(transport.attempts.get()).isEqualTo(1);
  }

  @Test
  void aSilentConnectionIsPingedThenAbandonedAfterTheHeartbeatDeadline() throws Exception {
    build(builder());
    client.connect();
    ScriptedTransport.Conn conn = transport.nextConnection();
    conn.emit(
        new ServerEvent.Ready(
            ME, new ServerEvent.HeartbeatSettings(100, 100), List.of(summary("r", 0)), List.of()));
    ScriptedTransport.Conn next = transport.nextConnection();
    assertThat(conn.aborted).isTrue();
    assertThat(conn.pings.get()).as("pinged before giving up").isPositive();
    assertThat(next).isNotSameAs(conn);
    assertThat(peer.disconnects).extracting(ConnectionEvent.Disconnected::code).contains(1006);
  }

  @Test
  void aConnectionThatNeverAnswersARequestIsReplaced() throws Exception {
    build(builder().answerTimeout(Duration.ofMillis(300)));
    client.connect();
    ScriptedTransport.Conn conn = transport.nextConnection();
    conn.emit(ready(summary("r", 0)));
    await().until(() -> client.state() == ConnectionState.CONNECTED);
    Thread.sleep(500);
    assertThat(transport.attempts.get()).as("idle without requests is fine").isEqualTo(1);

    CompletableFuture<ServerEvent.Ack> ack = client.send("r", "anyone there?");
    ScriptedTransport.Conn next = transport.nextConnection();
    assertThat(conn.aborted).isTrue();
    next.emit(ready(summary("r", 0)));
    next.next(ClientCommand.Sync.class);
    ClientCommand.Send resent = next.next(ClientCommand.Send.class);
    next.emit(new ServerEvent.Ack(resent.id(), resent.clientMsgId(), "r", 1, "m1", T0));
    assertThat(ack.get(5, TimeUnit.SECONDS).seq()).isEqualTo(1);
  }

  @Test
  void pongsKeepAConnectionAlive() throws Exception {
    build(builder());
    client.connect();
    ScriptedTransport.Conn conn = transport.nextConnection();
    conn.emit(
        new ServerEvent.Ready(
            ME, new ServerEvent.HeartbeatSettings(100, 100), List.of(summary("r", 0)), List.of()));
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(600);
    while (System.nanoTime() < end) {
      conn.listener.onActivity();
      Thread.sleep(50);
    }
    assertThat(conn.aborted).isFalse();
    assertThat(transport.attempts.get()).isEqualTo(1);
  }

  @Test
  void roomsLeftOrJoinedDuringAnOutageAreReported() throws Exception {
    ScriptedTransport.Conn first = connect(ready(summary("a", 0), summary("b", 0)));
    first.drop(1006);
    ScriptedTransport.Conn second = transport.nextConnection();
    second.emit(ready(summary("a", 0), summary("c", 4)));
    ClientCommand.Sync sync = second.next(ClientCommand.Sync.class);
    assertThat(sync.rooms()).isEqualTo(Map.of("a", 0L));
    await().until(() -> left.size() == 1 && joined.size() == 1);
    assertThat(left.get(0).room()).isEqualTo("b");
    assertThat(joined.get(0).room().room().id()).isEqualTo("c");
    second.emit(msg("c", 5));
    await().until(() -> seqs("c").equals(List.of(5L)));
  }

  @Test
  void anUpdateToAMessageHeldAheadOfAGapIsFoldedIntoIt() throws Exception {
    ScriptedTransport.Conn conn = connect(ready(summary("r", 0)));
    conn.emit(msg("r", 2));
    ClientCommand.Sync sync = conn.next(ClientCommand.Sync.class);
    conn.emit(
        new ServerEvent.MessageUpdated("r", 2, "r#2", "edited", T0, false, Map.of()),
        msg("r", 1),
        new ServerEvent.Synced(sync.id(), "r", 2, false));
    await().until(() -> seqs("r").size() == 2);
    assertThat(delivered.get(1).message().body()).isEqualTo("edited");
    assertThat(updates).isEmpty();
    conn.emit(new ServerEvent.MessageUpdated("r", 1, "r#1", "later", T0, false, Map.of()));
    await().until(() -> updates.size() == 1);
  }

  @Test
  void resumeFromSyncsTheGivenRoomsOnTheFirstReady() throws Exception {
    build(builder().resumeFrom(Map.of("r", 2L)));
    client.connect();
    ScriptedTransport.Conn conn = transport.nextConnection();
    conn.emit(ready(summary("r", 4), summary("s", 9)));
    ClientCommand.Sync sync = conn.next(ClientCommand.Sync.class);
    assertThat(sync.rooms()).isEqualTo(Map.of("r", 2L));
    conn.emit(msg("r", 3), msg("r", 4), new ServerEvent.Synced(sync.id(), "r", 4, false));
    await().until(() -> seqs("r").equals(List.of(3L, 4L)));
  }

  @Test
  void aListenerThatThrowsDoesNotStopDelivery() throws Exception {
    List<Long> seen = new CopyOnWriteArrayList<>();
    build(builder());
    client.addListener(
        (c, event) -> {
          if (event instanceof ServerEvent.MessageEvent e) {
            seen.add(e.message().seq());
            throw new IllegalStateException("boom");
          }
        });
    client.connect();
    ScriptedTransport.Conn conn = transport.nextConnection();
    conn.emit(ready(summary("r", 0)), msg("r", 1), msg("r", 2));
    await().until(() -> seen.size() == 2);
    assertThat(seqs("r")).containsExactly(1L, 2L);
  }

  @Test
  void aListenerGetsTheClientAndCanAnswerThroughIt() throws Exception {
    ScriptedTransport.Conn conn = connect(ready(summary("r", 0)));
    client.addListener(
        (c, event) -> {
          if (event instanceof ServerEvent.MessageEvent e) {
            c.send(e.message().room(), "echo " + e.message().body());
          }
        });
    conn.emit(msg("r", 1));
    assertThat(conn.next(ClientCommand.Send.class).body()).isEqualTo("echo m1");
  }

  @Test
  void aRemovedListenerHearsNothingMore() throws Exception {
    ScriptedTransport.Conn conn = connect(ready(summary("r", 0)));
    List<Long> heard = new CopyOnWriteArrayList<>();
    Registration registration =
        client.addListener(
            (c, event) -> {
              if (event instanceof ServerEvent.MessageEvent e) {
                heard.add(e.message().seq());
              }
            });
    conn.emit(msg("r", 1));
    await().until(() -> heard.size() == 1);
    registration.remove();
    registration.remove();
    conn.emit(msg("r", 2));
    await().until(() -> seqs("r").size() == 2);
    assertThat(heard).containsExactly(1L);
  }

  @Test
  void waitingForAFutureInAListenerFailsInsteadOfHangingTheClient() throws Exception {
    ScriptedTransport.Conn conn = connect(ready(summary("r", 0)));
    List<Throwable> thrown = new CopyOnWriteArrayList<>();
    client.addListener(
        (c, event) -> {
          if (event instanceof ServerEvent.MessageEvent) {
            try {
              c.send("r", "and wait").join();
            } catch (IllegalStateException e) {
              thrown.add(e);
            }
          }
        });
    conn.emit(msg("r", 1));
    await().until(() -> thrown.size() == 1);
    assertThat(thrown.get(0)).hasMessageContaining("thenAccept");
    assertThat(conn.next(ClientCommand.Send.class).body()).isEqualTo("and wait");
    // Elsewhere, waiting is fine; and a completed future may be read anywhere.
    assertThat(client.session().get(5, TimeUnit.SECONDS).token()).isEqualTo("token-1");
  }

  @Test
  void typingAndReadMarkersFailWhileNotConnected() throws Exception {
    build(builder());
    assertThatThrownBy(() -> client.typing("r", true).get(5, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(IllegalStateException.class);
    client.connect();
    ScriptedTransport.Conn conn = transport.nextConnection();
    conn.emit(ready(summary("r", 0)));
    client.markRead("r", 0).get(5, TimeUnit.SECONDS);
    assertThat(conn.next(ClientCommand.Read.class).room()).isEqualTo("r");
  }

  @Test
  void theCloseCodeOfALostConnectionIsReportedBeforeTheStateChange() throws Exception {
    ScriptedTransport.Conn conn = connect(ready(summary("r", 0)));
    List<Object> seen = new CopyOnWriteArrayList<>();
    client.addListener(onConnection(seen::add));
    conn.drop(4008);
    await().until(() -> seen.size() == 2);
    assertThat(seen)
        .containsExactly(
            new ConnectionEvent.Disconnected(4008, "test"),
            new ConnectionEvent.StateChanged(ConnectionState.RECONNECTING));
  }

  @Test
  void atMostAWindowOfSendsIsOnTheWireAndAnswersLetTheRestGo() throws Exception {
    ScriptedTransport.Conn conn = connect(ready(summary("r", 0)));
    for (int i = 0; i < PendingSends.WINDOW + 10; i++) {
      client.send("r", "n" + i);
    }
    List<ClientCommand.Send> sent = new java.util.ArrayList<>();
    for (int i = 0; i < PendingSends.WINDOW; i++) {
      sent.add(conn.next(ClientCommand.Send.class));
    }
    conn.expectSilence();
    ClientCommand.Send first = sent.get(0);
    conn.emit(new ServerEvent.Ack(first.id(), first.clientMsgId(), "r", 1, "m1", T0));
    assertThat(conn.next(ClientCommand.Send.class).body()).isEqualTo("n" + PendingSends.WINDOW);
    conn.expectSilence();

    // Big messages go one at a time.
    String big = "é".repeat(10_000); // 20 KB
    for (ClientCommand.Send s : sent.subList(1, sent.size())) {
      conn.emit(new ServerEvent.Ack(s.id(), s.clientMsgId(), "r", 2, "m", T0));
    }
    for (int i = 0; i < 9; i++) {
      conn.next(ClientCommand.Send.class);
    }
    client.send("r", big);
    client.send("r", big);
    ClientCommand.Send bigOne = conn.next(ClientCommand.Send.class);
    conn.expectSilence();
    conn.emit(new ServerEvent.Ack(bigOne.id(), bigOne.clientMsgId(), "r", 3, "m3", T0));
    assertThat(conn.next(ClientCommand.Send.class).body()).isEqualTo(big);
  }
}
