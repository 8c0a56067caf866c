package dev.natter.store.sqlite;

import dev.natter.core.model.Message;
import dev.natter.core.model.NewRoom;
import dev.natter.core.model.Role;
import dev.natter.core.model.Room;
import dev.natter.core.model.RoomKind;
import dev.natter.core.model.RoomSummary;
import dev.natter.core.spi.RoomStore;
import dev.natter.core.spi.StoreErrors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The SQLite store's rooms, and each room as a user sees it ({@link RoomDao}). */
final class SqliteRooms implements RoomStore {
  private final SqliteAccess db;

  SqliteRooms(SqliteAccess db) {
    this.db = db;
  }

  @Override
  public void createRoom(NewRoom newRoom) {
    Objects.requireNonNull(newRoom, "newRoom");
    db.write(
        c -> {
          insertRoom(c, newRoom);
          return null;
        });
  }

  @Override
  public DmResult findOrCreateDm(NewRoom newRoom) {
    Objects.requireNonNull(newRoom, "newRoom");
    if (newRoom.room().kind() != RoomKind.DM) {
      throw StoreErrors.notADirectMessage();
    }
    return db.write(
        c -> {
          Optional<Room> existing = c.rooms.findByDmKey(newRoom.room().dmKey());
          if (existing.isPresent()) {
            return new DmResult(existing.get(), false);
          }
          insertRoom(c, newRoom);
          return new DmResult(newRoom.room(), true);
        });
  }

  /**
   * Inserts a room and its first members; the caller's savepoint undoes it all on failure. A taken
   * id or DM key breaks a unique key (the id is reported first, as in every store), a missing
   * member a foreign key.
   */
  private static void insertRoom(WriteContext c, NewRoom newRoom) {
    Room room = newRoom.room();
    long createdAt = Times.toNanos(room.createdAt());
    try {
      c.rooms.insert(
          room.id(),
          room.kind().wireName(),
          room.name(),
          room.visibility().wireName(),
          room.dmKey(),
          createdAt);
    } catch (RuntimeException e) {
      if (!SqlErrors.isUnique(e)) {
        throw e;
      }
      boolean idTaken = c.rooms.find(room.id()).isPresent();
      throw StoreErrors.withCause(
          idTaken ? StoreErrors.roomIdTaken() : StoreErrors.directMessageExists(), e);
    }
    List<Map.Entry<String, Role>> members = new ArrayList<>(newRoom.members().entrySet());
    members.sort(Map.Entry.comparingByKey());
    for (Map.Entry<String, Role> member : members) {
      try {
        c.rooms.insertMember(room.id(), member.getKey(), member.getValue().wireName(), createdAt);
      } catch (RuntimeException e) {
        throw SqlErrors.isForeignKey(e) ? StoreErrors.withCause(StoreErrors.noSuchUser(), e) : e;
      }
    }
  }

  @Override
  public Optional<Room> findRoom(String roomId) {
    return db.read(h -> h.attach(RoomDao.class).find(roomId));
  }

  @Override
  public List<RoomSummary> roomSummaries(String userId) {
    return db.readConsistent(
        h -> {
          RoomDao rooms = h.attach(RoomDao.class);
          MessageDao messages = h.attach(MessageDao.class);
          List<RoomSummary> out = new ArrayList<>();
          for (Rows.MemberRoom r : rooms.roomsOf(userId)) {
            out.add(summary(rooms, messages, r, userId));
          }
          return List.copyOf(out);
        });
  }

  @Override
  public Optional<RoomSummary> roomSummary(String roomId, String userId) {
    return db.readConsistent(
        h -> {
          RoomDao rooms = h.attach(RoomDao.class);
          MessageDao messages = h.attach(MessageDao.class);
          return rooms.roomOf(roomId, userId).map(r -> summary(rooms, messages, r, userId));
        });
  }

  @Override
  public List<RoomSummary> publicRoomsNotJoinedBy(String userId) {
    return db.readConsistent(
        h -> {
          RoomDao rooms = h.attach(RoomDao.class);
          MessageDao messages = h.attach(MessageDao.class);
          List<RoomSummary> out = new ArrayList<>();
          for (Rows.MemberRoom r : rooms.publicRoomsWithout(userId)) {
            out.add(summary(rooms, messages, r, userId));
          }
          return List.copyOf(out);
        });
  }

  /**
   * A room as {@code userId} sees it. For a non-member (role null) the marker is 0 and nothing is
   * unread.
   */
  private static RoomSummary summary(
      RoomDao rooms, MessageDao messages, Rows.MemberRoom r, String userId) {
    String roomId = r.room().id();
    Message last = null;
    if (r.lastSeq() > 0) {
      last = messages.atSeq(roomId, r.lastSeq()).map(Rows.MessageRow::toMessage).orElse(null);
    }
    long unread = r.role() == null ? 0 : rooms.unread(roomId, userId, r.lastReadSeq());
    long mentions =
        r.role() == null || unread == 0 ? 0 : rooms.unreadMentions(roomId, userId, r.lastReadSeq());
    return new RoomSummary(
        r.room(),
        rooms.members(roomId),
        r.role(),
        r.lastSeq(),
        last,
        unread,
        r.lastReadSeq(),
        mentions,
        r.notifyLevel());
  }
}
