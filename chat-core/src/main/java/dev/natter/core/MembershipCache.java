package dev.natter.core;

import dev.natter.core.model.Membership;
import dev.natter.core.model.Room;
import dev.natter.core.spi.ChatStore;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every send, read, typing, history and sync checks (the room, the caller's membership and
 * role), kept in memory so that those checks cost no store round trip once warm.
 *
 * <p>Exact on one node: rooms never change once created, and every change of a membership (join,
 * leave, invite, kick, the hand-on of ownership) goes through {@link RoomOperations}, which calls
 * {@link #membershipChanged} after the store has committed it; the next check reads the store
 * again. Only existing memberships are cached, so a new member needs no invalidation to be
 * accepted. A load that raced a change is not kept (see {@link #member}). With several nodes
 * sharing a store, the room events of the {@code EventBus} would have to invalidate here too: not
 * done, as the engine has one node today.
 *
 * <p>Bounded ({@link BoundedCache}): a dropped entry is read from the store again on its next use.
 * Thread-safe.
 */
final class MembershipCache {
  static final int MAX_ROOMS = 20_000;
  static final int MAX_MEMBERSHIPS = 200_000;

  private final ChatStore store;
  private final BoundedCache<String, Room> rooms;
  private final BoundedCache<Key, Member> members;

  /** Counts membership changes, so that a load which raced one is not kept. */
  private final AtomicLong changes = new AtomicLong();

  /** False when other nodes change memberships too: then every check reads the store. */
  private final boolean cacheMembers;

  MembershipCache(ChatStore store, boolean cacheMembers) {
    this(store, MAX_ROOMS, MAX_MEMBERSHIPS, cacheMembers);
  }

  MembershipCache(ChatStore store, int maxRooms, int maxMemberships) {
    this(store, maxRooms, maxMemberships, true);
  }

  private MembershipCache(ChatStore store, int maxRooms, int maxMemberships, boolean cacheMembers) {
    this.store = store;
    this.cacheMembers = cacheMembers;
    this.rooms = new BoundedCache<>(maxRooms);
    this.members = new BoundedCache<>(maxMemberships);
  }

  private record Key(String roomId, String userId) {}

  /**
   * A cached membership, and the read marker it has reached as far as this node has moved it (the
   * engine moves it through {@link #advanceRead}, so it need not read the membership again).
   */
  static final class Member {
    private final Membership membership;
    private final AtomicLong readMarker;

    private Member(Membership membership) {
      this.membership = membership;
      this.readMarker = new AtomicLong(membership.lastReadSeq());
    }

    /** The membership as loaded (its {@code lastReadSeq} may have moved on since). */
    Membership membership() {
      return membership;
    }

    /**
     * Records a read marker the store returned.
     *
     * @return true if it is further than any this member had reached
     */
    boolean advanceRead(long marker) {
      return readMarker.getAndAccumulate(marker, Math::max) < marker;
    }
  }

  Optional<Room> room(String roomId) {
    Room cached = rooms.get(roomId);
    if (cached != null) {
      return Optional.of(cached);
    }
    Optional<Room> loaded = store.findRoom(roomId);
    loaded.ifPresent(room -> rooms.put(roomId, room)); // rooms never change
    return loaded;
  }

  /**
   * The user's membership of the room, from the cache or else the store. A load is kept only if no
   * membership changed while it ran (put first, then checked, so a change that lands between the
   * load and the put removes it either way).
   */
  Optional<Member> member(String roomId, String userId) {
    if (!cacheMembers) {
      return store.findMembership(roomId, userId).map(Member::new);
    }
    Key key = new Key(roomId, userId);
    Member cached = members.get(key);
    if (cached != null) {
      return Optional.of(cached);
    }
    long seen = changes.get();
    Optional<Membership> loaded = store.findMembership(roomId, userId);
    if (loaded.isEmpty()) {
      return Optional.empty();
    }
    Member fresh = new Member(loaded.get());
    members.put(key, fresh);
    if (changes.get() != seen) {
      members.remove(key, fresh);
    }
    return Optional.of(fresh);
  }

  /**
   * Forgets the user's membership of the room; called after the store committed a change of it
   * (added, removed, or a new role).
   */
  void membershipChanged(String roomId, String userId) {
    changes.incrementAndGet();
    members.remove(new Key(roomId, userId));
  }
}
