package dev.natter.store.sqlite;

import dev.natter.core.ChatException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.ConnectionFactory;

/**
 * A fixed pool of read-only connections behind Jdbi: opening a handle borrows one (waiting while
 * all are busy), closing it gives it back. In WAL mode readers never block the writer nor each
 * other, and each read transaction sees the last commit before it started.
 */
final class ReadPool implements ConnectionFactory {
  private final BlockingQueue<Connection> idle;
  private final List<Connection> all = new ArrayList<>();
  private volatile boolean closed;

  ReadPool(Database database, int size) throws SQLException {
    this.idle = new ArrayBlockingQueue<>(size);
    try {
      for (int i = 0; i < size; i++) {
        Connection c = database.openSearchingReader();
        all.add(c);
        idle.add(c);
      }
    } catch (SQLException e) {
      closeAll();
      throw e;
    }
  }

  @Override
  public Connection openConnection() {
    if (closed) {
      throw new ChatException.StoreFailure("the store is closed", null);
    }
    try {
      Connection c = idle.take();
      if (closed) {
        idle.offer(c);
        throw new ChatException.StoreFailure("the store is closed", null);
      }
      return c;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ChatException.StoreFailure("interrupted while waiting for a connection", e);
    }
  }

  @Override
  public void closeConnection(Connection connection) throws SQLException {
    try {
      if (!connection.getAutoCommit()) {
        connection.rollback();
        connection.setAutoCommit(true);
      }
    } finally {
      idle.offer(connection);
    }
  }

  /** Waits (a few seconds at most) for borrowed connections to come back, then closes them all. */
  void close() {
    closed = true;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (idle.size() < all.size() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    closeAll();
  }

  private void closeAll() {
    for (Connection c : all) {
      try {
        c.close();
      } catch (SQLException e) {
        // closing anyway
      }
    }
  }
}
