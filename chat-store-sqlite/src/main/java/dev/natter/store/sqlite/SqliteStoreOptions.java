package dev.natter.store.sqlite;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link SqliteChatStore} runs. The defaults are durable and suit a small server; change them
 * with {@link #builder()}.
 *
 * <p>Every write goes through one writer thread that commits writes in groups: it takes what is
 * queued (at most {@code maxBatchSize} writes), and when the queue runs dry before that it waits up
 * to {@code batchLinger} for more, never letting a batch collect for longer than {@code
 * maxBatchDelay} after its first write. One commit (one fsync) then covers the whole group. When
 * the writer is busy (writes keep arriving right after its commits: the average idle gap before a
 * batch is under half of {@code busyLinger}) it collects for {@code busyLinger} before committing
 * instead (so a {@code busyLinger} longer than {@code maxBatchDelay} lets a busy writer's batch
 * collect for longer): under a steady stream of small writes, fewer and larger commits, where
 * committing each one or two at once would spend the core on commits. At a few writes a second, or
 * after a quiet spell, a write is committed at once.
 *
 * @param maxBatchSize the most writes one commit covers
 * @param maxBatchDelay the longest a batch keeps collecting writes after its first one, unless the
 *     writer is busy (then {@code busyLinger} decides)
 * @param batchLinger how long the writer waits for more writes when the queue is empty before
 *     committing a batch that is not full (zero: commit at once; under load batches still grow
 *     while the previous commit is being synced)
 * @param busyLinger how long a busy writer collects a batch (zero: never)
 * @param readConnections the size of the pool of read-only connections (1 to 16)
 * @param writeQueueCapacity how many writes may wait for the writer; callers block when it is full
 * @param busyTimeout how long a connection waits for a lock held by another process
 * @param checkpointInterval the longest a background connection waits before it copies the
 *     write-ahead log into the database ({@code PRAGMA wal_checkpoint(PASSIVE)}), so that the
 *     writer never pays for it; it also does so after every 24 committed writes, so that each
 *     checkpoint's sync sends few pages to the disk at once; {@link Duration#ZERO} leaves it to
 *     SQLite's automatic checkpoint on the writer's commits
 * @param synchronousFull {@code PRAGMA synchronous=FULL} (an fsync per commit) when true, the
 *     default; false gives {@code NORMAL}, which survives a process crash but may lose the last
 *     commits on power loss. Only benchmarks and throwaway databases should turn it off.
 */
public record SqliteStoreOptions(
    int maxBatchSize,
    Duration maxBatchDelay,
    Duration batchLinger,
    Duration busyLinger,
    int readConnections,
    int writeQueueCapacity,
    Duration busyTimeout,
    Duration checkpointInterval,
    boolean synchronousFull) {

  /**
   * Checks the options.
   *
   * @param maxBatchSize the most writes one commit covers
   * @param maxBatchDelay the longest a batch keeps collecting writes
   * @param batchLinger how long the writer waits for more writes
   * @param busyLinger how long a busy writer collects a batch
   * @param readConnections the size of the read pool
   * @param writeQueueCapacity how many writes may wait for the writer
   * @param busyTimeout how long a connection waits for a lock
   * @param checkpointInterval how often the log is checkpointed in the background
   * @param synchronousFull whether each commit is fsynced
   * @throws NullPointerException if a duration is null
   * @throws IllegalArgumentException if a count is out of range or a duration negative
   */
  public SqliteStoreOptions {
    Objects.requireNonNull(maxBatchDelay, "maxBatchDelay");
    Objects.requireNonNull(batchLinger, "batchLinger");
    Objects.requireNonNull(busyLinger, "busyLinger");
    Objects.requireNonNull(busyTimeout, "busyTimeout");
    Objects.requireNonNull(checkpointInterval, "checkpointInterval");
    if (maxBatchSize < 1) {
      throw new IllegalArgumentException("maxBatchSize must be at least 1");
    }
    if (readConnections < 1 || readConnections > 16) {
      throw new IllegalArgumentException("readConnections must be between 1 and 16");
    }
    if (writeQueueCapacity < 1) {
      throw new IllegalArgumentException("writeQueueCapacity must be at least 1");
    }
    if (maxBatchDelay.isNegative()
        || batchLinger.isNegative()
        || busyLinger.isNegative()
        || busyTimeout.isNegative()
        || checkpointInterval.isNegative()) {
      throw new IllegalArgumentException("durations must not be negative");
    }
  }

  /**
   * The defaults: durable (WAL, synchronous=FULL), 512 writes or 5 ms per batch, a busy writer
   * collecting for 2 ms, 3 readers.
   *
   * @return the default options
   */
  public static SqliteStoreOptions defaults() {
    return builder().build();
  }

  /**
   * A builder starting from the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder starting from {@code this}.
   *
   * @return a new builder holding these options
   */
  public Builder toBuilder() {
    return new Builder()
        .maxBatchSize(maxBatchSize)
        .maxBatchDelay(maxBatchDelay)
        .batchLinger(batchLinger)
        .busyLinger(busyLinger)
        .readConnections(readConnections)
        .writeQueueCapacity(writeQueueCapacity)
        .busyTimeout(busyTimeout)
        .checkpointInterval(checkpointInterval)
        .synchronousFull(synchronousFull);
  }

  /** Builds {@link SqliteStoreOptions}; every setting starts at its default. */
  public static final class Builder {
    private int maxBatchSize = 512;
    private Duration maxBatchDelay = Duration.ofMillis(5);
    private Duration batchLinger = Duration.ZERO;
    private Duration busyLinger = Duration.ofMillis(2);
    private int readConnections = 3;
    private int writeQueueCapacity = 65_536;
    private Duration busyTimeout = Duration.ofSeconds(5);
    private Duration checkpointInterval = Duration.ofMillis(500);
    private boolean synchronousFull = true;

    private Builder() {}

    /**
     * Sets {@code maxBatchSize}.
     *
     * @param value the most writes one commit covers
     * @return this builder
     */
    public Builder maxBatchSize(int value) {
      this.maxBatchSize = value;
      return this;
    }

    /**
     * Sets {@code maxBatchDelay}.
     *
     * @param value the longest a batch keeps collecting writes after its first one
     * @return this builder
     */
    public Builder maxBatchDelay(Duration value) {
      this.maxBatchDelay = value;
      return this;
    }

    /**
     * Sets {@code batchLinger}.
     *
     * @param value how long the writer waits for more writes before committing a batch that is not
     *     full
     * @return this builder
     */
    public Builder batchLinger(Duration value) {
      this.batchLinger = value;
      return this;
    }

    /**
     * Sets {@code busyLinger}.
     *
     * @param value how long a busy writer (one whose writes keep arriving right after its commits)
     *     collects a batch before committing it; zero: never
     * @return this builder
     */
    public Builder busyLinger(Duration value) {
      this.busyLinger = value;
      return this;
    }

    /**
     * Sets {@code readConnections}.
     *
     * @param value the size of the read-only connection pool (1 to 16)
     * @return this builder
     */
    public Builder readConnections(int value) {
      this.readConnections = value;
      return this;
    }

    /**
     * Sets {@code writeQueueCapacity}.
     *
     * @param value how many writes may wait for the writer
     * @return this builder
     */
    public Builder writeQueueCapacity(int value) {
      this.writeQueueCapacity = value;
      return this;
    }

    /**
     * Sets {@code busyTimeout}.
     *
     * @param value how long a connection waits for a lock held by another process
     * @return this builder
     */
    public Builder busyTimeout(Duration value) {
      this.busyTimeout = value;
      return this;
    }

    /**
     * Sets {@code checkpointInterval}.
     *
     * @param value how often the write-ahead log is checkpointed in the background (zero: never)
     * @return this builder
     */
    public Builder checkpointInterval(Duration value) {
      this.checkpointInterval = value;
      return this;
    }

    /**
     * Sets {@code synchronousFull}.
     *
     * @param value whether each commit is fsynced ({@code synchronous=FULL})
     * @return this builder
     */
    public Builder synchronousFull(boolean value) {
      this.synchronousFull = value;
      return this;
    }

    /**
     * The options set so far.
     *
     * @return the options
     * @throws IllegalArgumentException if a value is out of range
     */
    public SqliteStoreOptions build() {
      return new SqliteStoreOptions(
          maxBatchSize,
          maxBatchDelay,
          batchLinger,
          busyLinger,
          readConnections,
          writeQueueCapacity,
          busyTimeout,
          checkpointInterval,
          synchronousFull);
    }
  }
}
