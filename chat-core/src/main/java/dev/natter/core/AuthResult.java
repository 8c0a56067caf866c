package dev.natter.core;

import dev.natter.core.model.AuthSession;
import dev.natter.core.model.User;
import java.util.Objects;

/**
 * A signed-in user, as {@link ChatEngine#register} and {@link ChatEngine#login} return it.
 *
 * @param user the user who signed in
 * @param token the session token, shown to the client once (only its hash is stored); it proves the
 *     session to {@link ChatEngine#authenticate} and {@link ChatEngine#logout}
 * @param session the stored session behind the token
 */
public record AuthResult(User user, String token, AuthSession session) {
  /**
   * Checks that every part is present.
   *
   * @param user the user who signed in
   * @param token the session token
   * @param session the stored session
   * @throws NullPointerException if any part is null
   */
  public AuthResult {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(session, "session");
  }
}
