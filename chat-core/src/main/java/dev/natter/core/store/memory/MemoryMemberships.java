package dev.natter.core.store.memory;

import dev.natter.core.model.Membership;
import dev.natter.core.model.NotifyLevel;
import dev.natter.core.model.Role;
import dev.natter.core.model.User;
import dev.natter.core.spi.MembershipStore;
import dev.natter.core.spi.StoreErrors;
import dev.natter.core.store.memory.MemoryState.RoomRow;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** The in-memory store's memberships and read markers. */
final class MemoryMemberships implements MembershipStore {
  private final MemoryState state;

  MemoryMemberships(MemoryState state) {
    this.state = state;
  }

  @Override
  public Optional<Membership> findMembership(String roomId, String userId) {
    return state.call(
        () -> {
          RoomRow row = state.rooms.get(roomId);
          return row == null ? Optional.empty() : Optional.ofNullable(row.members.get(userId));
        });
  }

  @Override
  public boolean addMember(String roomId, String userId, Role role, Instant joinedAt) {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(joinedAt, "joinedAt");
    return state.call(
        () -> {
          RoomRow row = state.requireRoom(roomId);
          state.requireUser(userId);
          if (row.members.containsKey(userId)) {
            return false;
          }
          state.putMember(row, userId, role, joinedAt);
          return true;
        });
  }

  @Override
  public boolean removeMember(String roomId, String userId) {
    return state.call(
        () -> {
          RoomRow row = state.rooms.get(roomId);
          if (row == null || row.members.remove(userId) == null) {
            return false;
          }
          Set<String> ids = state.roomIdsByUser.get(userId);
          ids.remove(roomId);
          if (ids.isEmpty()) {
            state.roomIdsByUser.remove(userId);
          }
          return true;
        });
  }

  @Override
  public boolean updateRole(String roomId, String userId, Role role) {
    Objects.requireNonNull(role, "role");
    return replaceMembership(
        roomId,
        userId,
        m -> new Membership(roomId, userId, role, m.lastReadSeq(), m.joinedAt(), m.notifyLevel()));
  }

  @Override
  public List<Membership> memberships(String roomId) {
    return state.call(
        () -> {
          RoomRow row = state.rooms.get(roomId);
          if (row == null) {
            return List.of();
          }
          Comparator<Membership> byUsername =
              Comparator.comparing(m -> state.users.get(m.userId()).user, MemoryState.BY_USERNAME);
          return row.members.values().stream()
              .filter(m -> state.users.containsKey(m.userId()))
              .sorted(Comparator.comparing(Membership::joinedAt).thenComparing(byUsername))
              .toList();
        });
  }

  @Override
  public List<User> members(String roomId) {
    return state.call(
        () -> {
          RoomRow row = state.rooms.get(roomId);
          return row == null ? List.of() : state.membersOf(row);
        });
  }

  @Override
  public List<String> roomIdsOf(String userId) {
    return state.call(() -> List.copyOf(state.roomIdsByUser.getOrDefault(userId, Set.of())));
  }

  @Override
  public List<String> contactsOf(String userId) {
    return state.call(
        () -> {
          Set<String> contacts = new TreeSet<>();
          for (String roomId : state.roomIdsByUser.getOrDefault(userId, Set.of())) {
            contacts.addAll(state.rooms.get(roomId).members.keySet());
          }
          contacts.remove(userId);
          return List.copyOf(contacts);
        });
  }

  @Override
  public boolean setNotifyLevel(String roomId, String userId, NotifyLevel level) {
    Objects.requireNonNull(level, "level");
    return replaceMembership(
        roomId,
        userId,
        m -> new Membership(roomId, userId, m.role(), m.lastReadSeq(), m.joinedAt(), level));
  }

  /** Replaces a member's membership with {@code change} of it; false when there is none. */
  private boolean replaceMembership(
      String roomId, String userId, java.util.function.UnaryOperator<Membership> change) {
    return state.call(
        () -> {
          RoomRow row = state.rooms.get(roomId);
          Membership m = row == null ? null : row.members.get(userId);
          if (m == null) {
            return false;
          }
          row.members.put(userId, change.apply(m));
          return true;
        });
  }

  @Override
  public long markRead(String roomId, String userId, long seq) {
    return state.call(
        () -> {
          RoomRow row = state.requireRoom(roomId);
          Membership m = row.members.get(userId);
          if (m == null) {
            throw StoreErrors.notAMember();
          }
          long target = Math.min(seq, row.messages.size());
          if (target > m.lastReadSeq()) {
            m =
                new Membership(
                    m.roomId(), m.userId(), m.role(), target, m.joinedAt(), m.notifyLevel());
            row.members.put(userId, m);
          }
          return m.lastReadSeq();
        });
  }
}
