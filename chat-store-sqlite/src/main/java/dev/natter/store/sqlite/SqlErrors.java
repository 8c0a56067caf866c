package dev.natter.store.sqlite;

import dev.natter.core.ChatException;
import dev.natter.core.spi.StoreErrors;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Maps what JDBC and Jdbi throw to Natter's exceptions. A caller never sees SQLite's words: the
 * role classes turn each broken constraint they expect into a {@link StoreErrors} failure, and
 * {@link #translate} gives anything else a message of its own; the SQLite error stays the cause.
 */
final class SqlErrors {
  private static final Logger LOG = LoggerFactory.getLogger(SqlErrors.class);

  /** SQLite's primary result code for a broken constraint (the low byte of extended codes). */
  private static final int SQLITE_CONSTRAINT = 19;

  private SqlErrors() {}

  /** The SQLite error somewhere in the cause chain, or null. */
  static SQLiteException sqliteCause(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof SQLiteException e) {
        return e;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return null;
  }

  /**
   * True if {@code t} is a broken constraint: SQLite aborted that one statement and the transaction
   * around it is intact.
   */
  static boolean isConstraint(Throwable t) {
    SQLiteException e = sqliteCause(t);
    return e != null && (e.getResultCode().code & 0xff) == SQLITE_CONSTRAINT;
  }

  /** True if {@code t} is a broken UNIQUE or PRIMARY KEY constraint: something is taken. */
  static boolean isUnique(Throwable t) {
    SQLiteException e = sqliteCause(t);
    return e != null
        && (e.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE
            || e.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY);
  }

  /** True if {@code t} is a broken foreign key: a row refers to one that does not exist. */
  static boolean isForeignKey(Throwable t) {
    SQLiteException e = sqliteCause(t);
    return e != null && e.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_FOREIGNKEY;
  }

  /**
   * True if {@code t} says something about the request, not the database: our own {@link
   * ChatException}s, broken constraints, and argument errors. Such a failure ends one write, never
   * its batch.
   */
  static boolean isRequestFailure(Throwable t) {
    return t instanceof ChatException || t instanceof IllegalArgumentException || isConstraint(t);
  }

  /**
   * The exception a caller sees for {@code t}: a {@link ChatException} as it is, anything else with
   * a message that names no SQL (a broken constraint no role class expected, a failure of the
   * database), keeping {@code t} as the cause.
   */
  static RuntimeException translate(Throwable t) {
    t = unwrap(t);
    if (t instanceof ChatException e) {
      return e;
    }
    if (t instanceof IllegalArgumentException e) {
      return new ChatException.BadRequest(e.getMessage());
    }
    if (isForeignKey(t)) {
      return StoreErrors.withCause(
          new ChatException.NotFound("refers to a user, room or message that does not exist"), t);
    }
    if (isUnique(t)) {
      return StoreErrors.withCause(new ChatException.Conflict("it already exists"), t);
    }
    if (isConstraint(t)) {
      return StoreErrors.withCause(
          new ChatException.BadRequest("the store refused it: it breaks a rule of the data"), t);
    }
    LOG.warn("store failure", t);
    return StoreErrors.failed(t);
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
