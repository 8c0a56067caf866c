package dev.natter.store.sqlite;

import dev.natter.core.model.Membership;
import dev.natter.core.model.Room;
import dev.natter.core.model.User;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Rooms, memberships and read markers. */
interface RoomDao {
  /**
   * The order of {@link dev.natter.core.spi.MembershipStore#members}: username ignoring case first.
   */
  String BY_USERNAME = " ORDER BY u.username COLLATE NOCASE, u.username COLLATE BINARY, u.id";

  @SqlUpdate(
      "INSERT INTO rooms (id, kind, name, visibility, dm_key, created_at)"
          + " VALUES (:id, :kind, :name, :visibility, :dmKey, :createdAt)")
  void insert(
      @Bind("id") String id,
      @Bind("kind") String kind,
      @Bind("name") String name,
      @Bind("visibility") String visibility,
      @Bind("dmKey") String dmKey,
      @Bind("createdAt") long createdAt);

  @SqlQuery("SELECT " + Rows.ROOM_COLUMNS + " FROM rooms r WHERE r.id = :id")
  Optional<Room> find(@Bind("id") String id);

  @SqlQuery("SELECT " + Rows.ROOM_COLUMNS + " FROM rooms r WHERE r.dm_key = :dmKey")
  Optional<Room> findByDmKey(@Bind("dmKey") String dmKey);

  /** 1 if added, 0 if already a member; a missing room or user breaks a foreign key. */
  @SqlUpdate(
      "INSERT INTO memberships (room_id, user_id, role, last_read_seq, joined_at)"
          + " VALUES (:roomId, :userId, :role, 0, :joinedAt)"
          + " ON CONFLICT (room_id, user_id) DO NOTHING")
  int insertMember(
      @Bind("roomId") String roomId,
      @Bind("userId") String userId,
      @Bind("role") String role,
      @Bind("joinedAt") long joinedAt);

  @SqlUpdate("DELETE FROM memberships WHERE room_id = :roomId AND user_id = :userId")
  int deleteMember(@Bind("roomId") String roomId, @Bind("userId") String userId);

  @SqlUpdate("UPDATE memberships SET role = :role WHERE room_id = :roomId AND user_id = :userId")
  int updateRole(
      @Bind("roomId") String roomId, @Bind("userId") String userId, @Bind("role") String role);

  /** Longest-standing first; members who joined at the same instant in username order. */
  @SqlQuery(
      "SELECT ms.room_id, ms.user_id, ms.role, ms.last_read_seq, ms.joined_at, ms.notify"
          + " FROM memberships ms JOIN users u ON u.id = ms.user_id"
          + " WHERE ms.room_id = :roomId"
          + " ORDER BY ms.joined_at, u.username COLLATE NOCASE, u.username COLLATE BINARY, u.id")
  List<Membership> memberships(@Bind("roomId") String roomId);

  @SqlQuery(
      "SELECT room_id, user_id, role, last_read_seq, joined_at, notify FROM memberships"
          + " WHERE room_id = :roomId AND user_id = :userId")
  Optional<Membership> findMembership(@Bind("roomId") String roomId, @Bind("userId") String userId);

  @SqlQuery(
      "SELECT "
          + Rows.USER_COLUMNS
          + " FROM memberships ms JOIN users u ON u.id = ms.user_id"
          + " WHERE ms.room_id = :roomId"
          + BY_USERNAME)
  List<User> members(@Bind("roomId") String roomId);

  @SqlQuery("SELECT room_id FROM memberships WHERE user_id = :userId ORDER BY room_id")
  List<String> roomIdsOf(@Bind("userId") String userId);

  /**
   * The rooms of a user with role, read marker and last seq, most recently active first: by the ts
   * of the message at last_seq, else the room's creation; then by id.
   */
  @SqlQuery(
      "SELECT "
          + Rows.ROOM_COLUMNS
          + ", ms.role, ms.last_read_seq, r.last_seq, ms.notify"
          + " FROM memberships ms JOIN rooms r ON r.id = ms.room_id"
          + " LEFT JOIN messages lm ON lm.room_id = r.id AND lm.seq = r.last_seq"
          + " WHERE ms.user_id = :userId"
          + " ORDER BY COALESCE(lm.ts, r.created_at) DESC, r.id")
  List<Rows.MemberRoom> roomsOf(@Bind("userId") String userId);

  @SqlQuery(
      "SELECT "
          + Rows.ROOM_COLUMNS
          + ", ms.role, ms.last_read_seq, r.last_seq, ms.notify"
          + " FROM memberships ms JOIN rooms r ON r.id = ms.room_id"
          + " WHERE ms.room_id = :roomId AND ms.user_id = :userId")
  Optional<Rows.MemberRoom> roomOf(@Bind("roomId") String roomId, @Bind("userId") String userId);

  /** Public groups without {@code userId}, by name ignoring case; role and marker are empty. */
  @SqlQuery(
      "SELECT "
          + Rows.ROOM_COLUMNS
          + ", NULL AS role, 0 AS last_read_seq, r.last_seq, NULL AS notify"
          + " FROM rooms r"
          + " WHERE r.kind = 'group' AND r.visibility = 'public'"
          + " AND NOT EXISTS (SELECT 1 FROM memberships ms"
          + " WHERE ms.room_id = r.id AND ms.user_id = :userId)"
          + " ORDER BY r.name COLLATE NOCASE, r.name COLLATE BINARY, r.id")
  List<Rows.MemberRoom> publicRoomsWithout(@Bind("userId") String userId);

  @SqlQuery(
      "SELECT DISTINCT other.user_id FROM memberships me"
          + " JOIN memberships other ON other.room_id = me.room_id"
          + " WHERE me.user_id = :userId AND other.user_id != :userId"
          + " ORDER BY other.user_id")
  List<String> contactsOf(@Bind("userId") String userId);

  @SqlQuery("SELECT last_seq FROM rooms WHERE id = :id")
  Optional<Long> lastSeq(@Bind("id") String id);

  /**
   * Others' live messages after the marker, from the seqs (gapless, never removed): the messages
   * after it, less mine ({@code messages_by_sender}) and others' deleted ones ({@code
   * messages_deleted}), so the cost follows those few rows, not the unread history (V8).
   */
  @SqlQuery(
      "SELECT max(0, r.last_seq - :after"
          + " - (SELECT count(*) FROM messages m INDEXED BY messages_by_sender"
          + " WHERE m.room_id = :roomId AND m.sender_id = :userId AND m.seq > :after)"
          + " - (SELECT count(*) FROM messages d INDEXED BY messages_deleted"
          + " WHERE d.room_id = :roomId AND d.deleted = 1 AND d.seq > :after"
          + " AND d.sender_id != :userId))"
          + " FROM rooms r WHERE r.id = :roomId")
  long unread(
      @Bind("roomId") String roomId, @Bind("userId") String userId, @Bind("after") long after);

  /**
   * Others' live messages after the marker that mention the user: a range scan of {@code
   * message_mentions_unread}.
   */
  @SqlQuery(
      "SELECT count(*) FROM message_mentions x JOIN messages m ON m.id = x.message_rowid"
          + " WHERE x.user_id = :userId AND x.room_id = :roomId AND x.seq > :after"
          + " AND m.sender_id != :userId AND m.deleted = 0")
  long unreadMentions(
      @Bind("roomId") String roomId, @Bind("userId") String userId, @Bind("after") long after);

  @SqlUpdate(
      "UPDATE memberships SET notify = :notify WHERE room_id = :roomId AND user_id = :userId")
  int setNotify(
      @Bind("roomId") String roomId, @Bind("userId") String userId, @Bind("notify") String notify);

  /**
   * Moves the marker forward to {@code seq}, clamped to the room's last seq, never backward;
   * returns the marker in force, nothing if not a member.
   */
  @SqlQuery(
      "UPDATE memberships SET last_read_seq = max(last_read_seq,"
          + " min(:seq, (SELECT last_seq FROM rooms WHERE id = :roomId)))"
          + " WHERE room_id = :roomId AND user_id = :userId"
          + " RETURNING last_read_seq")
  Optional<Long> markRead(
      @Bind("roomId") String roomId, @Bind("userId") String userId, @Bind("seq") long seq);
}
