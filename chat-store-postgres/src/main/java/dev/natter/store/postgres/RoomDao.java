package dev.natter.store.postgres;

import dev.natter.core.model.Room;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Rooms, and each room as a user sees it (one query for all of a user's rooms). */
interface RoomDao {
  /** A taken id breaks {@code rooms_pkey}, a taken DM key {@code rooms_dm_key_key}. */
  String INSERT =
      "INSERT INTO rooms (id, kind, name, visibility, dm_key, created_at)"
          + " VALUES (:id, :kind, :name, :visibility, :dmKey, :createdAt)";

  /**
   * The rooms of a member with what a summary needs but the members: role, read marker, last seq,
   * the message at the last seq (with its sender), the unread count (others' live messages after
   * the marker: from the seqs, less mine and others' deleted ones, counted through the small
   * indexes of V4), how many of those mention the member (a range scan of {@code
   * message_mentions_unread}) and the member's notification level.
   */
  String MEMBER_SUMMARIES =
      "SELECT "
          + Rows.ROOM_COLUMNS
          + ", ms.role, ms.last_read_seq, r.last_seq, ms.notify, "
          + Rows.MESSAGE_COLUMNS
          + ", GREATEST(0, r.last_seq - ms.last_read_seq"
          + " - (SELECT count(*) FROM messages o WHERE o.room_id = r.id"
          + " AND o.sender_id = ms.user_id AND o.seq > ms.last_read_seq)"
          + " - (SELECT count(*) FROM messages d WHERE d.room_id = r.id AND d.deleted"
          + " AND d.seq > ms.last_read_seq AND d.sender_id <> ms.user_id))"
          + " AS unread"
          + ", (SELECT count(*) FROM message_mentions x JOIN messages o ON o.id = x.message_pk"
          + " WHERE x.user_id = ms.user_id AND x.room_id = r.id AND x.seq > ms.last_read_seq"
          + " AND o.sender_id <> ms.user_id AND NOT o.deleted)"
          + " AS unread_mentions"
          + " FROM memberships ms JOIN rooms r ON r.id = ms.room_id"
          + " LEFT JOIN messages m ON m.room_id = r.id AND m.seq = r.last_seq"
          + " LEFT JOIN users u ON u.id = m.sender_id"
          + " WHERE ms.user_id = :userId";

  @SqlUpdate(INSERT)
  void insert(
      @Bind("id") String id,
      @Bind("kind") String kind,
      @Bind("name") String name,
      @Bind("visibility") String visibility,
      @Bind("dmKey") String dmKey,
      @Bind("createdAt") long createdAt);

  /**
   * Inserts a direct message unless its pair has one: 0 then. A concurrent insert of the same pair
   * is waited for (and, once committed, makes this one insert nothing).
   */
  @SqlUpdate(INSERT + " ON CONFLICT (dm_key) DO NOTHING")
  int insertUnlessPairHasOne(
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

  @SqlQuery("SELECT EXISTS (SELECT 1 FROM rooms WHERE id = :id)")
  boolean exists(@Bind("id") String id);

  @SqlQuery("SELECT last_seq FROM rooms WHERE id = :id")
  Optional<Long> lastSeq(@Bind("id") String id);

  /** Most recently active first: by the last message's ts, else the room's creation; then id. */
  @SqlQuery(MEMBER_SUMMARIES + " ORDER BY COALESCE(m.ts, r.created_at) DESC, r.id")
  List<Rows.SummaryRow> summariesOf(@Bind("userId") String userId);

  @SqlQuery(MEMBER_SUMMARIES + " AND ms.room_id = :roomId")
  Optional<Rows.SummaryRow> summaryOf(@Bind("roomId") String roomId, @Bind("userId") String userId);

  /** Public groups without the user, by name ignoring case; no role, marker 0, nothing unread. */
  @SqlQuery(
      "SELECT "
          + Rows.ROOM_COLUMNS
          + ", NULL AS role, 0 AS last_read_seq, r.last_seq, NULL AS notify, "
          + Rows.MESSAGE_COLUMNS
          + ", 0 AS unread, 0 AS unread_mentions"
          + " FROM rooms r"
          + " LEFT JOIN messages m ON m.room_id = r.id AND m.seq = r.last_seq"
          + " LEFT JOIN users u ON u.id = m.sender_id"
          + " WHERE r.kind = 'group' AND r.visibility = 'public'"
          + " AND NOT EXISTS (SELECT 1 FROM memberships ms"
          + " WHERE ms.room_id = r.id AND ms.user_id = :userId)"
          + " ORDER BY lower(r.name), r.name COLLATE \"C\", r.id")
  List<Rows.SummaryRow> publicSummariesWithout(@Bind("userId") String userId);

  /** The members of several rooms, each room's in username order. */
  @SqlQuery(
      "SELECT ms.room_id, "
          + Rows.USER_COLUMNS
          + " FROM memberships ms JOIN users u ON u.id = ms.user_id"
          + " WHERE ms.room_id = ANY(:roomIds)"
          + UserDao.BY_USERNAME)
  List<Rows.RoomMember> membersOf(@Bind("roomIds") String[] roomIds);
}
