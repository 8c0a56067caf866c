package dev.natter.core.model;

import java.time.Instant;

/** Whether a user has at least one live connection, and when the last one ended. */
public record Presence(User user, Status status, Instant lastSeen) {
  public enum Status {
    ONLINE,
    OFFLINE;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
