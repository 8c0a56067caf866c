package dev.natter.store.sqlite;

import dev.natter.core.model.Credentials;
import dev.natter.core.model.User;
import dev.natter.core.spi.StoreErrors;
import dev.natter.core.spi.UserStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;

/** The SQLite store's users ({@link UserDao}). */
final class SqliteUsers implements UserStore {
  /** How many ids one {@code IN (...)} look-up binds at most. */
  private static final int IN_LIST_CHUNK = 500;

  private final SqliteAccess db;

  SqliteUsers(SqliteAccess db) {
    this.db = db;
  }

  /** A taken id or username breaks a unique key; the id is reported first, as in every store. */
  @Override
  public void createUser(User user, String passwordHash, Instant createdAt) {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(passwordHash, "passwordHash");
    Objects.requireNonNull(createdAt, "createdAt");
    db.write(
        c -> {
          try {
            c.users.insert(
                user.id(),
                user.username(),
                user.displayName(),
                passwordHash,
                Times.toNanos(createdAt));
          } catch (RuntimeException e) {
            if (!SqlErrors.isUnique(e)) {
              throw e;
            }
            boolean idTaken = c.users.find(user.id()).isPresent();
            throw StoreErrors.withCause(
                idTaken ? StoreErrors.userIdTaken() : StoreErrors.usernameTaken(), e);
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

  /** One query per {@value #IN_LIST_CHUNK} distinct ids. */
  @Override
  public List<User> findUsers(Collection<String> userIds) {
    List<User> found = new ArrayList<>();
    inChunks(userIds, (users, chunk) -> found.addAll(users.findAll(chunk)));
    return List.copyOf(found);
  }

  /**
   * Runs {@code query} on one read connection for each chunk of at most {@value #IN_LIST_CHUNK} of
   * the distinct ids (an {@code IN (...)} list binds one parameter per id).
   */
  private void inChunks(Collection<String> userIds, BiConsumer<UserDao, List<String>> query) {
    Objects.requireNonNull(userIds, "userIds");
    List<String> ids = List.copyOf(new LinkedHashSet<>(userIds));
    if (ids.isEmpty()) {
      db.ensureOpen();
      return;
    }
    db.read(
        h -> {
          UserDao users = h.attach(UserDao.class);
          for (int from = 0; from < ids.size(); from += IN_LIST_CHUNK) {
            query.accept(users, ids.subList(from, Math.min(ids.size(), from + IN_LIST_CHUNK)));
          }
          return null;
        });
  }

  @Override
  public boolean updatePasswordHash(String userId, String passwordHash) {
    Objects.requireNonNull(passwordHash, "passwordHash");
    return db.write(c -> c.users.updatePasswordHash(userId, passwordHash) > 0);
  }

  @Override
  public List<User> searchUsers(String query, int limit) {
    if (limit <= 0) {
      db.ensureOpen();
      return List.of();
    }
    String pattern = "%" + escapeLike(query == null ? "" : query) + "%";
    return db.read(h -> List.copyOf(h.attach(UserDao.class).search(pattern, limit)));
  }

  private static String escapeLike(String text) {
    return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
  }

  @Override
  public void updateLastSeen(String userId, Instant lastSeen) {
    Objects.requireNonNull(lastSeen, "lastSeen");
    db.write(c -> c.users.updateLastSeen(userId, Times.toNanos(lastSeen)));
  }

  @Override
  public Optional<Instant> lastSeen(String userId) {
    return db.read(h -> h.attach(UserDao.class).lastSeen(userId).map(Times::fromNanos));
  }

  /** One query per {@value #IN_LIST_CHUNK} distinct ids. */
  @Override
  public Map<String, Instant> lastSeen(Collection<String> userIds) {
    Map<String, Instant> found = new HashMap<>();
    inChunks(
        userIds,
        (users, chunk) ->
            users.lastSeenAll(chunk).forEach((id, nanos) -> found.put(id, Times.fromNanos(nanos))));
    return found;
  }
}
