package dev.natter.store.sqlite;

import dev.natter.core.ChatException;
import dev.natter.core.spi.DeliveryBatch;
import dev.natter.core.spi.StoreErrors;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread and connection that write. Callers queue {@link Write}s; the writer takes them in
 * batches, runs each batch in one {@code BEGIN IMMEDIATE} transaction and commits it once (group
 * commit: one fsync for the whole batch). A caller's future completes only after the commit of its
 * batch. A write that fails on its own (a broken constraint, a missing row) is rolled back to its
 * savepoint and fails alone; a failure of the database itself, or of the commit, rolls the batch
 * back and fails every write in it. The writer keeps serving afterwards (with a new connection if
 * the old one is unusable).
 *
 * <p>What follows a commit (the writes' {@link Write#afterCommit} callbacks, then their futures,
 * which wakes every caller) runs on a second thread, the completer, batch after batch in commit
 * order: waking a few dozen callers per batch took about a tenth of the writer's time, and the
 * callbacks (the engine's fan-out) are not the writer's business either.
 */
final class GroupCommitWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);

  /** One write: runs on the writer thread inside a batch's transaction. */
  abstract static class Write<T> {
    final CompletableFuture<T> future = new CompletableFuture<>();
    private T result;
    private RuntimeException failure;

    /** Does the work; called inside the batch's transaction. */
    abstract T run(WriteContext context) throws Exception;

    /**
     * True if {@link #run} leaves nothing behind when it fails with a request failure (its only
     * writes are single statements that a broken constraint aborts whole), so it needs no
     * savepoint.
     */
    boolean selfContained() {
      return false;
    }

    /**
     * Called on the completer thread after the batch committed, in commit order, before any future
     * of the batch completes.
     */
    void afterCommit(T result) {}
  }

  /** A write given as a function. */
  static <T> Write<T> of(Work<T> work) {
    return new Write<>() {
      @Override
      T run(WriteContext context) throws Exception {
        return work.run(context);
      }
    };
  }

  /** The body of a simple write. */
  @FunctionalInterface
  interface Work<T> {
    T run(WriteContext context) throws Exception;
  }

  /** What a write sees on a (new) writer connection. */
  @FunctionalInterface
  interface ContextOpener {
    WriteContext open(Connection connection) throws SQLException;
  }

  /** Opens the writer's connection; called again after a failure left the old one unusable. */
  @FunctionalInterface
  interface ConnectionOpener {
    Connection open() throws SQLException;
  }

  private static final Write<Void> SHUTDOWN =
      new Write<>() {
        @Override
        Void run(WriteContext context) {
          throw new IllegalStateException("never run");
        }
      };

  private final ConnectionOpener opener;
  private final ContextOpener contexts;
  private final BlockingQueue<Write<?>> queue;
  private final int maxBatchSize;
  private final long maxBatchDelayNanos;
  private final long lingerNanos;
  private final long busyLingerNanos;
  // the writer thread's own: when its last batch ended, and the average idle gap before a batch
  private long lastBatchEndNanos;
  private final long longestGapNanos; // gaps count up to this: a quiet spell is simply quiet
  private long averageGapNanos;
  private final ReentrantReadWriteLock closeLock = new ReentrantReadWriteLock();
  private final Thread thread;
  private final Thread completer;

  /**
   * Batches committed (or failed) and not yet settled by the completer. Bounded: when callbacks
   * fall behind (a slow fan-out), the writer waits, the write queue fills, and callers feel it,
   * rather than acks drifting ever later with memory. So a callback must never block on the store
   * (the SPI says so).
   */
  private final BlockingQueue<Outcome> outcomes = new ArrayBlockingQueue<>(OUTCOMES_CAPACITY);

  static final int OUTCOMES_CAPACITY = 256;
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong writes = new AtomicLong();
  private final AtomicLong failedBatches = new AtomicLong();
  private final AtomicLong executeNanos = new AtomicLong();
  private final AtomicLong commitNanos = new AtomicLong();
  private boolean closed;
  private volatile boolean tailCheckpointWanted;
  private final AtomicLong tailCheckpoints = new AtomicLong();

  private Connection connection;
  private WriteContext context;
  private Statement savepoints;

  GroupCommitWriter(
      ConnectionOpener opener,
      ContextOpener contexts,
      SqliteStoreOptions options,
      String name,
      String completerName)
      throws SQLException {
    this.opener = opener;
    this.contexts = contexts;
    this.queue = new LinkedBlockingQueue<>(options.writeQueueCapacity());
    this.maxBatchSize = options.maxBatchSize();
    this.maxBatchDelayNanos = options.maxBatchDelay().toNanos();
    this.lingerNanos = options.batchLinger().toNanos();
    this.busyLingerNanos = options.busyLinger().toNanos();
    this.longestGapNanos = Math.max(TimeUnit.SECONDS.toNanos(1), 4 * busyLingerNanos);
    this.averageGapNanos = longestGapNanos;
    connect();
    this.thread = new Thread(this::loop, name);
    this.thread.setDaemon(true);
    this.completer = new Thread(this::completeOutcomes, completerName);
    this.completer.setDaemon(true);
    this.completer.start();
    this.thread.start();
  }

  /**
   * A batch that is over: committed (its writes that did not fail on their own are stored) or not.
   */
  private record Outcome(List<Write<?>> batch, boolean committed, RuntimeException batchFailure) {}

  private static final Outcome STOP_COMPLETER = new Outcome(List.of(), false, null);

  /** Queues a write; blocks while the queue is full. */
  <T> CompletableFuture<T> submit(Write<T> write) {
    closeLock.readLock().lock();
    try {
      if (closed) {
        throw StoreErrors.closed();
      }
      queue.put(write);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ChatException.StoreFailure("interrupted while queueing a write", e);
    } finally {
      closeLock.readLock().unlock();
    }
    return write.future;
  }

  /** Queues a write and waits for its commit, rethrowing its failure. */
  <T> T execute(Write<T> write) {
    if (isStoreThread()) {
      throw new IllegalStateException(
          "a synchronous write from the store's own threads (an onCommitted callback?) would"
              + " wait for itself");
    }
    CompletableFuture<T> future = submit(write);
    try {
      return future.join();
    } catch (RuntimeException e) {
      throw SqlErrors.translate(e);
    }
  }

  /** How many writes wait in the queue (not counting the batch being run). */
  int queued() {
    return queue.size();
  }

  /** True on the writer or the completer thread (where onCommitted callbacks run). */
  boolean isStoreThread() {
    Thread current = Thread.currentThread();
    return current == thread || current == completer;
  }

  long batches() {
    return batches.get();
  }

  long writes() {
    return writes.get();
  }

  long failedBatches() {
    return failedBatches.get();
  }

  /** Time spent running writes inside transactions (from BEGIN to before COMMIT). */
  long executeNanos() {
    return executeNanos.get();
  }

  /** Time spent in COMMIT (writing the log and syncing it). */
  long commitNanos() {
    return commitNanos.get();
  }

  private void connect() throws SQLException {
    Connection c = opener.open();
    try {
      savepoints = c.createStatement();
      context = contexts.open(c);
      connection = c;
    } catch (RuntimeException | SQLException e) {
      closeQuietly(c);
      throw e;
    }
  }

  private void loop() {
    List<Write<?>> batch = new ArrayList<>(maxBatchSize + 1);
    // Each batch list is handed to the completer whole, so a new one is taken for the next.
    boolean stopping = false;
    while (!stopping) {
      try {
        Write<?> first = queue.take();
        if (first == SHUTDOWN) {
          break;
        }
        batch.add(first);
        // busy: writes have been coming right after the commits (a steady stream: the average
        // idle gap before a batch is under half of busyLinger), so collect for busyLinger and
        // let one commit cover many; at a few writes a second, or after a quiet spell, a write
        // commits at once
        long now = System.nanoTime();
        long gap = Math.max(0, now - lastBatchEndNanos);
        averageGapNanos += (Math.min(gap, longestGapNanos) - averageGapNanos) / 8;
        boolean busy = busyLingerNanos > 0 && averageGapNanos < busyLingerNanos / 2;
        stopping =
            busy
                ? collect(batch, busyLingerNanos, now + busyLingerNanos)
                : collect(batch, lingerNanos, now + maxBatchDelayNanos);
        runBatch(batch);
        if (tailCheckpointWanted) {
          checkpointTail(); // its callers are handed off already: no ack waits for it
        }
        lastBatchEndNanos = System.nanoTime();
      } catch (InterruptedException e) {
        // Only close() stops the writer, through SHUTDOWN; an interrupt is ignored.
        continue;
      } catch (Throwable t) {
        // A bug in the writer itself: fail what we hold rather than leave callers waiting.
        LOG.error("writer failed unexpectedly", t);
        handOff(
            new Outcome(
                List.copyOf(batch),
                false,
                new ChatException.StoreFailure("not committed: the store's writer failed", t)));
      }
      batch = new ArrayList<>(maxBatchSize + 1);
    }
    handOff(STOP_COMPLETER);
    if (connection != null) {
      // Leave a compact database behind: copy the log into the file and empty it.
      try (Statement st = connection.createStatement()) {
        st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      } catch (SQLException | RuntimeException e) {
        LOG.debug("final checkpoint failed", e);
      }
    }
    closeQuietly(connection);
  }

  /**
   * Asks the writer to checkpoint the end of the write-ahead log itself after its current batch:
   * the background checkpoint has copied the log up to where it was when it started (see {@link
   * SqliteChatStore}), and only the frames committed meanwhile are left.
   *
   * <p>Why the writer: short of a RESTART or TRUNCATE checkpoint (which make the writer wait),
   * SQLite starts the log over only when a write transaction begins on a log that is copied to its
   * very end and no reader is reading from the log just then. A writer that commits every few
   * milliseconds always adds frames while another connection checkpoints, so the log was never
   * caught up when the writer began, and it grew without end (a gigabyte in a minute of 3,000 DM
   * sends/s, and every page lookup in its index got slower with it). Checkpointing the last few
   * frames on the writer's own connection, between two batches, leaves nothing behind, and the next
   * batch starts the log over (unless a reader is in the middle of a read just then; the background
   * checkpoint asks again). It costs the writer the copy of those frames and one sync of the
   * database file.
   */
  void requestTailCheckpoint() {
    tailCheckpointWanted = true;
  }

  /**
   * How many times the writer copied the log to its end ({@link #requestTailCheckpoint}), leaving
   * it to be started over by the next batch.
   */
  long tailCheckpoints() {
    return tailCheckpoints.get();
  }

  /** Copies the log's last frames; a checkpoint that could not finish is asked for again. */
  private void checkpointTail() {
    if (connection == null) {
      return; // reopened with the next batch; the request stays
    }
    tailCheckpointWanted = false;
    boolean done = false;
    try {
      // busy (the background checkpoint held the lock) or stopped short by a reader: not done
      done = WalCheckpoint.passive(connection).copiedAll();
    } catch (SQLException | RuntimeException e) {
      LOG.debug("tail checkpoint failed", e);
    }
    if (done) {
      tailCheckpoints.incrementAndGet();
    } else {
      tailCheckpointWanted = true; // after the next batch
    }
  }

  /** Adds queued writes to {@code batch}; true if SHUTDOWN was seen (it is never added). */
  private boolean collect(List<Write<?>> batch, long lingerNanos, long deadline)
      throws InterruptedException {
    while (batch.size() < maxBatchSize) {
      int before = batch.size();
      queue.drainTo(batch, maxBatchSize - before);
      if (batch.size() > before) {
        if (batch.get(batch.size() - 1) == SHUTDOWN) {
          // Nothing is queued after SHUTDOWN: close() takes the write lock to queue it.
          batch.remove(batch.size() - 1);
          return true;
        }
        continue;
      }
      long wait = Math.min(lingerNanos, deadline - System.nanoTime());
      if (wait <= 0) {
        return false;
      }
      Write<?> next = queue.poll(wait, TimeUnit.NANOSECONDS);
      if (next == null) {
        return false;
      }
      if (next == SHUTDOWN) {
        return true;
      }
      batch.add(next);
    }
    return false;
  }

  private void runBatch(List<Write<?>> batch) {
    if (connection == null) {
      try {
        connect();
      } catch (SQLException | RuntimeException e) {
        failedBatches.incrementAndGet();
        LOG.warn("cannot reopen the writer connection", e);
        handOff(
            new Outcome(
                batch,
                false,
                new ChatException.StoreFailure(
                    "not committed: the database cannot be reopened", e)));
        return;
      }
    }
    Throwable batchFailure = null;
    long started = System.nanoTime();
    try {
      connection.setAutoCommit(false); // BEGIN IMMEDIATE
      for (Write<?> write : batch) {
        batchFailure = runOne(write);
        if (batchFailure != null) {
          break;
        }
      }
      if (batchFailure == null) {
        long committing = System.nanoTime();
        executeNanos.addAndGet(committing - started);
        connection.commit();
        commitNanos.addAndGet(System.nanoTime() - committing);
      }
    } catch (Throwable t) {
      batchFailure = t;
    }
    if (batchFailure != null) {
      failedBatches.incrementAndGet();
      LOG.warn("write batch of " + batch.size() + " rolled back", batchFailure);
      rollback();
      ChatException.StoreFailure failure =
          new ChatException.StoreFailure(
              "not committed: the store failed while committing its batch", batchFailure);
      handOff(new Outcome(batch, false, failure));
      return;
    }
    endTransaction();
    batches.incrementAndGet();
    writes.addAndGet(batch.size());
    handOff(new Outcome(batch, true, null));
  }

  /** Gives a finished batch to the completer, waiting while it is behind. */
  private void handOff(Outcome outcome) {
    boolean interrupted = false;
    while (true) {
      try {
        outcomes.put(outcome);
        break;
      } catch (InterruptedException e) {
        interrupted = true; // only close() stops the writer; keep the batch
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The most batches the completer settles in one {@link DeliveryBatch}: when it falls behind, the
   * events of the batches that wait leave together, each connection written once for all of them.
   */
  static final int MAX_SETTLED_TOGETHER = 16;

  /**
   * The completer's loop: settles each batch's writes, in commit order, until the writer stops. The
   * batches waiting when it looks are settled in one delivery batch, unless that is a single write.
   */
  private void completeOutcomes() {
    List<Outcome> ready = new ArrayList<>(MAX_SETTLED_TOGETHER);
    while (true) {
      try {
        ready.add(outcomes.take());
      } catch (InterruptedException e) {
        continue; // only the writer stops the completer, through STOP_COMPLETER
      }
      outcomes.drainTo(ready, MAX_SETTLED_TOGETHER - 1);
      boolean stop = ready.remove(STOP_COMPLETER); // nothing follows it
      if (ready.size() == 1 && ready.get(0).batch.size() == 1) {
        // one write (a message: one event for each recipient, the echo and the ack for its
        // sender): each frame is written as it is sent; a delivery batch would hold every
        // recipient's write back until the last recipient's frame is queued
        settleGuarded(ready.get(0));
      } else if (!ready.isEmpty()) {
        try {
          DeliveryBatch.run(
              () -> {
                for (Outcome outcome : ready) {
                  settleGuarded(outcome);
                }
              });
        } catch (RuntimeException flushFailed) {
          // a connection's write at the end of the batch failed (the futures are complete
          // already); the completer must go on, or every later write would wait forever
          LOG.error("writing a delivery batch failed", flushFailed);
        }
      }
      ready.clear();
      if (stop) {
        return;
      }
    }
  }

  private static void settleGuarded(Outcome outcome) {
    try {
      settle(outcome);
    } catch (Throwable t) {
      // A bug here must not leave callers waiting forever: fail what is still pending.
      LOG.error("settling a batch failed", t);
      failAll(
          outcome.batch,
          new ChatException.StoreFailure(
              "the outcome of this write is unknown: the store failed while settling its batch",
              t));
    }
  }

  private static void settle(Outcome outcome) {
    if (!outcome.committed) {
      failAll(outcome.batch, outcome.batchFailure);
      return;
    }
    for (Write<?> write : outcome.batch) {
      if (write.failure == null) {
        afterCommit(write);
      }
    }
    for (Write<?> write : outcome.batch) {
      complete(write);
    }
  }

  /** Runs one write; returns a failure that must roll back the whole batch, else null. */
  private <T> Throwable runOne(Write<T> write) {
    boolean savepoint = !write.selfContained();
    try {
      if (savepoint) {
        savepoints.execute("SAVEPOINT w");
      }
      write.result = write.run(context);
      if (savepoint) {
        savepoints.execute("RELEASE w");
      }
      return null;
    } catch (Throwable t) {
      if (!SqlErrors.isRequestFailure(t)) {
        return t;
      }
      write.failure = SqlErrors.translate(t);
      if (savepoint) {
        try {
          savepoints.execute("ROLLBACK TO w");
          savepoints.execute("RELEASE w");
        } catch (SQLException e) {
          return e;
        }
      }
      return null;
    }
  }

  private static <T> void afterCommit(Write<T> write) {
    try {
      write.afterCommit(write.result);
    } catch (Throwable t) {
      LOG.warn("an after-commit callback failed (the write is committed)", t);
    }
  }

  private static <T> void complete(Write<T> write) {
    if (write.failure != null) {
      write.future.completeExceptionally(write.failure);
    } else {
      write.future.complete(write.result);
    }
  }

  private static void failAll(List<Write<?>> batch, RuntimeException failure) {
    for (Write<?> write : batch) {
      // A write that already failed on its own keeps its own, more precise, failure.
      write.future.completeExceptionally(write.failure != null ? write.failure : failure);
    }
  }

  /** Back to autocommit after a commit (sqlite-jdbc begins the next transaction at once). */
  private void endTransaction() {
    try {
      connection.setAutoCommit(true);
    } catch (SQLException | RuntimeException e) {
      LOG.warn("writer connection unusable after a commit; reopening", e);
      discardConnection();
    }
  }

  private void rollback() {
    try {
      connection.rollback();
      connection.setAutoCommit(true);
    } catch (SQLException | RuntimeException e) {
      // SQLite may already have rolled back (after an I/O error, say). Start afresh to be sure.
      LOG.warn("rollback failed; reopening the writer connection", e);
      discardConnection();
    }
  }

  private void discardConnection() {
    closeQuietly(connection);
    connection = null;
    context = null;
    savepoints = null;
  }

  private static void closeQuietly(Connection c) {
    if (c == null) {
      return;
    }
    try {
      if (!c.getAutoCommit()) {
        c.rollback();
      }
    } catch (SQLException | RuntimeException e) {
      // closing anyway
    }
    try {
      c.close();
    } catch (SQLException | RuntimeException e) {
      LOG.debug("closing the writer connection failed", e);
    }
  }

  /** Commits what is queued, settles every write, then stops the threads and closes. */
  @Override
  public void close() {
    if (isStoreThread()) {
      throw new IllegalStateException("the store cannot be closed from its own threads");
    }
    closeLock.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      queue.put(SHUTDOWN);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeLock.writeLock().unlock();
    }
    boolean interrupted = false;
    while (thread.isAlive() || completer.isAlive()) {
      try {
        thread.join();
        completer.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
