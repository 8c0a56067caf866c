package dev.natter.store.sqlite;

import dev.natter.core.model.AuthSession;
import dev.natter.core.spi.SessionStore;
import dev.natter.core.spi.StoreErrors;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The SQLite store's sessions ({@link UserDao}). */
final class SqliteSessions implements SessionStore {
  private final SqliteAccess db;

  SqliteSessions(SqliteAccess db) {
    this.db = db;
  }

  /** A taken id breaks the primary key, a missing user the foreign key. */
  @Override
  public void createSession(AuthSession session) {
    Objects.requireNonNull(session, "session");
    db.write(
        c -> {
          try {
            c.users.insertSession(
                session.id(),
                session.userId(),
                Times.toNanos(session.createdAt()),
                Times.toNanos(session.expiresAt()));
          } catch (RuntimeException e) {
            if (SqlErrors.isUnique(e)) {
              throw StoreErrors.withCause(StoreErrors.sessionIdTaken(), e);
            }
            if (SqlErrors.isForeignKey(e)) {
              throw StoreErrors.withCause(StoreErrors.noSuchUser(), e);
            }
            throw e;
          }
          return null;
        });
  }

  @Override
  public Optional<AuthSession> findSession(String sessionId) {
    return db.read(h -> h.attach(UserDao.class).findSession(sessionId));
  }

  @Override
  public boolean deleteSession(String sessionId) {
    return db.write(c -> c.users.deleteSession(sessionId) > 0);
  }

  @Override
  public List<String> deleteSessionsOf(String userId) {
    return db.write(c -> c.users.deleteSessionsOf(userId).stream().sorted().toList());
  }
}
