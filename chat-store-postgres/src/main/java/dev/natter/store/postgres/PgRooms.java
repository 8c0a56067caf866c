package dev.natter.store.postgres;

import dev.natter.core.model.NewRoom;
import dev.natter.core.model.Role;
import dev.natter.core.model.Room;
import dev.natter.core.model.RoomKind;
import dev.natter.core.model.RoomSummary;
import dev.natter.core.model.User;
import dev.natter.core.spi.RoomStore;
import dev.natter.core.spi.StoreErrors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;

/**
 * The PostgreSQL store's rooms ({@link RoomDao}). Summaries take two queries in one snapshot
 * whatever the number of rooms: the rooms with their last message and unread count, then the
 * members of them all.
 */
final class PgRooms implements RoomStore {
  private final PgAccess db;

  PgRooms(PgAccess db) {
    this.db = db;
  }

  @Override
  public void createRoom(NewRoom newRoom) {
    Objects.requireNonNull(newRoom, "newRoom");
    db.write(
        h -> {
          Room room = newRoom.room();
          try {
            h.attach(RoomDao.class)
                .insert(
                    room.id(),
                    room.kind().wireName(),
                    room.name(),
                    room.visibility().wireName(),
                    room.dmKey(),
                    Nanos.of(room.createdAt()));
          } catch (RuntimeException e) {
            if (PgErrors.isUnique(e, Constraints.ROOM_ID)) {
              throw StoreErrors.withCause(StoreErrors.roomIdTaken(), e);
            }
            if (PgErrors.isUnique(e, Constraints.DM_PAIR)) {
              throw StoreErrors.withCause(StoreErrors.directMessageExists(), e);
            }
            throw e;
          }
          insertMembers(h, newRoom);
          return null;
        });
  }

  /**
   * Finds the pair's room or inserts it, waiting for a concurrent insert of the same pair (READ
   * COMMITTED: the look-up after an insert that found the pair taken sees the winner's commit).
   */
  @Override
  public DmResult findOrCreateDm(NewRoom newRoom) {
    Objects.requireNonNull(newRoom, "newRoom");
    Room room = newRoom.room();
    if (room.kind() != RoomKind.DM) {
      throw StoreErrors.notADirectMessage();
    }
    return db.write(
        h -> {
          RoomDao rooms = h.attach(RoomDao.class);
          Optional<Room> existing = rooms.findByDmKey(room.dmKey());
          if (existing.isPresent()) {
            return new DmResult(existing.get(), false);
          }
          int inserted;
          try {
            inserted =
                rooms.insertUnlessPairHasOne(
                    room.id(),
                    room.kind().wireName(),
                    room.name(),
                    room.visibility().wireName(),
                    room.dmKey(),
                    Nanos.of(room.createdAt()));
          } catch (RuntimeException e) {
            throw PgErrors.isUnique(e, Constraints.ROOM_ID)
                ? StoreErrors.withCause(StoreErrors.roomIdTaken(), e)
                : e;
          }
          if (inserted == 0) {
            return new DmResult(rooms.findByDmKey(room.dmKey()).orElseThrow(), false);
          }
          insertMembers(h, newRoom);
          return new DmResult(room, true);
        });
  }

  /** The first members of a new room, in id order (so two nodes lock users alike). */
  private static void insertMembers(Handle h, NewRoom newRoom) {
    MembershipDao memberships = h.attach(MembershipDao.class);
    long joinedAt = Nanos.of(newRoom.room().createdAt());
    for (Map.Entry<String, Role> member : new TreeMap<>(newRoom.members()).entrySet()) {
      try {
        memberships.insert(
            newRoom.room().id(), member.getKey(), member.getValue().wireName(), joinedAt);
      } catch (RuntimeException e) {
        throw PgErrors.isForeignKey(e, Constraints.MEMBER_USER)
            ? StoreErrors.withCause(StoreErrors.noSuchUser(), e)
            : e;
      }
    }
  }

  @Override
  public Optional<Room> findRoom(String roomId) {
    return db.read(h -> h.attach(RoomDao.class).find(roomId));
  }

  @Override
  public List<RoomSummary> roomSummaries(String userId) {
    return db.readConsistent(h -> withMembers(h, h.attach(RoomDao.class).summariesOf(userId)));
  }

  @Override
  public Optional<RoomSummary> roomSummary(String roomId, String userId) {
    return db.readConsistent(
        h ->
            withMembers(h, h.attach(RoomDao.class).summaryOf(roomId, userId).stream().toList())
                .stream()
                .findFirst());
  }

  @Override
  public List<RoomSummary> publicRoomsNotJoinedBy(String userId) {
    return db.readConsistent(
        h -> withMembers(h, h.attach(RoomDao.class).publicSummariesWithout(userId)));
  }

  /** The summaries of {@code rows}, in their order, with the members of each (one query). */
  private static List<RoomSummary> withMembers(Handle h, List<Rows.SummaryRow> rows) {
    if (rows.isEmpty()) {
      return List.of();
    }
    String[] roomIds = rows.stream().map(r -> r.room().id()).toArray(String[]::new);
    Map<String, List<User>> members = new HashMap<>();
    for (Rows.RoomMember m : h.attach(RoomDao.class).membersOf(roomIds)) {
      members.computeIfAbsent(m.roomId(), id -> new ArrayList<>()).add(m.user());
    }
    List<RoomSummary> out = new ArrayList<>(rows.size());
    for (Rows.SummaryRow r : rows) {
      out.add(
          new RoomSummary(
              r.room(),
              members.getOrDefault(r.room().id(), List.of()),
              r.role(),
              r.lastSeq(),
              r.last(),
              r.unread(),
              r.lastReadSeq(),
              r.mentions(),
              r.notifyLevel()));
    }
    return List.copyOf(out);
  }
}
