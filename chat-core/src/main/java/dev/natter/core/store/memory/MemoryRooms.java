package dev.natter.core.store.memory;

import dev.natter.core.model.Membership;
import dev.natter.core.model.NewRoom;
import dev.natter.core.model.Room;
import dev.natter.core.model.RoomKind;
import dev.natter.core.model.RoomSummary;
import dev.natter.core.model.Visibility;
import dev.natter.core.spi.RoomStore;
import dev.natter.core.spi.StoreErrors;
import dev.natter.core.store.memory.MemoryState.RoomRow;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** The in-memory store's rooms, and each room as a user sees it. */
final class MemoryRooms implements RoomStore {
  private final MemoryState state;

  MemoryRooms(MemoryState state) {
    this.state = state;
  }

  @Override
  public void createRoom(NewRoom newRoom) {
    Objects.requireNonNull(newRoom, "newRoom");
    state.run(() -> insertRoom(newRoom));
  }

  @Override
  public DmResult findOrCreateDm(NewRoom newRoom) {
    Objects.requireNonNull(newRoom, "newRoom");
    if (newRoom.room().kind() != RoomKind.DM) {
      throw StoreErrors.notADirectMessage();
    }
    return state.call(
        () -> {
          String existing = state.roomIdByDmKey.get(newRoom.room().dmKey());
          if (existing != null) {
            return new DmResult(state.rooms.get(existing).room, false);
          }
          insertRoom(newRoom);
          return new DmResult(newRoom.room(), true);
        });
  }

  /** Checks every constraint first, then writes, so a failure leaves nothing behind. */
  private void insertRoom(NewRoom newRoom) {
    Room room = newRoom.room();
    if (state.rooms.containsKey(room.id())) {
      throw StoreErrors.roomIdTaken();
    }
    if (room.dmKey() != null && state.roomIdByDmKey.containsKey(room.dmKey())) {
      throw StoreErrors.directMessageExists();
    }
    for (String userId : newRoom.members().keySet()) {
      state.requireUser(userId);
    }
    RoomRow row = new RoomRow(room);
    state.rooms.put(room.id(), row);
    if (room.dmKey() != null) {
      state.roomIdByDmKey.put(room.dmKey(), room.id());
    }
    newRoom.members().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> state.putMember(row, e.getKey(), e.getValue(), room.createdAt()));
  }

  @Override
  public Optional<Room> findRoom(String roomId) {
    return state.call(
        () -> {
          RoomRow row = state.rooms.get(roomId);
          return row == null ? Optional.empty() : Optional.of(row.room);
        });
  }

  @Override
  public List<RoomSummary> roomSummaries(String userId) {
    return state.call(
        () ->
            state.roomIdsByUser.getOrDefault(userId, Set.of()).stream()
                .map(state.rooms::get)
                .sorted(
                    Comparator.comparing(RoomRow::lastActivity)
                        .reversed()
                        .thenComparing(r -> r.room.id()))
                .map(r -> summary(r, userId))
                .toList());
  }

  @Override
  public Optional<RoomSummary> roomSummary(String roomId, String userId) {
    return state.call(
        () -> {
          RoomRow row = state.rooms.get(roomId);
          if (row == null || !row.members.containsKey(userId)) {
            return Optional.empty();
          }
          return Optional.of(summary(row, userId));
        });
  }

  @Override
  public List<RoomSummary> publicRoomsNotJoinedBy(String userId) {
    return state.call(
        () ->
            state.rooms.values().stream()
                .filter(r -> r.room.kind() == RoomKind.GROUP)
                .filter(r -> r.room.visibility() == Visibility.PUBLIC)
                .filter(r -> !r.members.containsKey(userId))
                .sorted(
                    Comparator.comparing(
                            (RoomRow r) -> r.room.name(), String.CASE_INSENSITIVE_ORDER)
                        .thenComparing(r -> r.room.name())
                        .thenComparing(r -> r.room.id()))
                .map(r -> summary(r, userId))
                .toList());
  }

  /**
   * The room as {@code userId} sees it. For someone who is not a member (a public room they might
   * join) the role is null, the read marker 0 and nothing counts as unread.
   */
  private RoomSummary summary(RoomRow row, String userId) {
    Membership me = row.members.get(userId);
    long lastRead = me == null ? 0 : me.lastReadSeq();
    long unread = 0;
    long mentions = 0;
    if (me != null) {
      for (int i = (int) Math.min(lastRead, row.messages.size()); i < row.messages.size(); i++) {
        StoredMessage m = row.messages.get(i);
        if (!m.deleted && !m.sender.id().equals(userId)) {
          unread++;
          if (m.mentions.contains(userId)) {
            mentions++;
          }
        }
      }
    }
    StoredMessage last = row.messages.isEmpty() ? null : row.messages.get(row.messages.size() - 1);
    return new RoomSummary(
        row.room,
        state.membersOf(row),
        me == null ? null : me.role(),
        row.messages.size(),
        last == null ? null : last.snapshot(),
        unread,
        lastRead,
        mentions,
        me == null ? null : me.notifyLevel());
  }
}
