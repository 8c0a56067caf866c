package dev.natter.store.sqlite;

import dev.natter.core.ChatException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** Maps what JDBC and Jdbi throw to Natter's exceptions. */
final class SqlErrors {
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

  /**
   * True if {@code t} says something about the request, not the database: our own {@link
   * ChatException}s, broken constraints, and argument errors. Such a failure ends one write, never
   * its batch.
   */
  static boolean isRequestFailure(Throwable t) {
    return t instanceof ChatException || t instanceof IllegalArgumentException || isConstraint(t);
  }

  /** The exception a caller sees for {@code t}. */
  static RuntimeException translate(Throwable t) {
    t = unwrap(t);
    if (t instanceof ChatException e) {
      return e;
    }
    if (t instanceof IllegalArgumentException e) {
      return new ChatException.BadRequest(e.getMessage());
    }
    SQLiteException e = sqliteCause(t);
    if (e != null && (e.getResultCode().code & 0xff) == SQLITE_CONSTRAINT) {
      SQLiteErrorCode code = e.getResultCode();
      if (code == SQLiteErrorCode.SQLITE_CONSTRAINT_FOREIGNKEY) {
        return new ChatException.NotFound("refers to a user, room or message that does not exist");
      }
      if (code == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE
          || code == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY) {
        return new ChatException.Conflict("already exists: " + constraintDetail(e));
      }
      return new ChatException.BadRequest("breaks a rule of the store: " + constraintDetail(e));
    }
    return new ChatException.StoreFailure("store failure: " + t.getMessage(), t);
  }

  /** Strips the wrappers of futures. */
  static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static String constraintDetail(SQLiteException e) {
    String message = e.getMessage();
    int at = message == null ? -1 : message.indexOf("constraint failed");
    return at < 0 ? String.valueOf(message) : message.substring(at).replace(")", "");
  }
}
