package dev.natter.store.sqlite;

import dev.natter.core.model.Membership;
import dev.natter.core.model.NotifyLevel;
import dev.natter.core.model.Role;
import dev.natter.core.model.User;
import dev.natter.core.spi.MembershipStore;
import dev.natter.core.spi.StoreErrors;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The SQLite store's memberships and read markers ({@link RoomDao}). */
final class SqliteMemberships implements MembershipStore {
  private final SqliteAccess db;

  SqliteMemberships(SqliteAccess db) {
    this.db = db;
  }

  @Override
  public Optional<Membership> findMembership(String roomId, String userId) {
    return db.read(h -> h.attach(RoomDao.class).findMembership(roomId, userId));
  }

  /** A missing room or user breaks a foreign key; the room is reported first, as in every store. */
  @Override
  public boolean addMember(String roomId, String userId, Role role, Instant joinedAt) {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(joinedAt, "joinedAt");
    return db.write(
        c -> {
          try {
            return c.rooms.insertMember(roomId, userId, role.wireName(), Times.toNanos(joinedAt))
                > 0;
          } catch (RuntimeException e) {
            if (!SqlErrors.isForeignKey(e)) {
              throw e;
            }
            boolean roomExists = c.rooms.find(roomId).isPresent();
            throw StoreErrors.withCause(
                roomExists ? StoreErrors.noSuchUser() : StoreErrors.noSuchRoom(), e);
          }
        });
  }

  @Override
  public boolean removeMember(String roomId, String userId) {
    return db.write(c -> c.rooms.deleteMember(roomId, userId) > 0);
  }

  /** One UPDATE: the member never stops being one. */
  @Override
  public boolean updateRole(String roomId, String userId, Role role) {
    Objects.requireNonNull(role, "role");
    return db.write(c -> c.rooms.updateRole(roomId, userId, role.wireName()) > 0);
  }

  @Override
  public List<Membership> memberships(String roomId) {
    return db.read(h -> List.copyOf(h.attach(RoomDao.class).memberships(roomId)));
  }

  @Override
  public List<User> members(String roomId) {
    return db.read(h -> List.copyOf(h.attach(RoomDao.class).members(roomId)));
  }

  @Override
  public List<String> roomIdsOf(String userId) {
    return db.read(h -> List.copyOf(h.attach(RoomDao.class).roomIdsOf(userId)));
  }

  @Override
  public List<String> contactsOf(String userId) {
    return db.read(h -> List.copyOf(h.attach(RoomDao.class).contactsOf(userId)));
  }

  @Override
  public boolean setNotifyLevel(String roomId, String userId, NotifyLevel level) {
    Objects.requireNonNull(level, "level");
    return db.write(c -> c.rooms.setNotify(roomId, userId, level.wireName()) > 0);
  }

  /** One UPDATE ... RETURNING; only when it finds no membership, a look-up says why. */
  @Override
  public long markRead(String roomId, String userId, long seq) {
    return db.write(
        c -> {
          Optional<Long> marker = c.rooms.markRead(roomId, userId, seq);
          if (marker.isPresent()) {
            return marker.get();
          }
          throw c.rooms.lastSeq(roomId).isPresent()
              ? StoreErrors.notAMember()
              : StoreErrors.noSuchRoom();
        });
  }
}
