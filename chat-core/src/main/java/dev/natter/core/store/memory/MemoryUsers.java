package dev.natter.core.store.memory;

import static dev.natter.core.store.memory.MemoryState.lower;

import dev.natter.core.model.Credentials;
import dev.natter.core.model.User;
import dev.natter.core.spi.StoreErrors;
import dev.natter.core.spi.UserStore;
import dev.natter.core.store.memory.MemoryState.UserRow;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The in-memory store's users. */
final class MemoryUsers implements UserStore {
  private final MemoryState state;

  MemoryUsers(MemoryState state) {
    this.state = state;
  }

  @Override
  public void createUser(User user, String passwordHash, Instant createdAt) {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(passwordHash, "passwordHash");
    state.run(
        () -> {
          if (state.users.containsKey(user.id())) {
            throw StoreErrors.userIdTaken();
          }
          String lowerName = lower(user.username());
          if (state.userIdByLowerName.containsKey(lowerName)) {
            throw StoreErrors.usernameTaken();
          }
          state.users.put(user.id(), new UserRow(user, passwordHash, createdAt));
          state.userIdByLowerName.put(lowerName, user.id());
        });
  }

  @Override
  public Optional<Credentials> findCredentials(String username) {
    return state.call(
        () -> {
          String id = state.userIdByLowerName.get(lower(username));
          UserRow row = id == null ? null : state.users.get(id);
          return row == null ? Optional.empty() : Optional.of(new Credentials(row.user, row.hash));
        });
  }

  @Override
  public Optional<User> findUser(String userId) {
    return state.call(
        () -> {
          UserRow row = state.users.get(userId);
          return row == null ? Optional.empty() : Optional.of(row.user);
        });
  }

  @Override
  public List<User> findUsers(Collection<String> userIds) {
    Objects.requireNonNull(userIds, "userIds");
    return state.call(
        () ->
            userIds.stream()
                .distinct()
                .map(state.users::get)
                .filter(Objects::nonNull)
                .map(row -> row.user)
                .toList());
  }

  @Override
  public boolean updatePasswordHash(String userId, String passwordHash) {
    Objects.requireNonNull(passwordHash, "passwordHash");
    return state.call(
        () -> {
          UserRow row = state.users.get(userId);
          if (row == null) {
            return false;
          }
          row.hash = passwordHash;
          return true;
        });
  }

  @Override
  public List<User> searchUsers(String query, int limit) {
    String needle = lower(query == null ? "" : query);
    return state.call(
        () ->
            state.users.values().stream()
                .map(row -> row.user)
                .filter(
                    u ->
                        lower(u.username()).contains(needle)
                            || lower(u.displayName()).contains(needle))
                .sorted(MemoryState.BY_USERNAME)
                .limit(Math.max(0, limit))
                .toList());
  }

  @Override
  public void updateLastSeen(String userId, Instant lastSeen) {
    state.run(
        () -> {
          UserRow row = state.users.get(userId);
          if (row != null) {
            row.lastSeen = lastSeen;
          }
        });
  }

  @Override
  public Optional<Instant> lastSeen(String userId) {
    return state.call(
        () -> {
          UserRow row = state.users.get(userId);
          return row == null ? Optional.empty() : Optional.ofNullable(row.lastSeen);
        });
  }

  @Override
  public Map<String, Instant> lastSeen(Collection<String> userIds) {
    Objects.requireNonNull(userIds, "userIds");
    return state.call(
        () -> {
          Map<String, Instant> found = new HashMap<>();
          for (String userId : userIds) {
            UserRow row = state.users.get(userId);
            if (row != null && row.lastSeen != null) {
              found.put(userId, row.lastSeen);
            }
          }
          return found;
        });
  }
}
