package dev.natter.core;

import dev.natter.core.model.Membership;
import dev.natter.core.model.Message;
import dev.natter.core.model.Role;
import dev.natter.core.model.Room;
import dev.natter.core.model.RoomKind;
import dev.natter.core.model.User;
import dev.natter.core.model.Visibility;
import dev.natter.core.spi.ChatStore;

/**
 * The one place that decides who may do what. Every engine operation that touches a room goes
 * through here; nothing else checks membership.
 */
final class AccessPolicy {
  private final ChatStore store;
  private final MembershipCache cache;

  /**
   * @param cache where rooms and memberships are looked up (the store on a miss); the room
   *     operations keep it exact
   */
  AccessPolicy(ChatStore store, MembershipCache cache) {
    this.store = store;
    this.cache = cache;
  }

  Room requireRoom(String roomId) {
    return cache.room(roomId).orElseThrow(() -> new ChatException.NotFound("no room " + roomId));
  }

  /** The user's membership of the room: to read, write, type, mark read or search in it. */
  Membership requireMember(String userId, String roomId) {
    return requireCachedMember(userId, roomId).membership();
  }

  /**
   * As {@link #requireMember}, with the cached entry that tracks the member's read marker. Its
   * {@code membership().lastReadSeq()} may be stale: use {@link
   * MembershipCache.Member#advanceRead}.
   */
  MembershipCache.Member requireCachedMember(String userId, String roomId) {
    requireRoom(roomId);
    return cache
        .member(roomId, userId)
        .orElseThrow(() -> new ChatException.Forbidden("you are not a member of room " + roomId));
  }

  /** An owner or admin of a group room: to invite and kick. */
  Membership requireModerator(String userId, String roomId) {
    Membership m = requireMember(userId, roomId);
    if (requireRoom(roomId).kind() == RoomKind.DM) {
      throw new ChatException.BadRequest("a DM has exactly two members; start a group instead");
    }
    if (!m.role().canModerate()) {
      throw new ChatException.Forbidden("only owners and admins may do that");
    }
    return m;
  }

  /**
   * Whom a moderator ({@link #requireModerator}) may remove from a group room: not themselves (they
   * leave instead), never an owner, and an admin only when the moderator is an owner. Callers hold
   * the room's membership lock, so the target's role cannot change meanwhile.
   *
   * @return the target's membership
   */
  Membership requireRemovable(Membership moderator, User target) {
    if (target.id().equals(moderator.userId())) {
      throw new ChatException.BadRequest("to remove yourself, leave the room");
    }
    Membership theirs =
        store
            .findMembership(moderator.roomId(), target.id())
            .orElseThrow(() -> new ChatException.NotFound(target.username() + " is not a member"));
    if (theirs.role() == Role.OWNER
        || (theirs.role() == Role.ADMIN && moderator.role() != Role.OWNER)) {
      throw new ChatException.Forbidden("you cannot remove " + target.username());
    }
    return theirs;
  }

  /** Anyone may join a public group; nobody joins a private room or a DM without an invite. */
  Room requireJoinable(String roomId) {
    Room room = requireRoom(roomId);
    if (room.kind() != RoomKind.GROUP || room.visibility() != Visibility.PUBLIC) {
      throw new ChatException.Forbidden("room " + roomId + " is private: ask for an invite");
    }
    return room;
  }

  /** Members may leave groups; a DM cannot be left. */
  Membership requireLeavable(String userId, String roomId) {
    Membership m = requireMember(userId, roomId);
    if (requireRoom(roomId).kind() == RoomKind.DM) {
      throw new ChatException.BadRequest("you cannot leave a DM");
    }
    return m;
  }

  /** The message, which the member can see. */
  Message requireMessage(String userId, String roomId, String messageId) {
    requireMember(userId, roomId);
    return store
        .findMessage(roomId, messageId)
        .orElseThrow(() -> new ChatException.NotFound("no message " + messageId));
  }

  /** Only the author edits a message, and not once it is deleted. */
  Message requireEditable(String userId, String roomId, String messageId) {
    Message message = requireMessage(userId, roomId, messageId);
    if (!message.sender().id().equals(userId)) {
      throw new ChatException.Forbidden("you can only edit your own messages");
    }
    if (message.deleted()) {
      throw new ChatException.Conflict("message " + messageId + " was deleted");
    }
    return message;
  }

  /** The author deletes their message; owners and admins delete any. */
  Message requireDeletable(String userId, String roomId, String messageId) {
    Membership member = requireMember(userId, roomId);
    Message message = requireMessage(userId, roomId, messageId);
    if (!message.sender().id().equals(userId) && !member.role().canModerate()) {
      throw new ChatException.Forbidden("you can only delete your own messages");
    }
    return message;
  }

  /** Members react to messages that are not deleted. */
  Message requireReactable(String userId, String roomId, String messageId) {
    Message message = requireMessage(userId, roomId, messageId);
    if (message.deleted()) {
      throw new ChatException.Conflict("message " + messageId + " was deleted");
    }
    return message;
  }
}
