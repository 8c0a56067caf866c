package dev.natter.store.sqlite;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.statement.StatementBuilder;
import org.jdbi.v3.core.statement.StatementBuilderFactory;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Keeps prepared statements open per connection, so SQLite compiles each statement (with its
 * triggers) once per connection instead of once per call. The store's SQL is a fixed set, except IN
 * lists of varying length; the least recently used statements beyond {@link #PER_CONNECTION} are
 * closed. A connection is only ever used by one thread at a time (the writer, or the reader that
 * borrowed it), and a statement still in use is never handed out twice.
 */
final class StatementCache implements StatementBuilderFactory {
  static final int PER_CONNECTION = 64;

  private final Map<Connection, Builder> builders = new ConcurrentHashMap<>();

  @Override
  public StatementBuilder createStatementBuilder(Connection connection) {
    return builders.computeIfAbsent(connection, c -> new Builder());
  }

  /** Forgets a connection that is closed or about to be. */
  void forget(Connection connection) {
    builders.remove(connection);
  }

  private static final class Builder implements StatementBuilder {
    /** By SQL, least recently used first. */
    private final LinkedHashMap<String, PreparedStatement> cache =
        new LinkedHashMap<>(16, 0.75f, true);

    /**
     * The cached statements. Jdbi hands {@link #close(Connection, String, Statement)} the SQL in
     * another form than {@link #create(Connection, String, StatementContext)}, so statements are
     * recognised by identity.
     */
    private final Set<Statement> cached = Collections.newSetFromMap(new IdentityHashMap<>());

    private final Set<Statement> inUse = Collections.newSetFromMap(new IdentityHashMap<>());

    @Override
    public Statement create(Connection conn, StatementContext ctx) throws SQLException {
      return conn.createStatement();
    }

    @Override
    public PreparedStatement create(Connection conn, String sql, StatementContext ctx)
        throws SQLException {
      PreparedStatement hit = cache.get(sql);
      if (hit != null && !inUse.contains(hit)) {
        inUse.add(hit);
        return hit;
      }
      PreparedStatement fresh = conn.prepareStatement(sql);
      inUse.add(fresh);
      if (hit == null) {
        cache.put(sql, fresh);
        cached.add(fresh);
        evict();
      }
      return fresh;
    }

    private void evict() throws SQLException {
      var it = cache.values().iterator();
      while (cache.size() > PER_CONNECTION && it.hasNext()) {
        PreparedStatement eldest = it.next();
        if (!inUse.contains(eldest)) {
          it.remove();
          cached.remove(eldest);
          eldest.close();
        }
      }
    }

    @Override
    public CallableStatement createCall(Connection conn, String sql, StatementContext ctx)
        throws SQLException {
      return conn.prepareCall(sql);
    }

    @Override
    public void close(Connection conn, String sql, Statement stmt) throws SQLException {
      inUse.remove(stmt);
      if (cached.contains(stmt)) {
        ((PreparedStatement) stmt).clearParameters();
      } else {
        stmt.close();
      }
    }

    @Override
    public void close(Connection conn) {
      // The cache lives as long as the connection; closing the connection closes the statements.
    }
  }
}
