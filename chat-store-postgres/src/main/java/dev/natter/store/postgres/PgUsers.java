package dev.natter.store.postgres;

import dev.natter.core.model.Credentials;
import dev.natter.core.model.User;
import dev.natter.core.spi.StoreErrors;
import dev.natter.core.spi.UserStore;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The PostgreSQL store's users ({@link UserDao}). */
final class PgUsers implements UserStore {
  private final PgAccess db;

  PgUsers(PgAccess db) {
    this.db = db;
  }

  /** The constraint's name tells a taken id from a taken username; the id is checked first. */
  @Override
  public void createUser(User user, String passwordHash, Instant createdAt) {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(passwordHash, "passwordHash");
    long created = Nanos.of(createdAt);
    db.write(
        h -> {
          try {
            h.attach(UserDao.class)
                .insert(user.id(), user.username(), user.displayName(), passwordHash, created);
          } catch (RuntimeException e) {
            if (PgErrors.isUnique(e, Constraints.USER_ID)) {
              throw StoreErrors.withCause(StoreErrors.userIdTaken(), e);
            }
            if (PgErrors.isUnique(e, Constraints.USERNAME)) {
              throw StoreErrors.withCause(StoreErrors.usernameTaken(), e);
            }
            throw e;
          }
          return null;
        });
  }

  @Override
  public Optional<Credentials> findCredentials(String username) {
    return db.read(h -> h.attach(UserDao.class).findCredentials(username));
  }

  @Override
  public Optional<User> findUser(String userId) {
    return db.read(h -> h.attach(UserDao.class).find(userId));
  }

  /** One query, the ids bound as one array. */
  @Override
  public List<User> findUsers(Collection<String> userIds) {
    String[] ids = new LinkedHashSet<>(userIds).toArray(String[]::new);
    if (ids.length == 0) {
      db.ensureOpen();
      return List.of();
    }
    return db.read(h -> List.copyOf(h.attach(UserDao.class).findAll(ids)));
  }

  @Override
  public boolean updatePasswordHash(String userId, String passwordHash) {
    Objects.requireNonNull(passwordHash, "passwordHash");
    return db.write(h -> h.attach(UserDao.class).updatePasswordHash(userId, passwordHash) > 0);
  }

  @Override
  public List<User> searchUsers(String query, int limit) {
    if (limit <= 0) {
      db.ensureOpen();
      return List.of();
    }
    String text = query == null ? "" : query;
    String pattern = "%" + text.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
    return db.read(h -> List.copyOf(h.attach(UserDao.class).search(pattern, limit)));
  }

  @Override
  public void updateLastSeen(String userId, Instant lastSeen) {
    long seen = Nanos.of(lastSeen);
    db.write(h -> h.attach(UserDao.class).updateLastSeen(userId, seen));
  }

  @Override
  public Optional<Instant> lastSeen(String userId) {
    return db.read(h -> h.attach(UserDao.class).lastSeen(userId).map(Nanos::instant));
  }
}
