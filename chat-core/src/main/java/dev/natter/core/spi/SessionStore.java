package dev.natter.core.spi;

import dev.natter.core.model.AuthSession;
import java.util.List;
import java.util.Optional;

/**
 * The sign-in sessions a store keeps (by the hash of their token, never the token). Part of {@link
 * ChatStore}; failures are reported as {@link StoreErrors} describes.
 */
public interface SessionStore {

  /**
   * Stores a new session.
   *
   * @param session the session, keyed by its id
   * @throws dev.natter.core.ChatException.Conflict if a session with this id exists ({@link
   *     StoreErrors#sessionIdTaken()})
   * @throws dev.natter.core.ChatException.NotFound if its user does not exist ({@link
   *     StoreErrors#noSuchUser()})
   */
  void createSession(AuthSession session);

  /**
   * Finds a session by id.
   *
   * @param sessionId the session's id
   * @return the session, or empty if there is none (never created, or deleted)
   */
  Optional<AuthSession> findSession(String sessionId);

  /**
   * Deletes a session (a logout).
   *
   * @param sessionId the session's id
   * @return true if it existed, false if there was none
   */
  boolean deleteSession(String sessionId);

  /**
   * Deletes every session of a user (after a password reset).
   *
   * @param userId the user's id
   * @return the ids of the deleted sessions, empty if there were none
   */
  List<String> deleteSessionsOf(String userId);
}
