package dev.natter.core.store.memory;

import dev.natter.core.model.AuthSession;
import dev.natter.core.spi.SessionStore;
import dev.natter.core.spi.StoreErrors;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The in-memory store's sessions. */
final class MemorySessions implements SessionStore {
  private final MemoryState state;

  MemorySessions(MemoryState state) {
    this.state = state;
  }

  @Override
  public void createSession(AuthSession session) {
    Objects.requireNonNull(session, "session");
    state.run(
        () -> {
          if (state.sessions.containsKey(session.id())) {
            throw StoreErrors.sessionIdTaken();
          }
          state.requireUser(session.userId());
          state.sessions.put(session.id(), session);
        });
  }

  @Override
  public Optional<AuthSession> findSession(String sessionId) {
    return state.call(() -> Optional.ofNullable(state.sessions.get(sessionId)));
  }

  @Override
  public boolean deleteSession(String sessionId) {
    return state.call(() -> state.sessions.remove(sessionId) != null);
  }

  @Override
  public List<String> deleteSessionsOf(String userId) {
    return state.call(
        () -> {
          List<String> ids =
              state.sessions.values().stream()
                  .filter(s -> s.userId().equals(userId))
                  .map(AuthSession::id)
                  .sorted()
                  .toList();
          ids.forEach(state.sessions::remove);
          return ids;
        });
  }
}
