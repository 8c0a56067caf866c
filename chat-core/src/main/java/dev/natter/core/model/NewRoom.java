package dev.natter.core.model;

import java.util.Map;

/** A room to create with its first members and their roles. */
public record NewRoom(Room room, Map<String, Role> members) {
  public NewRoom {
    members = Map.copyOf(members);
  }
}
