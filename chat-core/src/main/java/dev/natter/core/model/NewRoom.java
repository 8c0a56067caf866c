package dev.natter.core.model;

import java.util.Map;

/**
 * A room to create with its first members and their roles.
 *
 * @param room the room
 * @param members user id to role
 */
public record NewRoom(Room room, Map<String, Role> members) {
  /**
   * Copies the members.
   *
   * @param room the room
   * @param members user id to role
   */
  public NewRoom {
    members = Map.copyOf(members);
  }
}
