package dev.natter.store.sqlite;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the write-ahead log into the database on a connection and a thread of its own ({@code
 * PRAGMA wal_checkpoint(PASSIVE)}: it neither waits for the writer nor holds it up): once {@link
 * #AFTER_WRITES} writes were committed since it last ran, and otherwise every {@code interval}.
 *
 * <p>Why it follows the writes and not only the clock: a checkpoint ends with an fsync of the
 * database file, which sends every page it copied to the disk at once, and the writer's next commit
 * (its own fsync of the log) waits behind them. Under a steady stream of DMs to many rooms each
 * message dirties pages of its own in three indexes, so half a second of them is thousands of
 * pages: 1,000 DM pairs at 4,000 messages/s stalled every ack for about 100 ms after each
 * checkpoint (ack p99 101 ms, p50 4 ms). Checkpointing every 24 writes keeps each sync to a hundred
 * pages or so (same run: p99 25 ms; every 64 writes: 36 ms), for about as many bytes written: pages
 * rewritten within half a second were rarely the same ones anyway. A writer that commits a few
 * writes a second still checkpoints every {@code interval}.
 *
 * <p>When a checkpoint has copied a long log to its end, the writer is asked to copy the few frames
 * committed meanwhile, which lets its next batch start the log over ({@link
 * GroupCommitWriter#requestTailCheckpoint}); otherwise a busy writer's log never ends.
 */
final class BackgroundCheckpoint implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BackgroundCheckpoint.class);

  /** Committed writes that start a checkpoint before the interval is up. */
  static final int AFTER_WRITES = 24;

  /**
   * How often the thread looks at the writer's count of committed writes. It also spaces the
   * checkpoints: a version that the writer asked directly after every 24 writes (no tick, and no
   * wake-ups on an idle server) ran them back to back under load, and 1,000 DM pairs at 4,000/s had
   * an ack p99 of 193 ms against 37 ms with the tick.
   */
  static final Duration TICK = Duration.ofMillis(10);

  /**
   * How long the log may grow (in frames: one page each) before the writer is asked to start it
   * over: 4 MiB at the 1 KiB pages of a new database, about one segment of the log's index (4,096
   * frames), so a page lookup in it stays one hash table deep.
   */
  static final int RESTART_LOG_FRAMES = 4096;

  private final Connection connection;
  private final GroupCommitWriter writer;
  private final long intervalNanos;
  private final ScheduledExecutorService thread;
  private final AtomicLong runs = new AtomicLong();
  // only the checkpoint thread touches these
  private long writesAtLastRun;
  private long lastRunNanos;

  private BackgroundCheckpoint(Connection connection, GroupCommitWriter writer, Duration interval) {
    this.connection = connection;
    this.writer = writer;
    this.intervalNanos = interval.toNanos();
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "natter-sqlite-checkpoint");
              t.setDaemon(true);
              return t;
            });
    this.lastRunNanos = System.nanoTime();
  }

  /**
   * Starts checkpointing {@code database} behind {@code writer}.
   *
   * @param interval the longest time between two checkpoints (positive)
   */
  static BackgroundCheckpoint start(Database database, GroupCommitWriter writer, Duration interval)
      throws SQLException {
    BackgroundCheckpoint checkpoint =
        new BackgroundCheckpoint(database.openMaintenance(), writer, interval);
    long tick = Math.min(TICK.toNanos(), checkpoint.intervalNanos);
    checkpoint.thread.scheduleWithFixedDelay(checkpoint::tick, tick, tick, TimeUnit.NANOSECONDS);
    return checkpoint;
  }

  /** How many checkpoints ran (for tests). */
  long runs() {
    return runs.get();
  }

  private void tick() {
    long committed = writer.writes();
    long now = System.nanoTime();
    if (committed - writesAtLastRun < AFTER_WRITES && now - lastRunNanos < intervalNanos) {
      return;
    }
    writesAtLastRun = committed;
    lastRunNanos = now;
    try {
      WalCheckpoint done = WalCheckpoint.passive(connection);
      runs.incrementAndGet();
      if (done.copiedAll() && done.logFrames() >= RESTART_LOG_FRAMES) {
        writer.requestTailCheckpoint();
      }
    } catch (SQLException | RuntimeException e) {
      LOG.debug("background checkpoint failed", e);
    }
  }

  /** Stops the thread (waiting for a checkpoint under way) and closes the connection. */
  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      connection.close();
    } catch (SQLException e) {
      LOG.debug("closing the checkpoint connection failed", e);
    }
  }
}
