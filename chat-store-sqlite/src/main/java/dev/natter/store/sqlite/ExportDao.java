package dev.natter.store.sqlite;

import dev.natter.core.model.Room;
import dev.natter.core.spi.StoreTransfer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * What export and import need (see {@link StoreTransfer}): every user, every room and every message
 * with its {@code client_msg_id}, paged by key; and messages stored with the seq, state and
 * reactions they had. Ids compare as the columns' BINARY collation does (UTF-8 bytes, so by code
 * point), which is the order the SPI promises.
 */
@RegisterRowMapper(ExportDao.UserMapper.class)
@RegisterRowMapper(ExportDao.MessageMapper.class)
interface ExportDao {
  String SELECT_USER =
      "SELECT " + Rows.USER_COLUMNS + ", u.password_hash, u.created_at, u.last_seen FROM users u ";

  @SqlQuery(SELECT_USER + "ORDER BY u.id LIMIT :limit")
  List<StoreTransfer.ExportedUser> firstUsers(@Bind("limit") int limit);

  @SqlQuery(SELECT_USER + "WHERE u.id > :after ORDER BY u.id LIMIT :limit")
  List<StoreTransfer.ExportedUser> usersAfter(
      @Bind("after") String afterId, @Bind("limit") int limit);

  @SqlQuery("SELECT " + Rows.ROOM_COLUMNS + " FROM rooms r ORDER BY r.id LIMIT :limit")
  List<Room> firstRooms(@Bind("limit") int limit);

  @SqlQuery(
      "SELECT "
          + Rows.ROOM_COLUMNS
          + " FROM rooms r WHERE r.id > :after ORDER BY r.id LIMIT :limit")
  List<Room> roomsAfter(@Bind("after") String afterId, @Bind("limit") int limit);

  /** A range scan of UNIQUE(room_id, seq), like {@link MessageDao#after}. */
  @SqlQuery(
      "SELECT "
          + Rows.MESSAGE_COLUMNS
          + ", m.client_msg_id AS m_client_msg_id FROM"
          + Rows.MESSAGES_JOIN
          + "WHERE m.room_id = :roomId AND m.seq > :after ORDER BY m.seq LIMIT :limit")
  List<StoreTransfer.ExportedMessage> messagesAfter(
      @Bind("roomId") String roomId, @Bind("after") long afterSeq, @Bind("limit") int limit);

  /**
   * Stores a message as it was and returns its rowid. The caller checks that {@code seq} is the
   * room's next; the trigger of migration V3 refuses any other and advances {@code rooms.last_seq}.
   * A taken message id or {@code (sender, clientMsgId)} breaks a unique constraint.
   */
  @SqlQuery(
      "INSERT INTO messages (room_id, seq, message_id, sender_id, client_msg_id, body, reply_to,"
          + " ts, edited_at, deleted)"
          + " VALUES (:roomId, :seq, :messageId, :senderId, :clientMsgId, :body, :replyTo, :ts,"
          + " :editedAt, :deleted)"
          + " RETURNING id")
  long insertMessage(
      @Bind("roomId") String roomId,
      @Bind("seq") long seq,
      @Bind("messageId") String messageId,
      @Bind("senderId") String senderId,
      @Bind("clientMsgId") String clientMsgId,
      @Bind("body") String body,
      @Bind("replyTo") String replyTo,
      @Bind("ts") long ts,
      @Bind("editedAt") Long editedAt,
      @Bind("deleted") boolean deleted);

  /**
   * One reaction of a stored message: emojis show in {@code emojiPos} order, an emoji's users in
   * the order they were inserted. A user listed twice for one emoji is stored once.
   */
  @SqlUpdate(
      "INSERT INTO reactions (message_rowid, emoji, user_id, emoji_pos)"
          + " VALUES (:rowid, :emoji, :userId, :emojiPos)"
          + " ON CONFLICT (message_rowid, emoji, user_id) DO NOTHING")
  void insertReaction(
      @Bind("rowid") long rowid,
      @Bind("emoji") String emoji,
      @Bind("userId") String userId,
      @Bind("emojiPos") int emojiPos);

  /** A user row with what only an export reads. */
  final class UserMapper implements RowMapper<StoreTransfer.ExportedUser> {
    @Override
    public StoreTransfer.ExportedUser map(ResultSet rs, StatementContext ctx) throws SQLException {
      long lastSeen = rs.getLong("last_seen");
      boolean neverSeen = rs.wasNull();
      return new StoreTransfer.ExportedUser(
          Rows.user(rs),
          rs.getString("password_hash"),
          Times.fromNanos(rs.getLong("created_at")),
          neverSeen ? null : Times.fromNanos(lastSeen));
    }
  }

  /** A message row with its client id. */
  final class MessageMapper implements RowMapper<StoreTransfer.ExportedMessage> {
    @Override
    public StoreTransfer.ExportedMessage map(ResultSet rs, StatementContext ctx)
        throws SQLException {
      return new StoreTransfer.ExportedMessage(
          Rows.message(rs).toMessage(), rs.getString("m_client_msg_id"));
    }
  }
}
