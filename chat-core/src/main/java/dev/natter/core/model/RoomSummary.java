package dev.natter.core.model;

import java.util.List;

/**
 * A room as one member sees it: who is in it, the member's role, the last message and how many
 * messages the member has not read (messages of others after the read marker, deleted ones
 * excluded), how many of those mention the member, and the member's notification level.
 *
 * @param room the room (a DM named after the other member)
 * @param members its members
 * @param myRole the viewer's role
 * @param lastSeq the room's last seq, 0 when empty
 * @param lastMessage the newest message, or null
 * @param unread messages of others after the viewer's read marker
 * @param lastReadSeq the viewer's read marker
 * @param mentions unread messages that mention the viewer
 * @param notifyLevel the viewer's notification level for the room
 */
public record RoomSummary(
    Room room,
    List<User> members,
    Role myRole,
    long lastSeq,
    Message lastMessage,
    long unread,
    long lastReadSeq,
    long mentions,
    NotifyLevel notifyLevel) {
  /**
   * Copies the members; a missing level is {@link NotifyLevel#ALL}.
   *
   * @param room the room
   * @param members its members
   * @param myRole the viewer's role
   * @param lastSeq the room's last seq
   * @param lastMessage the newest message, or null
   * @param unread unread messages
   * @param lastReadSeq the viewer's read marker
   * @param mentions unread messages that mention the viewer
   * @param notifyLevel the viewer's level, or null for {@link NotifyLevel#ALL}
   */
  public RoomSummary {
    members = List.copyOf(members);
    notifyLevel = notifyLevel == null ? NotifyLevel.ALL : notifyLevel;
  }

  /**
   * A summary without mentions, at the default level.
   *
   * @param room the room
   * @param members its members
   * @param myRole the viewer's role
   * @param lastSeq the room's last seq
   * @param lastMessage the newest message, or null
   * @param unread unread messages
   * @param lastReadSeq the viewer's read marker
   */
  public RoomSummary(
      Room room,
      List<User> members,
      Role myRole,
      long lastSeq,
      Message lastMessage,
      long unread,
      long lastReadSeq) {
    this(room, members, myRole, lastSeq, lastMessage, unread, lastReadSeq, 0, NotifyLevel.ALL);
  }
}
