package dev.natter.store.postgres;

import com.zaxxer.hikari.pool.HikariPool;
import dev.natter.core.ChatException;
import dev.natter.core.spi.StoreErrors;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps what pgjdbc, HikariCP and Jdbi throw to Natter's exceptions. A caller never sees the
 * database's words: the role classes turn each constraint they expect (known by its name in
 * migration V1) into a {@link StoreErrors} failure, and {@link #translate} gives anything else a
 * message of its own; the driver's exception stays the cause, for the log.
 */
final class PgErrors {
  private static final Logger LOG = LoggerFactory.getLogger(PgErrors.class);

  /** SQLState of a unique violation. */
  static final String UNIQUE = "23505";

  /** SQLState of a foreign key violation. */
  static final String FOREIGN_KEY = "23503";

  /** What a caller reads when the database does not answer (down, restarting, unreachable). */
  static final String UNREACHABLE = "the store cannot reach its database";

  private PgErrors() {}

  /** The database's own error in {@code t}'s causes (a batch's next exceptions too), or null. */
  static SQLException sqlCause(Throwable t) {
    SQLException first = null;
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof SQLException e) {
        for (SQLException n = e; n != null; n = n.getNextException()) {
          if (n instanceof PSQLException) {
            return n;
          }
          if (first == null && n.getSQLState() != null) {
            first = n;
          }
        }
      }
    }
    return first;
  }

  /** The SQLState of the database's error in {@code t}, or "" if none. */
  static String sqlState(Throwable t) {
    SQLException e = sqlCause(t);
    return e == null || e.getSQLState() == null ? "" : e.getSQLState();
  }

  /** The name of the constraint {@code t} broke, or "" if none. */
  static String constraint(Throwable t) {
    if (sqlCause(t) instanceof PSQLException p) {
      ServerErrorMessage m = p.getServerErrorMessage();
      if (m != null && m.getConstraint() != null) {
        return m.getConstraint();
      }
    }
    return "";
  }

  /** True if {@code t} broke the unique index or key named {@code name}. */
  static boolean isUnique(Throwable t, String name) {
    return sqlState(t).equals(UNIQUE) && constraint(t).equals(name);
  }

  /** True if {@code t} broke the foreign key named {@code name}. */
  static boolean isForeignKey(Throwable t, String name) {
    return sqlState(t).equals(FOREIGN_KEY) && constraint(t).equals(name);
  }

  /**
   * True if {@code t} is the request's fault: a broken rule of the data (class 23) or a value the
   * database refused (class 22). The transaction it ran in is aborted, the database is fine.
   */
  static boolean isDataError(Throwable t) {
    String state = sqlState(t);
    return state.startsWith("22") || state.startsWith("23");
  }

  /** True if {@code t} is a deadlock or serialization failure: running it again may succeed. */
  static boolean isRetryable(Throwable t) {
    String state = sqlState(t);
    return state.equals("40001") || state.equals("40P01");
  }

  /**
   * True if the database could not be reached: no connection could be had in time, it was lost, or
   * the server is shutting down or starting.
   */
  static boolean isUnreachable(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof SQLTransientConnectionException
          || c instanceof HikariPool.PoolInitializationException) {
        return true;
      }
    }
    String state = sqlState(t);
    return state.startsWith("08") || state.startsWith("57P0") || state.equals("53300");
  }

  /**
   * The exception a caller sees for {@code t}: a {@link ChatException} as it is, anything else with
   * a message that names no SQL, keeping {@code t} as the cause.
   */
  static RuntimeException translate(Throwable t) {
    t = unwrap(t);
    if (t instanceof ChatException e) {
      return e;
    }
    if (t instanceof IllegalArgumentException e) {
      return new ChatException.BadRequest(e.getMessage());
    }
    String state = sqlState(t);
    if (state.equals(FOREIGN_KEY)) {
      return StoreErrors.withCause(
          new ChatException.NotFound("refers to a user, room or message that does not exist"), t);
    }
    if (state.equals(UNIQUE)) {
      return StoreErrors.withCause(new ChatException.Conflict("it already exists"), t);
    }
    if (isDataError(t)) {
      return StoreErrors.withCause(
          new ChatException.BadRequest("the store refused it: it breaks a rule of the data"), t);
    }
    if (isUnreachable(t)) {
      LOG.warn("{}: {}", UNREACHABLE, rootMessage(t));
      return new ChatException.StoreFailure(UNREACHABLE, t);
    }
    LOG.warn("store failure", t);
    return StoreErrors.failed(t);
  }

  /** The message of the deepest cause of {@code t} (or its class, when it has none). */
  static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.toString() : root.getMessage();
  }

  /** Strips the wrappers of futures. */
  static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
