package dev.natter.core.spi;

import dev.natter.core.model.Membership;
import dev.natter.core.model.NotifyLevel;
import dev.natter.core.model.Role;
import dev.natter.core.model.User;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Who belongs to which room: memberships with their role, when the member joined, their read marker
 * (the seq up to which they have read the room) and their notification level. Part of {@link
 * ChatStore}; failures are reported as {@link StoreErrors} describes.
 */
public interface MembershipStore {

  /**
   * Finds one membership.
   *
   * @param roomId the room's id
   * @param userId the user's id
   * @return the membership, or empty if the user is not a member (or there is no such room)
   */
  Optional<Membership> findMembership(String roomId, String userId);

  /**
   * Adds a member with a role, a read marker at 0 and the notification level {@link
   * NotifyLevel#ALL}.
   *
   * @param roomId the room's id
   * @param userId the new member's id
   * @param role their role
   * @param joinedAt when they joined
   * @return true if added, false if they were already a member (their membership is unchanged)
   * @throws dev.natter.core.ChatException.NotFound if there is no such room ({@link
   *     StoreErrors#noSuchRoom()}) or no such user ({@link StoreErrors#noSuchUser()})
   */
  boolean addMember(String roomId, String userId, Role role, Instant joinedAt);

  /**
   * Removes a member.
   *
   * @param roomId the room's id
   * @param userId the member's id
   * @return true if removed, false if they were not a member (or there is no such room)
   */
  boolean removeMember(String roomId, String userId);

  /**
   * Changes a member's role, keeping their read marker and {@code joinedAt}.
   *
   * <p>The default is not atomic: it removes the member and adds them back with the new role, their
   * {@code joinedAt}, read marker and notification level, so for a moment they are not a member. A
   * store should override it with one update.
   *
   * @param roomId the room's id
   * @param userId the member's id
   * @param role the new role
   * @return true if they are a member (and now have {@code role}), false if the user is not a
   *     member of the room (or there is no such room)
   */
  default boolean updateRole(String roomId, String userId, Role role) {
    Objects.requireNonNull(role, "role");
    Optional<Membership> before = findMembership(roomId, userId);
    if (before.isEmpty()) {
      return false;
    }
    Membership m = before.get();
    if (m.role() == role) {
      return true;
    }
    if (!removeMember(roomId, userId)) {
      return false;
    }
    addMember(roomId, userId, role, m.joinedAt());
    if (m.lastReadSeq() > 0) {
      markRead(roomId, userId, m.lastReadSeq());
    }
    if (m.notifyLevel() != NotifyLevel.ALL) {
      setNotifyLevel(roomId, userId, m.notifyLevel());
    }
    return true;
  }

  /**
   * Sets a member's notification level for the room (kept with the membership, until they leave).
   *
   * @param roomId the room's id
   * @param userId the member's id
   * @param level the new level
   * @return true if they are a member (and now have {@code level}), false if the user is not a
   *     member of the room (or there is no such room)
   */
  boolean setNotifyLevel(String roomId, String userId, NotifyLevel level);

  /**
   * The memberships of a room. The default calls {@link #findMembership} for each of {@link
   * #members}; a store should override it with one query.
   *
   * @param roomId the room's id
   * @return its memberships, longest-standing first: by {@code joinedAt}, members who joined at the
   *     same instant by username (as {@link #members}); empty if there is no such room
   */
  default List<Membership> memberships(String roomId) {
    List<Membership> found = new ArrayList<>();
    for (User member : members(roomId)) {
      findMembership(roomId, member.id()).ifPresent(found::add);
    }
    found.sort(Comparator.comparing(Membership::joinedAt)); // stable: ties keep username order
    return found;
  }

  /**
   * The members of a room.
   *
   * @param roomId the room's id
   * @return its members ordered by username; empty if there is no such room
   */
  List<User> members(String roomId);

  /**
   * The rooms a user belongs to.
   *
   * @param userId the user's id
   * @return the ids of the rooms they are a member of
   */
  List<String> roomIdsOf(String userId);

  /**
   * The people a user shares a room with (whose presence they see).
   *
   * @param userId the user's id
   * @return the ids of every user who shares at least one room with them, excluding them
   */
  List<String> contactsOf(String userId);

  /**
   * Moves a member's read marker forward: never backward, never past the room's last seq.
   *
   * @param roomId the room's id
   * @param userId the member's id
   * @param seq the seq they have read up to
   * @return the marker now in force
   * @throws dev.natter.core.ChatException.NotFound if there is no such room ({@link
   *     StoreErrors#noSuchRoom()}) or the user is not a member of it ({@link
   *     StoreErrors#notAMember()})
   */
  long markRead(String roomId, String userId, long seq);
}
