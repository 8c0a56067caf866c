package dev.natter.client;

import dev.natter.core.model.User;
import java.util.Objects;

/**
 * A signed-in session: the user and its token, from {@link ChatClient#session()}. Keep the token to
 * build later clients with {@link ChatClientBuilder#token}.
 *
 * @param user the signed-in user
 * @param token the session token (send it as {@code Authorization: Bearer}); keep it secret
 */
public record Session(User user, String token) {
  /**
   * Checks that both are given.
   *
   * @param user the signed-in user
   * @param token the session token
   */
  public Session {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(token, "token");
  }

  @Override
  public String toString() {
    return "Session[user=" + user.username() + ", token=(hidden)]";
  }
}
