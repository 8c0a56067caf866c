package dev.natter.store.postgres;

import dev.natter.core.spi.StoreErrors;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementExceptions;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/**
 * How the role classes of a {@link PostgresChatStore} reach the database: each call borrows a
 * connection of the pool for one statement or one transaction, and whether the store is still open.
 * What leaves here fails with a {@link dev.natter.core.ChatException} (see {@link PgErrors}).
 */
final class PgAccess {
  private final Jdbi jdbi;
  private final AtomicBoolean closed = new AtomicBoolean();

  PgAccess(DataSource pool) {
    this.jdbi = Jdbi.create(pool);
    jdbi.installPlugin(new SqlObjectPlugin());
    // A failed statement's message names the statement, never its arguments (message bodies, and
    // password hashes, stay out of the log).
    jdbi.getConfig(StatementExceptions.class)
        .setMessageRendering(
            e ->
                e.getStatementContext() == null
                    ? ""
                    : " [statement: " + e.getStatementContext().getRawSql() + "]");
    Rows.register(jdbi);
  }

  Jdbi jdbi() {
    return jdbi;
  }

  /** Fails with {@link StoreErrors#closed()} once the store is closed. */
  void ensureOpen() {
    if (closed.get()) {
      throw StoreErrors.closed();
    }
  }

  boolean isClosed() {
    return closed.get();
  }

  /** Marks the store closed; false if it already was. */
  boolean markClosed() {
    return closed.compareAndSet(false, true);
  }

  /** Runs {@code work} outside a transaction (each statement commits on its own). */
  <T> T read(HandleCallback<T, Exception> work) {
    ensureOpen();
    try {
      return jdbi.withHandle(work);
    } catch (Exception e) {
      throw PgErrors.translate(e);
    }
  }

  /** A read of several statements that must see one snapshot (a REPEATABLE READ transaction). */
  <T> T readConsistent(HandleCallback<T, Exception> work) {
    ensureOpen();
    try {
      return jdbi.inTransaction(
          h -> {
            h.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            return work.withHandle(h);
          });
    } catch (Exception e) {
      throw PgErrors.translate(e);
    }
  }

  /**
   * Runs {@code work} in one READ COMMITTED transaction: committed when it returns, rolled back
   * whole when it throws.
   */
  <T> T write(HandleCallback<T, Exception> work) {
    ensureOpen();
    try {
      return jdbi.inTransaction(work);
    } catch (Exception e) {
      throw PgErrors.translate(e);
    }
  }
}
