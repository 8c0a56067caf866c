package dev.natter.store.postgres;

import dev.natter.core.model.Membership;
import dev.natter.core.model.User;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Who is in which room: roles and read markers. */
interface MembershipDao {
  String COLUMNS = "ms.room_id, ms.user_id, ms.role, ms.last_read_seq, ms.joined_at, ms.notify";

  /**
   * 1 if added, 0 if already a member; a missing room breaks {@code memberships_room_id_fkey}, a
   * missing user {@code memberships_user_id_fkey}.
   */
  @SqlUpdate(
      "INSERT INTO memberships (room_id, user_id, role, last_read_seq, joined_at)"
          + " VALUES (:roomId, :userId, :role, 0, :joinedAt)"
          + " ON CONFLICT (room_id, user_id) DO NOTHING")
  int insert(
      @Bind("roomId") String roomId,
      @Bind("userId") String userId,
      @Bind("role") String role,
      @Bind("joinedAt") long joinedAt);

  @SqlUpdate("DELETE FROM memberships WHERE room_id = :roomId AND user_id = :userId")
  int delete(@Bind("roomId") String roomId, @Bind("userId") String userId);

  @SqlUpdate(
      "UPDATE memberships SET notify = :notify WHERE room_id = :roomId AND user_id = :userId")
  int setNotify(
      @Bind("roomId") String roomId, @Bind("userId") String userId, @Bind("notify") String notify);

  @SqlUpdate("UPDATE memberships SET role = :role WHERE room_id = :roomId AND user_id = :userId")
  int updateRole(
      @Bind("roomId") String roomId, @Bind("userId") String userId, @Bind("role") String role);

  @SqlQuery(
      "SELECT "
          + COLUMNS
          + " FROM memberships ms WHERE ms.room_id = :roomId AND ms.user_id = :userId")
  Optional<Membership> find(@Bind("roomId") String roomId, @Bind("userId") String userId);

  /** Longest-standing first; members who joined at the same instant in username order. */
  @SqlQuery(
      "SELECT "
          + COLUMNS
          + " FROM memberships ms JOIN users u ON u.id = ms.user_id"
          + " WHERE ms.room_id = :roomId"
          + " ORDER BY ms.joined_at, lower(u.username), u.username COLLATE \"C\", u.id")
  List<Membership> ofRoom(@Bind("roomId") String roomId);

  @SqlQuery(
      "SELECT "
          + Rows.USER_COLUMNS
          + " FROM memberships ms JOIN users u ON u.id = ms.user_id"
          + " WHERE ms.room_id = :roomId"
          + UserDao.BY_USERNAME)
  List<User> members(@Bind("roomId") String roomId);

  @SqlQuery("SELECT room_id FROM memberships WHERE user_id = :userId ORDER BY room_id")
  List<String> roomIdsOf(@Bind("userId") String userId);

  @SqlQuery(
      "SELECT DISTINCT other.user_id FROM memberships me"
          + " JOIN memberships other ON other.room_id = me.room_id"
          + " WHERE me.user_id = :userId AND other.user_id <> :userId"
          + " ORDER BY other.user_id")
  List<String> contactsOf(@Bind("userId") String userId);

  /**
   * Moves the marker forward to {@code seq}, clamped to the room's last seq, never backward;
   * returns the marker in force, nothing if not a member.
   */
  @SqlQuery(
      "UPDATE memberships ms"
          + " SET last_read_seq = GREATEST(ms.last_read_seq, LEAST(:seq, r.last_seq))"
          + " FROM rooms r"
          + " WHERE r.id = ms.room_id AND ms.room_id = :roomId AND ms.user_id = :userId"
          + " RETURNING ms.last_read_seq")
  Optional<Long> markRead(
      @Bind("roomId") String roomId, @Bind("userId") String userId, @Bind("seq") long seq);
}
