package dev.natter.core.model;

import java.util.List;

/**
 * A room as one member sees it: who is in it, the member's role, the last message and how many
 * messages the member has not read (messages of others after the read marker, deleted ones
 * excluded).
 */
public record RoomSummary(
    Room room,
    List<User> members,
    Role myRole,
    long lastSeq,
    Message lastMessage,
    long unread,
    long lastReadSeq) {
  public RoomSummary {
    members = List.copyOf(members);
  }
}
