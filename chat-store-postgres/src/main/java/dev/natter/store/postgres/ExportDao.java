package dev.natter.store.postgres;

import dev.natter.core.model.Room;
import dev.natter.core.spi.StoreTransfer;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * What export and import need (see {@link StoreTransfer}): every user, room and message (with its
 * {@code client_msg_id}) paged by key, and messages stored as they were. Ids are {@code COLLATE
 * "C"}, so they compare by code point, the order the SPI promises; the first page starts after the
 * empty id (ids are never empty).
 */
interface ExportDao {
  @SqlQuery(
      "SELECT "
          + Rows.USER_COLUMNS
          + ", u.password_hash, u.created_at, u.last_seen FROM users u"
          + " WHERE u.id > :after ORDER BY u.id LIMIT :limit")
  List<StoreTransfer.ExportedUser> users(@Bind("after") String afterId, @Bind("limit") int limit);

  @SqlQuery(
      "SELECT "
          + Rows.ROOM_COLUMNS
          + " FROM rooms r WHERE r.id > :after ORDER BY r.id LIMIT :limit")
  List<Room> rooms(@Bind("after") String afterId, @Bind("limit") int limit);

  @SqlQuery(
      "SELECT "
          + Rows.MESSAGE_COLUMNS
          + ", m.client_msg_id AS m_client_msg_id FROM"
          + Rows.MESSAGES_JOIN
          + "WHERE m.room_id = :roomId AND m.seq > :after ORDER BY m.seq LIMIT :limit")
  List<StoreTransfer.ExportedMessage> messages(
      @Bind("roomId") String roomId, @Bind("after") long afterSeq, @Bind("limit") int limit);

  /** A room's last seq, its row locked until the import commits; nothing if there is no room. */
  @SqlQuery("SELECT last_seq FROM rooms WHERE id = :id FOR UPDATE")
  Optional<Long> lockLastSeq(@Bind("id") String roomId);

  @SqlUpdate("UPDATE rooms SET last_seq = :seq WHERE id = :id")
  void setLastSeq(@Bind("id") String roomId, @Bind("seq") long seq);

  /**
   * Stores a message as it was and returns its key. A taken message id breaks {@code
   * messages_message_id_key}, a taken {@code (sender, clientMsgId)} {@code
   * messages_sender_client_msg_key} (checked in that order), a missing sender {@code
   * messages_sender_id_fkey} (checked after both).
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
   * The reactions of an imported message, given as three arrays of one element per (emoji, user),
   * in display order: emojis show in {@code emojiPos} order, an emoji's users in array order. A
   * user listed twice for one emoji is stored once; a missing user breaks {@code
   * reactions_user_id_fkey}.
   */
  @SqlUpdate(
      "INSERT INTO reactions (message_pk, emoji, user_id, emoji_pos)"
          + " SELECT :pk, r.emoji, r.user_id, r.emoji_pos"
          + " FROM unnest(CAST(:emojis AS text[]), CAST(:userIds AS text[]),"
          + " CAST(:emojiPositions AS int[])) WITH ORDINALITY AS r(emoji, user_id, emoji_pos, ord)"
          + " ORDER BY r.ord"
          + " ON CONFLICT (message_pk, emoji, user_id) DO NOTHING")
  void insertReactions(
      @Bind("pk") long pk,
      @Bind("emojis") String[] emojis,
      @Bind("userIds") String[] userIds,
      @Bind("emojiPositions") Integer[] emojiPositions);
}
