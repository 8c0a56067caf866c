package dev.natter.core.model;

import java.util.Objects;

/**
 * A person with an account. This is the shape every client sees: no secrets in it.
 *
 * @param id the user's id
 * @param username the unique login name
 * @param displayName the name others see
 */
public record User(String id, String username, String displayName) {
  /**
   * Checks that every part is present.
   *
   * @param id the user's id
   * @param username the unique login name
   * @param displayName the name others see
   * @throws NullPointerException for a missing part
   */
  public User {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(displayName, "displayName");
  }
}
