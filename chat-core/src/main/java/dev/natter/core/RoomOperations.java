package dev.natter.core;

import dev.natter.core.model.Credentials;
import dev.natter.core.model.Membership;
import dev.natter.core.model.NewRoom;
import dev.natter.core.model.NotifyLevel;
import dev.natter.core.model.Role;
import dev.natter.core.model.Room;
import dev.natter.core.model.RoomKind;
import dev.natter.core.model.RoomSummary;
import dev.natter.core.model.User;
import dev.natter.core.model.Visibility;
import dev.natter.core.protocol.ServerEvent;
import dev.natter.core.spi.ChatStore;
import dev.natter.core.spi.Clock;
import dev.natter.core.spi.IdGenerator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Users and rooms: finding people, listing, creating, joining, leaving, inviting and kicking, with
 * the room and presence events that tell the affected members.
 */
final class RoomOperations {
  private static final int USER_SEARCH_LIMIT = 20;
  private static final int MAX_QUERY_CHARS = 200;

  private final ChatStore store;
  private final Clock clock;
  private final IdGenerator ids;
  private final AccessPolicy access;
  private final MembershipCache memberships;
  private final LiveClients clients;
  private final TypingTracker typing;
  private final Object[] membershipLocks = new Object[64];

  RoomOperations(
      ChatStore store,
      Clock clock,
      IdGenerator ids,
      AccessPolicy access,
      MembershipCache memberships,
      LiveClients clients,
      TypingTracker typing) {
    this.store = store;
    this.clock = clock;
    this.ids = ids;
    this.access = access;
    this.memberships = memberships;
    this.clients = clients;
    this.typing = typing;
    java.util.Arrays.setAll(membershipLocks, i -> new Object());
  }

  /** Users matching {@code query} in username or display name, to start a DM with. */
  List<User> searchUsers(User me, String query) {
    Objects.requireNonNull(me, "me");
    String q = query == null ? "" : query.strip();
    if (q.length() > MAX_QUERY_CHARS) {
      throw new ChatException.BadRequest("query is too long");
    }
    return store.searchUsers(q, USER_SEARCH_LIMIT);
  }

  /** My rooms, most recently active first. */
  List<RoomSummary> rooms(User me) {
    return store.roomSummaries(me.id()).stream().map(s -> forViewer(s, me.id())).toList();
  }

  /** Public group rooms I could join. */
  List<RoomSummary> publicRooms(User me) {
    return store.publicRoomsNotJoinedBy(me.id());
  }

  /** One of my rooms. */
  RoomSummary room(User me, String roomId) {
    access.requireMember(me.id(), Validation.requireId(roomId, "room"));
    return summary(roomId, me.id());
  }

  /**
   * Sets my notification level for one of my rooms; every connection of mine gets the room's new
   * summary (a {@code room} event), so my other devices follow.
   */
  RoomSummary setNotifyLevel(User me, String roomId, NotifyLevel level) {
    Validation.requireId(roomId, "room");
    if (level == null) {
      throw new ChatException.BadRequest("level is required");
    }
    RoomSummary summary;
    synchronized (membershipLock(roomId)) { // not while I leave
      access.requireMember(me.id(), roomId);
      if (!store.setNotifyLevel(roomId, me.id(), level)) {
        throw new ChatException.Forbidden("you are not a member of room " + roomId);
      }
      memberships.membershipChanged(roomId, me.id());
      summary = summary(roomId, me.id());
      clients.toUser(me.id(), new ServerEvent.RoomEvent(summary));
    }
    return summary;
  }

  /** Creates a group room with me as owner and the given users as members. */
  RoomSummary createRoom(
      User me, String name, Visibility visibility, List<String> memberUsernames) {
    String cleanName = Validation.roomName(name);
    if (visibility == null) {
      throw new ChatException.BadRequest("visibility must be \"public\" or \"private\"");
    }
    Map<String, Role> members = new LinkedHashMap<>();
    members.put(me.id(), Role.OWNER);
    for (String username : memberUsernames == null ? List.<String>of() : memberUsernames) {
      members.putIfAbsent(requireUser(username).id(), Role.MEMBER);
    }
    Room room = new Room(ids.newId(), RoomKind.GROUP, cleanName, visibility, null, clock.now());
    store.createRoom(new NewRoom(room, members));
    for (String userId : members.keySet()) {
      clients.toUser(userId, new ServerEvent.RoomEvent(summary(room.id(), userId)));
    }
    introduce(room.id(), members.keySet());
    return summary(room.id(), me.id());
  }

  /** Finds or creates the DM between me and {@code username}. */
  DmOpened openDm(User me, String username) {
    User other = requireUser(username);
    if (other.id().equals(me.id())) {
      throw new ChatException.BadRequest("you cannot start a DM with yourself");
    }
    Room room =
        new Room(
            ids.newId(),
            RoomKind.DM,
            "",
            Visibility.PRIVATE,
            Room.dmKey(me.id(), other.id()),
            clock.now());
    ChatStore.DmResult result =
        store.findOrCreateDm(
            new NewRoom(room, Map.of(me.id(), Role.MEMBER, other.id(), Role.MEMBER)));
    String roomId = result.room().id();
    if (result.created()) {
      for (String userId : List.of(me.id(), other.id())) {
        clients.toUser(userId, new ServerEvent.RoomEvent(summary(roomId, userId)));
      }
      introduce(roomId, Set.of(me.id()));
    }
    return new DmOpened(summary(roomId, me.id()), result.created());
  }

  /**
   * Joins a public group room (a no-op if I am already a member). Whoever joins a room left empty
   * (and so ownerless) by its last owner becomes its owner (see {@link #handOn}).
   */
  RoomSummary join(User me, String roomId) {
    access.requireJoinable(Validation.requireId(roomId, "room"));
    boolean added;
    synchronized (membershipLock(roomId)) { // an owner may be leaving at the same time
      added = store.addMember(roomId, me.id(), Role.MEMBER, clock.now());
      if (added) {
        handOn(roomId);
      }
    }
    if (added) {
      memberAdded(roomId, me.id());
      clients.toUser(me.id(), new ServerEvent.RoomEvent(summary(roomId, me.id())));
      roomChanged(roomId, me.id());
      introduce(roomId, Set.of(me.id()));
    }
    return summary(roomId, me.id());
  }

  /** Leaves a group room; when the last owner leaves, the room passes on (see {@link #handOn}). */
  void leave(User me, String roomId) {
    access.requireLeavable(me.id(), Validation.requireId(roomId, "room"));
    typing.stop(roomId, me);
    synchronized (membershipLock(roomId)) {
      store.removeMember(roomId, me.id());
      handOn(roomId);
    }
    memberRemoved(roomId, me.id());
    clients.toUser(me.id(), new ServerEvent.RoomLeft(roomId));
    roomChanged(roomId, null);
  }

  /** Adds a user to a group room (owners and admins). */
  void invite(User me, String roomId, String username) {
    access.requireModerator(me.id(), Validation.requireId(roomId, "room"));
    User target = requireUser(username);
    if (!store.addMember(roomId, target.id(), Role.MEMBER, clock.now())) {
      throw new ChatException.Conflict(username + " is already a member");
    }
    memberAdded(roomId, target.id());
    clients.toUser(target.id(), new ServerEvent.RoomEvent(summary(roomId, target.id())));
    roomChanged(roomId, target.id());
    introduce(roomId, Set.of(target.id()));
  }

  /** Removes a member from a group room (see {@link AccessPolicy#requireRemovable}). */
  void kick(User me, String roomId, String username) {
    Membership mine = access.requireModerator(me.id(), Validation.requireId(roomId, "room"));
    User target = requireUser(username);
    synchronized (membershipLock(roomId)) { // their role may change when an owner leaves
      access.requireRemovable(mine, target);
      store.removeMember(roomId, target.id());
    }
    typing.stop(roomId, target);
    memberRemoved(roomId, target.id());
    clients.toUser(target.id(), new ServerEvent.RoomLeft(roomId));
    roomChanged(roomId, null);
  }

  /**
   * The succession rule: a group room with members always has an owner. When none is left (the last
   * owner left), the longest-standing admin becomes owner, else the longest-standing member; by
   * {@code joinedAt}, and among those who joined at the same instant (a room's first members) by
   * username. An empty room stays as it is, ownerless, until someone joins it: the joiner is then
   * its only member and becomes owner. The members learn of it from the {@code room} event that
   * follows the leave or join ({@code myRole}). Callers hold the room's {@link #membershipLock}.
   */
  private void handOn(String roomId) {
    for (int attempt = 0; attempt < 3; attempt++) { // again only if the heir left meanwhile
      List<Membership> remaining = store.memberships(roomId);
      if (remaining.isEmpty() || remaining.stream().anyMatch(m -> m.role() == Role.OWNER)) {
        return;
      }
      Membership heir =
          remaining.stream()
              .filter(m -> m.role() == Role.ADMIN)
              .findFirst()
              .orElse(remaining.get(0));
      boolean promoted = store.updateRole(roomId, heir.userId(), Role.OWNER);
      memberships.membershipChanged(roomId, heir.userId()); // also when it failed half-way
      if (promoted) {
        return;
      }
    }
  }

  /** After the store added a member: the caches that know the room's members learn it. */
  private void memberAdded(String roomId, String userId) {
    memberships.membershipChanged(roomId, userId);
    clients.memberAdded(roomId, userId);
  }

  /** After the store removed a member: from now on their sends, reads and typing are refused. */
  private void memberRemoved(String roomId, String userId) {
    memberships.membershipChanged(roomId, userId);
    clients.memberRemoved(roomId, userId);
  }

  /**
   * Serializes, per room on this node, joins and removals of members with the hand-on of ownership,
   * so two owners leaving at once cannot both keep (or both pass on) the room, and a join racing
   * the last owner's leave still ends with an owner.
   */
  private Object membershipLock(String roomId) {
    return membershipLocks[Math.floorMod(roomId.hashCode(), membershipLocks.length)];
  }

  /** The user with this username (ignoring case); {@code NotFound} if there is none. */
  User requireUser(String username) {
    if (username == null || username.isBlank()) {
      throw new ChatException.BadRequest("username is required");
    }
    return store
        .findCredentials(username)
        .map(Credentials::user)
        .orElseThrow(() -> new ChatException.NotFound("no user " + username));
  }

  private RoomSummary summary(String roomId, String userId) {
    return store
        .roomSummary(roomId, userId)
        .map(s -> forViewer(s, userId))
        .orElseThrow(() -> new ChatException.NotFound("no room " + roomId));
  }

  /** A DM is named after the other member, as the viewer sees it. */
  private static RoomSummary forViewer(RoomSummary s, String viewerId) {
    if (s.room().kind() != RoomKind.DM) {
      return s;
    }
    String name =
        s.members().stream()
            .filter(u -> !u.id().equals(viewerId))
            .map(User::displayName)
            .findFirst()
            .orElse("");
    Room r = s.room();
    Room named = new Room(r.id(), r.kind(), name, r.visibility(), r.dmKey(), r.createdAt());
    return new RoomSummary(
        named,
        s.members(),
        s.myRole(),
        s.lastSeq(),
        s.lastMessage(),
        s.unread(),
        s.lastReadSeq(),
        s.mentions(),
        s.notifyLevel());
  }

  /** Tells the room's online members (but {@code exceptUserId}) its new summary. */
  private void roomChanged(String roomId, String exceptUserId) {
    for (String userId : clients.membersOf(roomId)) {
      if (!userId.equals(exceptUserId) && clients.isOnlineAnywhere(userId)) {
        store
            .roomSummary(roomId, userId)
            .ifPresent(
                s -> clients.toUser(userId, new ServerEvent.RoomEvent(forViewer(s, userId))));
      }
    }
  }

  /**
   * Tells the room's newcomers the presence of every other member, and the room's other members
   * about the newcomers who are online. Each online member hears about each other member at most
   * once, however many newcomers there are (a new group has only newcomers).
   */
  private void introduce(String roomId, Set<String> newcomerIds) {
    List<User> members = store.members(roomId);
    Map<String, ServerEvent> presence = new HashMap<>(); // one event per user, shared
    for (User viewer : members) {
      if (!clients.isOnlineAnywhere(viewer.id())) {
        continue;
      }
      boolean viewerIsNew = newcomerIds.contains(viewer.id());
      for (User subject : members) {
        if (subject.id().equals(viewer.id())) {
          continue;
        }
        if (viewerIsNew
            || (newcomerIds.contains(subject.id()) && clients.isOnlineAnywhere(subject.id()))) {
          clients.toUser(
              viewer.id(),
              presence.computeIfAbsent(
                  subject.id(), id -> new ServerEvent.PresenceEvent(clients.presenceOf(subject))));
        }
      }
    }
  }
}
