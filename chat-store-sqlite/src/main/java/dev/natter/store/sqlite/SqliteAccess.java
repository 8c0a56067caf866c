package dev.natter.store.sqlite;

import dev.natter.core.ChatException;
import dev.natter.core.spi.StoreErrors;
import java.util.concurrent.CompletableFuture;
import org.jdbi.v3.core.ConnectionFactory;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/**
 * How the role classes of a {@link SqliteChatStore} reach the database: reads on the pool of
 * read-only connections (they never wait for the writer), writes through the one {@link
 * GroupCommitWriter}, and whether the store is still open. What leaves here fails with a {@link
 * ChatException} (see {@link SqlErrors}).
 */
final class SqliteAccess {
  private final Jdbi reads;
  private final GroupCommitWriter writer;
  private volatile boolean closed;

  SqliteAccess(ReadPool readPool, GroupCommitWriter writer) {
    this.reads = jdbi(readPool);
    this.writer = writer;
  }

  /** Jdbi on {@code connections} with the DAOs' mappers and a statement cache per connection. */
  static Jdbi jdbi(ConnectionFactory connections) {
    Jdbi jdbi = Jdbi.create(connections);
    jdbi.installPlugin(new SqlObjectPlugin());
    Rows.register(jdbi);
    jdbi.setStatementBuilderFactory(new StatementCache());
    return jdbi;
  }

  /** Fails with {@link StoreErrors#closed()} once the store is closed. */
  void ensureOpen() {
    if (closed) {
      throw StoreErrors.closed();
    }
  }

  /** Marks the store closed; false if it already was. */
  synchronized boolean markClosed() {
    if (closed) {
      return false;
    }
    closed = true;
    return true;
  }

  /** Runs {@code work} on a read-only connection. */
  <T> T read(HandleCallback<T, Exception> work) {
    ensureOpen();
    try {
      return reads.withHandle(work);
    } catch (Exception e) {
      throw SqlErrors.translate(e);
    }
  }

  /** A read of several statements that must see one snapshot. */
  <T> T readConsistent(HandleCallback<T, Exception> work) {
    ensureOpen();
    try {
      return reads.inTransaction(work);
    } catch (Exception e) {
      throw SqlErrors.translate(e);
    }
  }

  /** Runs {@code work} as a write on the writer's connection and waits for its commit. */
  <T> T write(GroupCommitWriter.Work<T> work) {
    ensureOpen();
    return writer.execute(GroupCommitWriter.of(work));
  }

  /** Queues a write without waiting; a closed store fails the future rather than throw. */
  <T> CompletableFuture<T> submit(GroupCommitWriter.Write<T> write) {
    if (closed) {
      return CompletableFuture.failedFuture(StoreErrors.closed());
    }
    try {
      return writer.submit(write);
    } catch (ChatException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
