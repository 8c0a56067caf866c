package dev.natter.core.model;

import java.time.Instant;

/**
 * One user's place in one room: role, read marker (the highest seq they have read) and how much of
 * the room they want to be notified of.
 *
 * @param roomId the room's id
 * @param userId the member's id
 * @param role their role
 * @param lastReadSeq the highest seq they have read
 * @param joinedAt when they joined
 * @param notifyLevel their notification level for the room
 */
public record Membership(
    String roomId,
    String userId,
    Role role,
    long lastReadSeq,
    Instant joinedAt,
    NotifyLevel notifyLevel) {
  /**
   * A missing level is {@link NotifyLevel#ALL}.
   *
   * @param roomId the room's id
   * @param userId the member's id
   * @param role their role
   * @param lastReadSeq the highest seq they have read
   * @param joinedAt when they joined
   * @param notifyLevel their level, or null for {@link NotifyLevel#ALL}
   */
  public Membership {
    notifyLevel = notifyLevel == null ? NotifyLevel.ALL : notifyLevel;
  }

  /**
   * A membership at the default level ({@link NotifyLevel#ALL}).
   *
   * @param roomId the room's id
   * @param userId the member's id
   * @param role their role
   * @param lastReadSeq the highest seq they have read
   * @param joinedAt when they joined
   */
  public Membership(String roomId, String userId, Role role, long lastReadSeq, Instant joinedAt) {
    this(roomId, userId, role, lastReadSeq, joinedAt, NotifyLevel.ALL);
  }
}
