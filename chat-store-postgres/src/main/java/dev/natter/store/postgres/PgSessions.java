package dev.natter.store.postgres;

import dev.natter.core.model.AuthSession;
import dev.natter.core.spi.SessionStore;
import dev.natter.core.spi.StoreErrors;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The PostgreSQL store's sessions ({@link SessionDao}). */
final class PgSessions implements SessionStore {
  private final PgAccess db;

  PgSessions(PgAccess db) {
    this.db = db;
  }

  @Override
  public void createSession(AuthSession session) {
    Objects.requireNonNull(session, "session");
    long created = Nanos.of(session.createdAt());
    long expires = Nanos.of(session.expiresAt());
    db.write(
        h -> {
          try {
            h.attach(SessionDao.class).insert(session.id(), session.userId(), created, expires);
          } catch (RuntimeException e) {
            if (PgErrors.isUnique(e, Constraints.SESSION_ID)) {
              throw StoreErrors.withCause(StoreErrors.sessionIdTaken(), e);
            }
            if (PgErrors.isForeignKey(e, Constraints.SESSION_USER)) {
              throw StoreErrors.withCause(StoreErrors.noSuchUser(), e);
            }
            throw e;
          }
          return null;
        });
  }

  @Override
  public Optional<AuthSession> findSession(String sessionId) {
    return db.read(h -> h.attach(SessionDao.class).find(sessionId));
  }

  @Override
  public boolean deleteSession(String sessionId) {
    return db.write(h -> h.attach(SessionDao.class).delete(sessionId) > 0);
  }

  @Override
  public List<String> deleteSessionsOf(String userId) {
    return db.write(h -> h.attach(SessionDao.class).deleteAllOf(userId).stream().sorted().toList());
  }
}
