package dev.natter.store.postgres;

import com.zaxxer.hikari.HikariDataSource;
import dev.natter.core.ChatException;
import dev.natter.core.spi.ChatStore;
import dev.natter.core.spi.ComposedTransferStore;
import dev.natter.core.spi.StoreTransfer;
import java.util.Objects;

/**
 * A {@link ChatStore} on PostgreSQL, for running several Natter nodes on one database; it supports
 * export and import ({@link StoreTransfer}).
 *
 * <p>Every guarantee of the store contract holds across nodes, because the database keeps it: an
 * append takes its room's next seq with {@code UPDATE rooms SET last_seq = last_seq + n ...
 * RETURNING} in the transaction that inserts the message (gapless, one order per room whichever
 * node appends), {@code UNIQUE(sender_id, client_msg_id)} makes a resend return the original, and a
 * future completes only after the commit ({@code synchronous_commit} on). Appends waiting for the
 * same room are committed in batches; see {@link PostgresStoreOptions#maxBatchSize()}. Full-text
 * search uses PostgreSQL's text search.
 *
 * <p>Open with {@link #open(String)} or {@link #open(PostgresStoreOptions)}: the store's schema is
 * created and migrated (once, even when several nodes start together). It holds a pool of
 * connections and a few append threads until {@link #close()}. When the database cannot be reached,
 * calls fail with {@link ChatException.StoreFailure} (after the connection timeout), never with a
 * false success, and work again once it is back. Thread-safe.
 */
public final class PostgresChatStore extends ComposedTransferStore {
  private final PostgresStoreOptions options;
  private final HikariDataSource pool;
  private final PgAccess db;
  private final AppendWriter writer;

  /**
   * What the store's appends have done since it opened.
   *
   * @param appended messages stored by appends (resends not counted)
   * @param transactions the committed append transactions that stored them
   * @param retriedBatches batches that a refused append (usually a resend) made commit again one
   *     append per transaction
   * @param queuedAppends appends waiting for their transaction now
   */
  public record Stats(long appended, long transactions, long retriedBatches, int queuedAppends) {
    /**
     * The mean number of messages one append transaction stored.
     *
     * @return appended divided by transactions, 0 before the first
     */
    public double meanBatchSize() {
      return transactions == 0 ? 0 : (double) appended / transactions;
    }
  }

  private PostgresChatStore(
      PostgresStoreOptions options, HikariDataSource pool, PgAccess db, AppendWriter writer) {
    super(
        new PgUsers(db),
        new PgSessions(db),
        new PgRooms(db),
        new PgMemberships(db),
        new PgMessages(db, writer),
        new PgSearch(db),
        new PgFiles(db),
        new PgTransfer(db));
    this.options = options;
    this.pool = pool;
    this.db = db;
    this.writer = writer;
  }

  /**
   * Opens the store on the database at {@code url} with the default options (schema {@code
   * natter}), creating and migrating its schema if needed.
   *
   * @param url a JDBC URL ({@code jdbc:postgresql://host:5432/db?user=u}) or a libpq-style URL
   *     ({@code postgresql://user:password@host:5432/db})
   * @return the open store
   * @throws IllegalArgumentException if the URL is of another kind
   * @throws ChatException.StoreFailure if the database cannot be reached or migrated
   */
  public static PostgresChatStore open(String url) {
    return open(PostgresStoreOptions.of(url));
  }

  /**
   * Opens the store with {@code options}, creating and migrating its schema if needed.
   *
   * @param options the database, schema, pool size and batching
   * @return the open store
   * @throws ChatException.StoreFailure if the database cannot be reached or migrated; the message
   *     names the URL (without its password) and the reason
   */
  public static PostgresChatStore open(PostgresStoreOptions options) {
    Objects.requireNonNull(options, "options");
    PgUrl url = PgUrl.parse(options.url());
    HikariDataSource pool = null;
    try {
      pool = PgDatabase.pool(options, url);
      PgDatabase.migrate(pool, options.schema());
      PgAccess db = new PgAccess(pool);
      int lanes = Math.max(1, Math.min(4, options.poolSize() / 2));
      AppendWriter writer =
          new AppendWriter(
              db.jdbi(), lanes, options.maxBatchSize(), "natter-pg-append-" + options.schema());
      return new PostgresChatStore(options, pool, db, writer);
    } catch (RuntimeException e) {
      if (pool != null) {
        pool.close();
      }
      String why =
          PgErrors.isUnreachable(e)
              ? "the database cannot be reached (is it running, and is the URL right?): "
              : "";
      throw new ChatException.StoreFailure(
          "cannot open the store at "
              + options.redactedUrl()
              + " (schema "
              + options.schema()
              + "): "
              + why
              + PgErrors.rootMessage(e),
          e);
    }
  }

  /**
   * A blob store in this store's database, for the bytes of uploaded files: every node of a cluster
   * reads the same (see {@link PostgresBlobStore}). Give it to the engine ({@code
   * ChatEngine.Builder.blobStore}). It uses this store's connections and closes with it.
   *
   * @return the blob store
   */
  public PostgresBlobStore blobStore() {
    return new PostgresBlobStore(db);
  }

  /**
   * The options the store was opened with.
   *
   * @return its options
   */
  public PostgresStoreOptions options() {
    return options;
  }

  /**
   * What the store's appends have done since it opened (counters in memory; no query).
   *
   * @return the counters now
   */
  public Stats stats() {
    return new Stats(
        writer.appended(), writer.transactions(), writer.retriedBatches(), writer.queued());
  }

  /**
   * Commits the appends already queued, stops the append threads and closes the pool. Idempotent;
   * afterwards every call fails with {@link ChatException.StoreFailure} ("the store is closed").
   *
   * @throws IllegalStateException if called from an {@code onCommitted} callback (an append thread,
   *     which would wait for itself)
   */
  @Override
  public void close() {
    if (writer.isLaneThread()) {
      throw new IllegalStateException("the store cannot be closed from its own threads");
    }
    if (!db.markClosed()) {
      return;
    }
    writer.close();
    pool.close();
  }
}
