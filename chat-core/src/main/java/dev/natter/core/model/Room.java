package dev.natter.core.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A conversation. For a DM, {@code name} is empty (clients show the other member's name) and {@code
 * dmKey} identifies the pair of users so there is at most one DM per pair.
 */
public record Room(
    String id, RoomKind kind, String name, Visibility visibility, String dmKey, Instant createdAt) {
  public Room {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(visibility, "visibility");
    Objects.requireNonNull(createdAt, "createdAt");
    if (kind == RoomKind.DM && dmKey == null) {
      throw new IllegalArgumentException("a DM needs a dmKey");
    }
  }

  /** The key of the DM between two users, the same whichever order they are given in. */
  public static String dmKey(String userIdA, String userIdB) {
    return userIdA.compareTo(userIdB) <= 0 ? userIdA + ":" + userIdB : userIdB + ":" + userIdA;
  }
}
