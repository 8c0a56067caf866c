package dev.natter.store.sqlite;

import dev.natter.core.ChatException;
import dev.natter.core.spi.ChatStore;
import dev.natter.core.spi.ComposedTransferStore;
import dev.natter.core.spi.StoreTransfer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.function.LongConsumer;
import java.util.function.UnaryOperator;

/**
 * A {@link ChatStore} in one SQLite file: the store behind {@code natter serve}. It supports export
 * and import ({@link StoreTransfer}).
 *
 * <p>Durable by default: the database runs in WAL mode with {@code synchronous=FULL} and foreign
 * keys on. Every write goes through one writer thread that commits writes in groups (see {@link
 * SqliteStoreOptions}); a write's future completes, and a synchronous write returns, only after the
 * commit that holds it. Reads use a small pool of read-only connections and never wait for the
 * writer. The schema is created and upgraded in place by Flyway migrations when the store opens.
 *
 * <p>Open with {@link #open(Path)} or {@link #open(Path, SqliteStoreOptions)}; copy a live database
 * with {@link #backupTo(Path)}; {@link #close()} commits what is queued and releases the file.
 */
public final class SqliteChatStore extends ComposedTransferStore {
  private final Path file;
  private final Database database;
  private final ReadPool readPool;
  private final GroupCommitWriter writer;
  private final SearchIndex searchIndex;
  private final BackgroundCheckpoint checkpoint; // null: SQLite's automatic checkpoint
  private final SqliteAccess db;

  /**
   * What the store has done since it opened, and what it has still to do.
   *
   * @param batches committed batches (each one transaction and one fsync)
   * @param writes the writes those batches held
   * @param failedBatches batches rolled back whole
   * @param executeNanos the writer's time running writes inside transactions
   * @param commitNanos the writer's time committing (where the fsync happens)
   * @param queuedWrites the writes waiting for the writer now
   * @param searchIndexBehind how many stored messages the search index does not hold yet
   */
  public record Stats(
      long batches,
      long writes,
      long failedBatches,
      long executeNanos,
      long commitNanos,
      int queuedWrites,
      long searchIndexBehind) {
    /**
     * The mean number of writes per committed batch.
     *
     * @return writes divided by batches, 0 before the first batch
     */
    public double meanBatchSize() {
      return batches == 0 ? 0 : (double) writes / batches;
    }
  }

  private SqliteChatStore(
      Path file,
      Database database,
      ReadPool readPool,
      GroupCommitWriter writer,
      SearchIndex searchIndex,
      BackgroundCheckpoint checkpoint) {
    this(
        file,
        database,
        readPool,
        writer,
        searchIndex,
        checkpoint,
        new SqliteAccess(readPool, writer));
  }

  private SqliteChatStore(
      Path file,
      Database database,
      ReadPool readPool,
      GroupCommitWriter writer,
      SearchIndex searchIndex,
      BackgroundCheckpoint checkpoint,
      SqliteAccess db) {
    super(
        new SqliteUsers(db),
        new SqliteSessions(db),
        new SqliteRooms(db),
        new SqliteMemberships(db),
        new SqliteMessages(db, searchIndex),
        new SqliteSearch(db, searchIndex),
        new SqliteFiles(db),
        new SqliteTransfer(db, searchIndex));
    this.file = file;
    this.database = database;
    this.readPool = readPool;
    this.writer = writer;
    this.searchIndex = searchIndex;
    this.checkpoint = checkpoint;
    this.db = db;
  }

  /**
   * Opens (creating it if needed, with its parent directories) the database at {@code databaseFile}
   * with the default options, and brings its schema up to date.
   *
   * @param databaseFile the database file
   * @return the open store
   * @throws ChatException.StoreFailure if the file cannot be opened or migrated
   */
  public static SqliteChatStore open(Path databaseFile) {
    return open(databaseFile, SqliteStoreOptions.defaults());
  }

  /**
   * Like {@link #open(Path)}, with tuning options.
   *
   * @param databaseFile the database file
   * @param options batch size and delay, read pool size, checkpoint interval and more
   * @return the open store
   * @throws ChatException.StoreFailure if the file cannot be opened or migrated
   */
  public static SqliteChatStore open(Path databaseFile, SqliteStoreOptions options) {
    return open(databaseFile, options, UnaryOperator.identity());
  }

  /**
   * Opens the store, passing each connection the writer opens through {@code writerConnections}
   * (tests wrap it to inject failures).
   */
  static SqliteChatStore open(
      Path databaseFile, SqliteStoreOptions options, UnaryOperator<Connection> writerConnections) {
    Objects.requireNonNull(databaseFile, "databaseFile");
    Objects.requireNonNull(options, "options");
    Path file = databaseFile.toAbsolutePath();
    Database database = new Database(file, options);
    ReadPool readPool = null;
    GroupCommitWriter writer = null;
    SearchIndex searchIndex = null;
    BackgroundCheckpoint checkpoint = null;
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      database.migrate();
      writer =
          new GroupCommitWriter(
              () -> writerConnections.apply(database.openWriter()),
              WriteContext::on,
              options,
              "natter-sqlite-writer",
              "natter-sqlite-completer");
      searchIndex = SearchIndex.open(database, pruner(writer));
      readPool = new ReadPool(database, options.readConnections());
      if (!options.checkpointInterval().isZero()) {
        checkpoint = BackgroundCheckpoint.start(database, writer, options.checkpointInterval());
      }
      return new SqliteChatStore(file, database, readPool, writer, searchIndex, checkpoint);
    } catch (SQLException | IOException | RuntimeException e) {
      if (checkpoint != null) {
        checkpoint.close();
      }
      if (searchIndex != null) {
        searchIndex.close();
      }
      if (readPool != null) {
        readPool.close();
      }
      if (writer != null) {
        writer.close();
      }
      if (e instanceof ChatException c) {
        throw c;
      }
      throw new ChatException.StoreFailure("cannot open the database " + file + ": " + e, e);
    }
  }

  /** Has the writer forget the edits and deletes the search index applied (asynchronously). */
  private static LongConsumer pruner(GroupCommitWriter writer) {
    return upTo -> {
      try {
        writer.submit(
            GroupCommitWriter.of(
                c -> {
                  c.messages.pruneSearchChanges(upTo);
                  return null;
                }));
      } catch (ChatException e) {
        // Closing: the rows stay and are pruned after the next open.
      }
    };
  }

  /**
   * The database file.
   *
   * @return its absolute path
   */
  public Path file() {
    return file;
  }

  /**
   * What the store has done since it opened, and what it has still to do (one small read).
   *
   * @return the counters now
   */
  public Stats stats() {
    long lastMessageId;
    try {
      lastMessageId = db.read(h -> h.attach(MessageDao.class).searchTarget()).messageId();
    } catch (ChatException.StoreFailure e) {
      lastMessageId = 0; // closed (a metrics scrape during shutdown)
    }
    return new Stats(
        writer.batches(),
        writer.writes(),
        writer.failedBatches(),
        writer.executeNanos(),
        writer.commitNanos(),
        writer.queued(),
        Math.max(0, lastMessageId - searchIndex.indexedMessageId()));
  }

  /**
   * Writes a consistent copy of the database to {@code target} while the store stays in use ({@code
   * VACUUM INTO} in a read transaction: writers go on, the copy holds every commit made before it
   * started and nothing after). The copy is written next to the target, synced, then renamed into
   * place, so {@code target} never holds a partial backup.
   *
   * @param target the file to create
   * @throws ChatException.Conflict if {@code target} exists
   * @throws ChatException.StoreFailure if the copy fails
   */
  public void backupTo(Path target) {
    db.ensureOpen();
    Backup.write(database, target);
  }

  /** The highest message id this store's search index has seen indexed (for tests). */
  long indexedMessageId() {
    return searchIndex.indexedMessageId();
  }

  /** How many writes wait for the writer (for tests). */
  int queuedWrites() {
    return writer.queued();
  }

  /** Runs {@code work} as a write on the writer's connection and waits for its commit. */
  <T> T onWriter(GroupCommitWriter.Work<T> work) {
    return db.write(work);
  }

  /** How many indexing transactions the search index ran (for tests). */
  long searchIndexSteps() {
    return searchIndex.steps();
  }

  /** How many background checkpoints ran (for tests); 0 with SQLite's automatic checkpoint. */
  long backgroundCheckpoints() {
    return checkpoint == null ? 0 : checkpoint.runs();
  }

  /** How many times the writer checkpointed the log's end to let it start over. */
  long tailCheckpoints() {
    return writer.tailCheckpoints();
  }

  /**
   * Commits every queued write, stops the writer, and closes every connection (after a final
   * checkpoint that empties the write-ahead log). Idempotent; afterwards every call fails with
   * {@link ChatException.StoreFailure}.
   */
  @Override
  public void close() {
    if (writer.isStoreThread()) {
      throw new IllegalStateException("the store cannot be closed from its own threads");
    }
    if (!db.markClosed()) {
      return;
    }
    if (checkpoint != null) {
      checkpoint.close();
    }
    // Readers first: then nothing holds an old snapshot when the writer truncates the log, and
    // the index's connection, the last on its file, checkpoints it as it closes.
    readPool.close();
    searchIndex.close();
    writer.close();
  }
}
