package dev.natter.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.natter.core.ChatException;
import dev.natter.core.model.AppendResult;
import dev.natter.core.model.Message;
import dev.natter.core.model.NewMessage;
import dev.natter.core.model.NewRoom;
import dev.natter.core.model.Role;
import dev.natter.core.model.Room;
import dev.natter.core.model.RoomKind;
import dev.natter.core.model.User;
import dev.natter.core.model.Visibility;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failures injected at the JDBC level under the writer: a commit that fails must never be acked, no
 * callback may run for its writes, and the store must keep serving with a consistent database.
 */
class FaultInjectionTest {
  private static final Instant T0 = Instant.parse("2024-03-01T10:00:00Z");
  private static final User ALICE = new User("u-alice", "alice", "Alice");

  @TempDir Path dir;
  private Path file;
  private final Faults faults = new Faults();
  private SqliteChatStore store;

  @BeforeEach
  void open() {
    file = dir.resolve("faults.db");
    store = SqliteChatStore.open(file, SqliteStoreOptions.defaults(), faults::wrap);
    store.createUser(ALICE, "hash", T0);
    store.createRoom(
        new NewRoom(
            new Room("r-1", RoomKind.GROUP, "one", Visibility.PRIVATE, null, T0),
            Map.of(ALICE.id(), Role.OWNER)));
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void aFailedCommitAcksNothingCallsNoCallbackAndTheStoreKeepsWorking() throws Exception {
    List<Message> committed = new CopyOnWriteArrayList<>();
    CompletableFuture<AppendResult> first =
        store.append(message("c-0", "before the failure"), committed::add);
    first.get(10, TimeUnit.SECONDS);
    // Hold the writer, so the next writes queue into one batch.
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Void> holder = holdWriter(release);

    List<CompletableFuture<AppendResult>> doomed = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      doomed.add(store.append(message("c-" + i, "doomed " + i), committed::add));
    }
    CompletableFuture<Void> doomedSyncWrite =
        CompletableFuture.runAsync(() -> store.markRead("r-1", ALICE.id(), 1));
    await().atMost(Duration.ofSeconds(10)).until(() -> store.queuedWrites() == 11);
    faults.passCommits.set(1); // the holder's own batch
    faults.failCommits.set(1);
    release.countDown();
    holder.get(10, TimeUnit.SECONDS);

    for (CompletableFuture<AppendResult> f : doomed) {
      assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
          .hasCauseInstanceOf(ChatException.StoreFailure.class);
    }
    assertThatThrownBy(() -> doomedSyncWrite.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(ChatException.StoreFailure.class);
    assertThat(first.get(10, TimeUnit.SECONDS).message().seq()).isEqualTo(1);
    assertThat(faults.commitFailures.get()).isEqualTo(1);
    assertThat(committed).extracting(Message::seq).containsExactly(1L);
    assertThat(store.stats().failedBatches()).isEqualTo(1);
    assertThat(store.lastSeq("r-1")).isEqualTo(1);
    assertThat(store.messagesAfter("r-1", 0, 100)).extracting(Message::seq).containsExactly(1L);
    assertThat(store.findMembership("r-1", ALICE.id()).orElseThrow().lastReadSeq()).isZero();

    // The store keeps serving: the seq the failed batch used is given out again, and a resend of
    // a message that was never acked is stored as new.
    AppendResult after =
        store.append(message("c-11", "after"), committed::add).get(10, TimeUnit.SECONDS);
    AppendResult resend =
        store.append(message("c-3", "doomed 3"), committed::add).get(10, TimeUnit.SECONDS);
    assertThat(after.message().seq()).isEqualTo(2);
    assertThat(resend.duplicate()).isFalse();
    assertThat(resend.message().seq()).isEqualTo(3);
    assertThat(committed).extracting(Message::seq).containsExactly(1L, 2L, 3L);
    assertThat(store.markRead("r-1", ALICE.id(), 3)).isEqualTo(3);

    store.close();
    try (RawDb raw = new RawDb(file)) {
      assertThat(raw.integrityCheck()).isEqualTo("ok");
      assertThat(raw.longs("SELECT seq FROM messages ORDER BY seq")).containsExactly(1L, 2L, 3L);
      assertThat(raw.count("SELECT last_seq FROM rooms WHERE id = 'r-1'")).isEqualTo(3);
    }
  }

  @Test
  void aStatementFailingInsideABatchRollsBackTheBatchAndFailsEveryWrite() throws Exception {
    store.append(message("c-0", "before"), m -> {}).get(10, TimeUnit.SECONDS);
    CountDownLatch release = new CountDownLatch(1);
    holdWriter(release);

    List<CompletableFuture<AppendResult>> batch = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      batch.add(store.append(message("c-" + i, "batch " + i), m -> {}));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> store.queuedWrites() == 5);
    // The third statement the writer runs in the next batch fails like an I/O error would.
    faults.failExecutionAfter.set(3);
    release.countDown();

    for (CompletableFuture<AppendResult> f : batch) {
      assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
          .hasCauseInstanceOf(ChatException.StoreFailure.class);
    }
    // What a client reads names no SQL; the driver's error is kept as the cause, for the log.
    assertThat(catchThrowable(() -> batch.get(0).get(10, TimeUnit.SECONDS)).getCause())
        .hasMessage("not committed: the store failed while committing its batch")
        .hasRootCauseMessage("injected: disk I/O error");
    assertThat(store.lastSeq("r-1")).isEqualTo(1);
    assertThat(store.append(message("c-9", "fine"), m -> {}).get(10, TimeUnit.SECONDS).message())
        .extracting(Message::seq)
        .isEqualTo(2L);
  }

  @Test
  void aWriteThatBreaksARuleFailsAloneAndTheRestOfItsBatchCommits() throws Exception {
    store.append(message("c-0", "before"), m -> {}).get(10, TimeUnit.SECONDS);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<Void> holder = holdWriter(release);

    AtomicInteger callbacks = new AtomicInteger();
    Consumer<Message> count = m -> callbacks.incrementAndGet();
    CompletableFuture<AppendResult> ok1 = store.append(message("c-1", "one"), count);
    CompletableFuture<AppendResult> noRoom =
        store.append(
            new NewMessage("r-none", "m-x", ALICE, "c-x", "lost", null, T0.plusSeconds(1)), count);
    CompletableFuture<Void> takenName =
        CompletableFuture.runAsync(
            () -> store.createUser(new User("u-other", "ALICE", "Other"), "h", T0));
    await().atMost(Duration.ofSeconds(10)).until(() -> store.queuedWrites() == 3);
    // A room whose second member does not exist: its first inserts must be undone too.
    CompletableFuture<Void> badRoom =
        CompletableFuture.runAsync(
            () ->
                store.createRoom(
                    new NewRoom(
                        new Room("r-bad", RoomKind.GROUP, "bad", Visibility.PUBLIC, null, T0),
                        Map.of(ALICE.id(), Role.OWNER, "u-ghost", Role.MEMBER))));
    await().atMost(Duration.ofSeconds(10)).until(() -> store.queuedWrites() == 4);
    CompletableFuture<AppendResult> ok2 = store.append(message("c-2", "two"), count);
    await().atMost(Duration.ofSeconds(10)).until(() -> store.queuedWrites() == 5);
    long batchesBefore = store.stats().batches();
    release.countDown();
    holder.get(10, TimeUnit.SECONDS);

    assertThat(ok1.get(10, TimeUnit.SECONDS).message().seq()).isEqualTo(2);
    assertThat(ok2.get(10, TimeUnit.SECONDS).message().seq()).isEqualTo(3);
    assertThatThrownBy(() -> noRoom.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(ChatException.NotFound.class);
    assertThatThrownBy(() -> takenName.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(ChatException.Conflict.class);
    assertThatThrownBy(() -> badRoom.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(ChatException.NotFound.class);
    assertThat(callbacks.get()).isEqualTo(2);
    // The holder's batch, then one batch for the five.
    assertThat(store.stats().batches()).isEqualTo(batchesBefore + 2);
    assertThat(store.findRoom("r-bad")).isEmpty();
    assertThat(store.roomIdsOf(ALICE.id())).containsExactly("r-1");
    assertThat(store.findUser("u-other")).isEmpty();
  }

  /**
   * Runs a write that blocks the writer thread until {@code release} opens; returns once the writer
   * is held (its batch holds nothing else), with the future of that write.
   */
  private CompletableFuture<Void> holdWriter(CountDownLatch release) {
    CountDownLatch holding = new CountDownLatch(1);
    CompletableFuture<Void> holder =
        CompletableFuture.runAsync(
            () ->
                store.onWriter(
                    c -> {
                      holding.countDown();
                      waitFor(release);
                      return null;
                    }));
    waitFor(holding);
    return holder;
  }

  private static NewMessage message(String clientMsgId, String body) {
    return new NewMessage("r-1", "m-" + clientMsgId, ALICE, clientMsgId, body, null, T0);
  }

  private static void waitFor(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new AssertionError("timed out");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Wraps the writer's connections in a proxy that fails chosen calls on demand. */
  static final class Faults {
    /** How many of the next commits succeed before {@link #failCommits} applies. */
    final AtomicInteger passCommits = new AtomicInteger();

    /** How many of the next commits (after {@link #passCommits}) fail. */
    final AtomicInteger failCommits = new AtomicInteger();

    /** When positive, counts statement executions down and fails the one that reaches zero. */
    final AtomicInteger failExecutionAfter = new AtomicInteger();

    final AtomicInteger commitFailures = new AtomicInteger();

    Connection wrap(Connection real) {
      InvocationHandler handler =
          (Object proxy, Method method, Object[] args) -> {
            if (method.getName().equals("commit")
                && passCommits.getAndUpdate(n -> Math.max(0, n - 1)) == 0
                && failCommits.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
              commitFailures.incrementAndGet();
              throw new SQLException("injected: commit failed (disk on fire)");
            }
            try {
              Object result = method.invoke(real, args);
              return method.getName().equals("prepareStatement")
                  ? failingExecutions((PreparedStatement) result)
                  : result;
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
          };
      return (Connection)
          Proxy.newProxyInstance(
              Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, handler);
    }

    private PreparedStatement failingExecutions(PreparedStatement real) {
      InvocationHandler handler =
          (Object proxy, Method method, Object[] args) -> {
            if (method.getName().startsWith("execute")
                && failExecutionAfter.get() > 0
                && failExecutionAfter.decrementAndGet() == 0) {
              throw new SQLException("injected: disk I/O error");
            }
            try {
              return method.invoke(real, args);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
          };
      return (PreparedStatement)
          Proxy.newProxyInstance(
              PreparedStatement.class.getClassLoader(),
              new Class<?>[] {PreparedStatement.class},
              handler);
    }
  }
}
