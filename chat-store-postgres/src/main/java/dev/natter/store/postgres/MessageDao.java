package dev.natter.store.postgres;

import dev.natter.core.model.Message;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Messages as they are read, edited, deleted and reacted to (appends: {@link AppendDao}). */
interface MessageDao {
  String SELECT = "SELECT " + Rows.MESSAGE_COLUMNS + " FROM" + Rows.MESSAGES_JOIN;

  @SqlQuery(SELECT + "WHERE m.message_id = :messageId AND m.room_id = :roomId")
  Optional<Message> find(@Bind("roomId") String roomId, @Bind("messageId") String messageId);

  /** The original of a resend, in whatever room it was sent. */
  @SqlQuery(SELECT + "WHERE m.sender_id = :senderId AND m.client_msg_id = :clientMsgId")
  Optional<Message> findByClientMsgId(
      @Bind("senderId") String senderId, @Bind("clientMsgId") String clientMsgId);

  /** Newest first (the caller reverses the page): a backward range scan of (room_id, seq). */
  @SqlQuery(
      SELECT + "WHERE m.room_id = :roomId AND m.seq < :before ORDER BY m.seq DESC LIMIT :limit")
  List<Message> before(
      @Bind("roomId") String roomId, @Bind("before") long beforeSeq, @Bind("limit") int limit);

  @SqlQuery(SELECT + "WHERE m.room_id = :roomId AND m.seq > :after ORDER BY m.seq LIMIT :limit")
  List<Message> after(
      @Bind("roomId") String roomId, @Bind("after") long afterSeq, @Bind("limit") int limit);

  /**
   * Locks a message for a change (until the transaction ends), so an edit, a delete and reactions
   * to one message happen one after the other on every node.
   */
  @SqlQuery(
      "SELECT id, deleted FROM messages WHERE room_id = :roomId AND message_id = :messageId"
          + " FOR UPDATE")
  Optional<Rows.MessageState> lock(
      @Bind("roomId") String roomId, @Bind("messageId") String messageId);

  /**
   * Records the users a message mentions, in the order given (a user given twice is recorded once,
   * at the first place). A missing user breaks {@code message_mentions_user_id_fkey}.
   */
  @SqlUpdate(
      "INSERT INTO message_mentions (message_pk, user_id, room_id, seq, pos)"
          + " SELECT m.id, x.user_id, m.room_id, m.seq, x.pos"
          + " FROM messages m, unnest(CAST(:userIds AS text[])) WITH ORDINALITY AS x(user_id, pos)"
          + " WHERE m.id = :pk"
          + " ORDER BY x.pos"
          + " ON CONFLICT (message_pk, user_id) DO NOTHING")
  void addMentions(@Bind("pk") long pk, @Bind("userIds") String[] userIds);

  @SqlUpdate("DELETE FROM message_mentions WHERE message_pk = :pk")
  void deleteMentions(@Bind("pk") long pk);

  @SqlUpdate("UPDATE messages SET body = :body, edited_at = :editedAt WHERE id = :pk")
  void edit(@Bind("pk") long pk, @Bind("body") String body, @Bind("editedAt") long editedAt);

  /** Empty body (so nothing of it stays searchable), no reactions, no mentions, seq kept. */
  @SqlUpdate(
      "WITH gone AS (DELETE FROM reactions WHERE message_pk = :pk),"
          + " unmentioned AS (DELETE FROM message_mentions WHERE message_pk = :pk)"
          + " UPDATE messages SET body = '', deleted = true WHERE id = :pk")
  void markDeleted(@Bind("pk") long pk);

  /**
   * Adds a reaction (nothing if present). An emoji keeps the place where it first appeared on the
   * message while anyone still reacts with it; a new emoji goes last. The message is locked, so the
   * places cannot race. A missing user breaks {@code reactions_user_id_fkey}.
   */
  @SqlUpdate(
      "INSERT INTO reactions (message_pk, emoji, user_id, emoji_pos)"
          + " SELECT :pk, :emoji, :userId,"
          + " COALESCE(min(emoji_pos) FILTER (WHERE emoji = :emoji), max(emoji_pos) + 1, 1)"
          + " FROM reactions WHERE message_pk = :pk"
          + " ON CONFLICT (message_pk, emoji, user_id) DO NOTHING")
  void addReaction(@Bind("pk") long pk, @Bind("emoji") String emoji, @Bind("userId") String userId);

  @SqlUpdate(
      "DELETE FROM reactions WHERE message_pk = :pk AND emoji = :emoji AND user_id = :userId")
  void removeReaction(
      @Bind("pk") long pk, @Bind("emoji") String emoji, @Bind("userId") String userId);
}
