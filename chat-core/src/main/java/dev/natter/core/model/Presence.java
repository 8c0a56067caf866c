package dev.natter.core.model;

import java.time.Instant;

/**
 * Whether a user has at least one live connection, and when the last one ended.
 *
 * @param user whose presence
 * @param status online or offline
 * @param lastSeen when the user was last online (now, while online), or null if never
 */
public record Presence(User user, Status status, Instant lastSeen) {
  /** Online or offline. */
  public enum Status {
    /** At least one live connection. */
    ONLINE,
    /** No live connection. */
    OFFLINE;

    /**
     * The protocol's name.
     *
     * @return {@code "online"} or {@code "offline"}
     */
    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
