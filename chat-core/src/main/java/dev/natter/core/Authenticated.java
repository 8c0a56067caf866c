package dev.natter.core;

import dev.natter.core.model.AuthSession;
import dev.natter.core.model.User;
import java.util.Objects;

/**
 * The user and login session behind a valid token, as {@link ChatEngine#authenticate} returns it; a
 * transport hands it to {@link ChatEngine#connect} to attach the user's connection.
 *
 * @param user the signed-in user
 * @param session the session the token belongs to (connections opened with it close when it is
 *     revoked or expires)
 */
public record Authenticated(User user, AuthSession session) {
  /**
   * Checks that both parts are present.
   *
   * @param user the signed-in user
   * @param session the session
   * @throws NullPointerException if either part is null
   */
  public Authenticated {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(session, "session");
  }
}
