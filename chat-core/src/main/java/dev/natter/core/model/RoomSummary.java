package dev.natter.core.model;

import java.util.List;

/**
 * A room as one member sees it: who is in it, the member's role, the last message and how many
 * messages the member has not read (messages of others after the read marker, deleted ones
 * excluded).
 *
 * @param room the room (a DM named after the other member)
 * @param members its members
 * @param myRole the viewer's role
 * @param lastSeq the room's last seq, 0 when empty
 * @param lastMessage the newest message, or null
 * @param unread messages of others after the viewer's read marker
 * @param lastReadSeq the viewer's read marker
 */
public record RoomSummary(
    Room room,
    List<User> members,
    Role myRole,
    long lastSeq,
    Message lastMessage,
    long unread,
    long lastReadSeq) {
  /**
   * Copies the members.
   *
   * @param room the room
   * @param members its members
   * @param myRole the viewer's role
   * @param lastSeq the room's last seq
   * @param lastMessage the newest message, or null
   * @param unread unread messages
   * @param lastReadSeq the viewer's read marker
   */
  public RoomSummary {
    members = List.copyOf(members);
  }
}
