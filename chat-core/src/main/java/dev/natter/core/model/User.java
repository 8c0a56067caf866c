package dev.natter.core.model;

import java.util.Objects;

/** A person with an account. This is the shape every client sees: no secrets in it. */
public record User(String id, String username, String displayName) {
  public User {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(displayName, "displayName");
  }
}
