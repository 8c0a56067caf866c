package dev.natter.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.natter.core.ChatException;
import dev.natter.core.model.AppendResult;
import dev.natter.core.model.Message;
import dev.natter.core.model.NewMessage;
import dev.natter.core.model.NewRoom;
import dev.natter.core.model.Role;
import dev.natter.core.model.Room;
import dev.natter.core.model.RoomKind;
import dev.natter.core.model.SearchHit;
import dev.natter.core.model.User;
import dev.natter.core.model.Visibility;
import dev.natter.core.spi.DeliveryBatch;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the SQLite store promises beyond the contract: group commit, closing, search input. */
class SqliteChatStoreTest {
  private static final Instant T0 = Instant.parse("2024-03-01T10:00:00Z");
  private static final User ALICE = new User("u-alice", "alice", "Alice");

  @TempDir Path dir;
  private Path file;
  private SqliteChatStore store;

  @BeforeEach
  void open() {
    file = dir.resolve("store.db");
    store = SqliteChatStore.open(file);
    withAliceInRoom(store);
  }

  @AfterEach
  void close() {
    store.close();
  }

  /** Alice, and room r-1 with her as its owner. */
  private static void withAliceInRoom(SqliteChatStore s) {
    s.createUser(ALICE, "hash", T0);
    s.createRoom(
        new NewRoom(
            new Room("r-1", RoomKind.GROUP, "one", Visibility.PRIVATE, null, T0),
            Map.of(ALICE.id(), Role.OWNER)));
  }

  private static NewMessage message(String id, String body) {
    return new NewMessage("r-1", "m-" + id, ALICE, "c-" + id, body, null, T0);
  }

  @Test
  void concurrentWritesShareCommits() throws Exception {
    long batchesBefore = store.stats().batches();
    List<Thread> threads = new ArrayList<>();
    List<CompletableFuture<AppendResult>> all =
        java.util.Collections.synchronizedList(new ArrayList<>());
    for (int t = 0; t < 8; t++) {
      int thread = t;
      Thread sender =
          new Thread(
              () -> {
                List<CompletableFuture<AppendResult>> inFlight = new ArrayList<>();
                for (int i = 0; i < 250; i++) {
                  inFlight.add(store.append(message(thread + "-" + i, "hello"), m -> {}));
                  if (inFlight.size() == 8) {
                    inFlight.forEach(CompletableFuture::join);
                    all.addAll(inFlight);
                    inFlight.clear();
                  }
                }
                inFlight.forEach(CompletableFuture::join);
                all.addAll(inFlight);
              });
      sender.start();
      threads.add(sender);
    }
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(30));
    }
    assertThat(all).hasSize(2000);
    assertThat(store.lastSeq("r-1")).isEqualTo(2000);
    long batches = store.stats().batches() - batchesBefore;
    assertThat(batches)
        .as("2000 writes with up to 64 in flight need far fewer than 2000 commits")
        .isLessThan(1000);
  }

  /**
   * A busy writer (writes keep coming right after its commits) collects for busyLinger: writes that
   * follow each other closely share a commit even though each arrives after the queue ran dry. A
   * wide linger and a short gap, so the timing holds on a slow machine.
   */
  @Test
  void aBusyWriterCollectsWritesThatFollowEachOtherClosely() throws Exception {
    assertThat(commitsOfTwoSpacedWrites(Duration.ofMillis(300))).isEqualTo(1);
    assertThat(commitsOfTwoSpacedWrites(Duration.ZERO)).isEqualTo(2);
  }

  /** Commits for two writes 30 ms apart, after a steady stream of writes (a busy writer). */
  private long commitsOfTwoSpacedWrites(Duration busyLinger) throws Exception {
    try (SqliteChatStore s =
        SqliteChatStore.open(
            dir.resolve("linger-" + busyLinger.toMillis() + ".db"),
            SqliteStoreOptions.builder().busyLinger(busyLinger).build())) {
      withAliceInRoom(s);
      for (int i = 0; i < 20; i++) { // a steady stream: each write right after the last commit
        s.append(message("warm" + i, "x"), m -> {}).get(10, TimeUnit.SECONDS);
      }
      long before = s.stats().batches();
      CompletableFuture<AppendResult> first = s.append(message("a", "x"), m -> {});
      Thread.sleep(30);
      CompletableFuture<AppendResult> second = s.append(message("b", "x"), m -> {});
      first.get(10, TimeUnit.SECONDS);
      second.get(10, TimeUnit.SECONDS);
      return s.stats().batches() - before;
    }
  }

  /**
   * A writer that never pauses still gets its write-ahead log started over: the background
   * checkpoint copies what was there when it began while the writer commits more, so without the
   * writer's own tail checkpoint the log was never caught up at a batch's start and grew without
   * end (here: 64 to 115 MB in four runs; with the tail checkpoint 6 to 9 MB).
   */
  @Test
  void theLogOfAWriterThatNeverPausesStaysShort() throws Exception {
    Path busy = dir.resolve("busy.db");
    Path log = dir.resolve("busy.db-wal");
    String body = "x".repeat(2_000); // a few pages per message: the log grows fast
    try (SqliteChatStore s =
        SqliteChatStore.open(
            busy,
            SqliteStoreOptions.builder()
                .checkpointInterval(Duration.ofMillis(5))
                .maxBatchSize(4) // many small commits: the writer is always mid-batch
                .synchronousFull(false) // no fsync per commit: commits follow each other quickly
                .build())) {
      withAliceInRoom(s);
      List<CompletableFuture<AppendResult>> inFlight = new ArrayList<>();
      for (int i = 0; i < 20_000; i++) { // always 64 waiting: the writer never runs dry
        inFlight.add(s.append(message("b" + i, body), m -> {}));
        if (inFlight.size() == 128) {
          for (int k = 0; k < 64; k++) {
            inFlight.remove(0).get(10, TimeUnit.SECONDS);
          }
        }
      }
      for (CompletableFuture<AppendResult> f : inFlight) {
        f.get(10, TimeUnit.SECONDS);
      }
      // a log that starts over is reused from its beginning: the file never shrinks (below the
      // 64 MiB size limit), so its size now is the longest it has been
      long longest = java.nio.file.Files.size(log);
      assertThat(longest).as("longest log, bytes").isLessThan(24L * 1024 * 1024);
      assertThat(s.tailCheckpoints()).isPositive();
    }
  }

  /**
   * A stream of writes is checkpointed every 64 writes, not only when the interval is up, so that
   * each checkpoint's sync sends few pages to the disk at once (a checkpoint every half second held
   * every ack up behind the sync of thousands of pages); a writer with a few writes waits for the
   * interval.
   */
  @Test
  void aStreamOfWritesIsCheckpointedAsItGoes() throws Exception {
    try (SqliteChatStore s =
        SqliteChatStore.open(
            dir.resolve("stream.db"),
            SqliteStoreOptions.builder().checkpointInterval(Duration.ofHours(1)).build())) {
      withAliceInRoom(s);
      for (int i = 0; i < 10; i++) {
        s.append(message("few" + i, "x"), m -> {}).get(10, TimeUnit.SECONDS);
      }
      Thread.sleep(10 * BackgroundCheckpoint.TICK.toMillis());
      assertThat(s.backgroundCheckpoints()).as("checkpoints after a few writes").isZero();

      // The thread looks every TICK, so it may run some writes past each threshold (more on a
      // busy machine): write until it has run twice, up to 40 thresholds' worth.
      int written = 0;
      while (s.backgroundCheckpoints() < 2 && written < 40 * BackgroundCheckpoint.AFTER_WRITES) {
        s.append(message("many" + written, "x"), m -> {}).get(10, TimeUnit.SECONDS);
        written++;
      }
      assertThat(s.backgroundCheckpoints())
          .as("checkpoints after %d more writes", written)
          .isGreaterThanOrEqualTo(2);
    }
  }

  /** After a quiet spell a write is committed at once, not held for busyLinger. */
  @Test
  void aWriteAfterAQuietSpellIsNotHeld() throws Exception {
    try (SqliteChatStore s =
        SqliteChatStore.open(
            dir.resolve("quiet.db"),
            SqliteStoreOptions.builder().busyLinger(Duration.ofSeconds(5)).build())) {
      withAliceInRoom(s);
      Thread.sleep(5_100); // longer than busyLinger since the last commit
      long started = System.nanoTime();
      s.append(message("q", "x"), m -> {}).get(10, TimeUnit.SECONDS);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
    }
  }

  @Test
  void closeCommitsEveryQueuedWriteFirst() {
    List<CompletableFuture<AppendResult>> futures = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      futures.add(store.append(message(Integer.toString(i), "queued " + i), m -> {}));
    }
    store.close();
    assertThat(futures).allSatisfy(f -> assertThat(f).isCompleted().isNotCompletedExceptionally());
    try (SqliteChatStore again = SqliteChatStore.open(file)) {
      assertThat(again.lastSeq("r-1")).isEqualTo(1000);
    }
  }

  @Test
  void aClosedStoreFailsEveryCallAndCloseIsIdempotent() {
    store.close();
    store.close();
    assertThatThrownBy(() -> store.findUser(ALICE.id()))
        .isInstanceOf(ChatException.StoreFailure.class);
    assertThatThrownBy(() -> store.markRead("r-1", ALICE.id(), 1))
        .isInstanceOf(ChatException.StoreFailure.class);
    assertThat(store.append(message("late", "too late"), m -> {})).isCompletedExceptionally();
  }

  @Test
  void aCallbackRunsOnTheCompleterThreadAndCannotWaitForAWrite() throws Exception {
    AtomicReference<String> thread = new AtomicReference<>();
    AtomicReference<Throwable> refused = new AtomicReference<>();
    AppendResult result =
        store
            .append(
                message("1", "hi"),
                m -> {
                  thread.set(Thread.currentThread().getName());
                  try {
                    store.markRead("r-1", ALICE.id(), m.seq());
                  } catch (Throwable t) {
                    refused.set(t);
                  }
                })
            .get(10, TimeUnit.SECONDS);
    assertThat(result.message().seq()).isEqualTo(1);
    assertThat(thread.get()).isEqualTo("natter-sqlite-completer");
    assertThat(refused.get()).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aThrowingCallbackDoesNotUndoTheCommit() throws Exception {
    AppendResult result =
        store
            .append(
                message("1", "hi"),
                m -> {
                  throw new IllegalStateException("listener bug");
                })
            .get(10, TimeUnit.SECONDS);
    assertThat(result.message().seq()).isEqualTo(1);
    assertThat(store.lastSeq("r-1")).isEqualTo(1);
  }

  @Test
  void searchTakesAnyTextAsWordsAndMatchesPrefixesCaseAndAccentsInsensitively() {
    Message quick = send("1", "The quick brown fox");
    Message cafe = send("2", "Rendez-vous au Café de Flore");
    Message quoted = send("3", "she said \"hello\" AND left (quietly) col:x");

    assertThat(search("QUIC")).containsExactly(quick);
    assertThat(search("cafe")).containsExactly(cafe);
    assertThat(search("rendez-vous")).containsExactly(cafe);
    assertThat(search("\"hello\"")).containsExactly(quoted);
    assertThat(search("AND")).containsExactly(quoted);
    assertThat(search("quietly)")).containsExactly(quoted);
    for (String odd : List.of("\"", "NOT", "NEAR(a b)", "*", "col:x", "(", "-", "^", "a OR", "'")) {
      assertThat(store.search(List.of("r-1"), odd, 10)).as(odd).isNotNull();
    }
    assertThat(search("   ")).isEmpty();
    assertThat(search("!!! ???")).isEmpty();
    assertThat(store.search(List.of("r-1"), "cafe", 10))
        .extracting(SearchHit::snippet)
        .containsExactly("Rendez-vous au [Café] de Flore");
  }

  @Test
  void snippetsCutLongBodiesAroundTheFirstMatch() {
    String body = "x".repeat(100) + " the word needle sits here " + "y".repeat(100);
    send("1", body);
    String snippet = store.search(List.of("r-1"), "needle", 1).get(0).snippet();
    assertThat(snippet)
        .startsWith("\u2026")
        .endsWith("\u2026")
        .contains(" the word [needle] sits here ")
        .hasSizeLessThan(80);
  }

  @Test
  void aCompleterThatFallsBehindHoldsTheWriterBack() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    List<CompletableFuture<AppendResult>> appends = new ArrayList<>();
    // The first callback holds the completer; every later batch waits for it.
    long batches = store.stats().batches();
    CountDownLatch holding = new CountDownLatch(1);
    appends.add(
        store.append(
            message("0", "hold"),
            m -> {
              holding.countDown();
              awaitQuietly(release);
            }));
    // the completer holds the first batch alone (a batch committed before it took the first would
    // be settled with it, and one more would fit behind them)
    assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
    int sent = 1;
    // One write per batch, until the writer stops committing: the hand-off to the completer is
    // full, so the writer waits and writes queue up instead of acks drifting later without end.
    while (sent < 2 * GroupCommitWriter.OUTCOMES_CAPACITY) {
      long before = store.stats().batches();
      appends.add(store.append(message(String.valueOf(sent), "x"), m -> {}));
      sent++;
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
      while (store.stats().batches() == before && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      if (store.stats().batches() == before) {
        break;
      }
    }
    // The held batch, a full hand-off, and the one the writer waits to hand over.
    assertThat(store.stats().batches() - batches)
        .isEqualTo(GroupCommitWriter.OUTCOMES_CAPACITY + 2);
    assertThat(store.stats().queuedWrites()).isEqualTo(1);
    assertThat(appends).noneMatch(CompletableFuture::isDone);
    release.countDown();
    for (CompletableFuture<AppendResult> f : appends) {
      f.get(10, TimeUnit.SECONDS);
    }
    assertThat(store.lastSeq("r-1")).isEqualTo(sent);
  }

  @Test
  void batchesThatWaitForTheCompleterAreDeliveredInOneDeliveryBatchInCommitOrder()
      throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    List<DeliveryBatch> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<Long> seqs = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<CompletableFuture<AppendResult>> appends = new ArrayList<>();
    appends.add(store.append(message("0", "hold"), m -> awaitQuietly(release)));
    await().until(() -> store.stats().batches() >= 1);
    for (int i = 1; i <= 5; i++) {
      long before = store.stats().batches();
      appends.add(
          store.append(
              message(String.valueOf(i), "x"),
              m -> {
                seen.add(DeliveryBatch.current());
                seqs.add(m.seq());
              }));
      await().until(() -> store.stats().batches() > before); // one batch each, all waiting
    }

    release.countDown();
    for (CompletableFuture<AppendResult> f : appends) {
      f.get(10, TimeUnit.SECONDS);
    }

    assertThat(seqs).containsExactly(2L, 3L, 4L, 5L, 6L);
    assertThat(seen).doesNotContainNull();
    assertThat(new java.util.HashSet<>(seen)).hasSize(1);
  }

  @Test
  void aLoneWriteIsDeliveredAsItIsSentNotInADeliveryBatch() throws Exception {
    List<Boolean> inBatch = new java.util.concurrent.CopyOnWriteArrayList<>();
    store.append(message("1", "x"), m -> inBatch.add(DeliveryBatch.current() != null)).get();
    assertThat(inBatch).containsExactly(false);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void statsCountCommitsAndShowWhatIsLeftToDo() {
    SqliteChatStore.Stats before = store.stats();
    send("1", "one");
    send("2", "two");
    assertThat(search("two")).hasSize(1); // waits for the index
    SqliteChatStore.Stats after = store.stats();
    assertThat(after.writes() - before.writes()).isEqualTo(2);
    assertThat(after.batches() - before.batches()).isEqualTo(2);
    assertThat(after.failedBatches()).isZero();
    assertThat(after.commitNanos()).isGreaterThan(before.commitNanos());
    assertThat(after.queuedWrites()).isZero();
    assertThat(after.searchIndexBehind()).isZero();
  }

  private Message send(String id, String body) {
    return store.append(message(id, body), m -> {}).join().message();
  }

  private List<Message> search(String query) {
    return store.search(List.of("r-1"), query, 10).stream().map(SearchHit::message).toList();
  }
}
