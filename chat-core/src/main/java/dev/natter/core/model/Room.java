package dev.natter.core.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A conversation. For a DM, {@code name} is empty (clients show the other member's name) and {@code
 * dmKey} identifies the pair of users so there is at most one DM per pair.
 *
 * @param id the room's id
 * @param kind DM or group
 * @param name the group's name; empty for a DM
 * @param visibility public or private (DMs are private)
 * @param dmKey for a DM, {@link #dmKey} of its two members; null for a group
 * @param createdAt when it was created
 */
public record Room(
    String id, RoomKind kind, String name, Visibility visibility, String dmKey, Instant createdAt) {
  /**
   * Checks the required parts.
   *
   * @param id the room's id
   * @param kind DM or group
   * @param name the group's name; empty for a DM
   * @param visibility public or private
   * @param dmKey the DM key, required for a DM
   * @param createdAt when it was created
   * @throws NullPointerException for a missing part
   * @throws IllegalArgumentException for a DM without a key
   */
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

  /**
   * The key of the DM between two users, the same whichever order they are given in.
   *
   * @param userIdA one user's id
   * @param userIdB the other's
   * @return the two ids in order, joined by a colon
   */
  public static String dmKey(String userIdA, String userIdB) {
    return userIdA.compareTo(userIdB) <= 0 ? userIdA + ":" + userIdB : userIdB + ":" + userIdA;
  }
}
