package dev.natter.store.postgres;

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

/** The PostgreSQL store's memberships and read markers ({@link MembershipDao}). */
final class PgMemberships implements MembershipStore {
  private final PgAccess db;

  PgMemberships(PgAccess db) {
    this.db = db;
  }

  @Override
  public Optional<Membership> findMembership(String roomId, String userId) {
    return db.read(h -> h.attach(MembershipDao.class).find(roomId, userId));
  }

  /**
   * The room is looked up first (rooms are never removed), so a missing room is reported before a
   * missing user, as in every store; a missing user breaks the foreign key.
   */
  @Override
  public boolean addMember(String roomId, String userId, Role role, Instant joinedAt) {
    Objects.requireNonNull(role, "role");
    long joined = Nanos.of(joinedAt);
    return db.write(
        h -> {
          if (!h.attach(RoomDao.class).exists(roomId)) {
            throw StoreErrors.noSuchRoom();
          }
          try {
            return h.attach(MembershipDao.class).insert(roomId, userId, role.wireName(), joined)
                > 0;
          } catch (RuntimeException e) {
            throw PgErrors.isForeignKey(e, Constraints.MEMBER_USER)
                ? StoreErrors.withCause(StoreErrors.noSuchUser(), e)
                : e;
          }
        });
  }

  @Override
  public boolean removeMember(String roomId, String userId) {
    return db.write(h -> h.attach(MembershipDao.class).delete(roomId, userId) > 0);
  }

  /** One UPDATE: the member never stops being one. */
  @Override
  public boolean updateRole(String roomId, String userId, Role role) {
    Objects.requireNonNull(role, "role");
    return db.write(
        h -> h.attach(MembershipDao.class).updateRole(roomId, userId, role.wireName()) > 0);
  }

  @Override
  public List<Membership> memberships(String roomId) {
    return db.read(h -> List.copyOf(h.attach(MembershipDao.class).ofRoom(roomId)));
  }

  @Override
  public List<User> members(String roomId) {
    return db.read(h -> List.copyOf(h.attach(MembershipDao.class).members(roomId)));
  }

  @Override
  public List<String> roomIdsOf(String userId) {
    return db.read(h -> List.copyOf(h.attach(MembershipDao.class).roomIdsOf(userId)));
  }

  @Override
  public List<String> contactsOf(String userId) {
    return db.read(h -> List.copyOf(h.attach(MembershipDao.class).contactsOf(userId)));
  }

  @Override
  public boolean setNotifyLevel(String roomId, String userId, NotifyLevel level) {
    Objects.requireNonNull(level, "level");
    return db.write(
        h -> h.attach(MembershipDao.class).setNotify(roomId, userId, level.wireName()) > 0);
  }

  /** One UPDATE ... RETURNING; only when it finds no membership, a look-up says why. */
  @Override
  public long markRead(String roomId, String userId, long seq) {
    return db.write(
        h -> {
          Optional<Long> marker = h.attach(MembershipDao.class).markRead(roomId, userId, seq);
          if (marker.isPresent()) {
            return marker.get();
          }
          throw h.attach(RoomDao.class).exists(roomId)
              ? StoreErrors.notAMember()
              : StoreErrors.noSuchRoom();
        });
  }
}
