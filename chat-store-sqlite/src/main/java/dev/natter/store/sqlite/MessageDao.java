package dev.natter.store.sqlite;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Messages, reactions and search. */
interface MessageDao {
  String SELECT_MESSAGE = "SELECT " + Rows.MESSAGE_COLUMNS + " FROM " + Rows.MESSAGES_JOIN;

  @SqlQuery(SELECT_MESSAGE + "WHERE m.sender_id = :senderId AND m.client_msg_id = :clientMsgId")
  Optional<Rows.MessageRow> findByClientMsgId(
      @Bind("senderId") String senderId, @Bind("clientMsgId") String clientMsgId);

  @SqlQuery(SELECT_MESSAGE + "WHERE m.message_id = :messageId AND m.room_id = :roomId")
  Optional<Rows.MessageRow> find(
      @Bind("roomId") String roomId, @Bind("messageId") String messageId);

  /** Whether any room holds a message with this id (UNIQUE(message_id) is across rooms). */
  @SqlQuery("SELECT EXISTS (SELECT 1 FROM messages WHERE message_id = :messageId)")
  boolean messageIdExists(@Bind("messageId") String messageId);

  @SqlQuery(SELECT_MESSAGE + "WHERE m.room_id = :roomId AND m.seq = :seq")
  Optional<Rows.MessageRow> atSeq(@Bind("roomId") String roomId, @Bind("seq") long seq);

  /** Newest first: the caller reverses the page. A range scan of UNIQUE(room_id, seq). */
  @SqlQuery(
      SELECT_MESSAGE
          + "WHERE m.room_id = :roomId AND m.seq < :before ORDER BY m.seq DESC LIMIT :limit")
  List<Rows.MessageRow> before(
      @Bind("roomId") String roomId, @Bind("before") long beforeSeq, @Bind("limit") int limit);

  @SqlQuery(
      SELECT_MESSAGE + "WHERE m.room_id = :roomId AND m.seq > :after ORDER BY m.seq LIMIT :limit")
  List<Rows.MessageRow> after(
      @Bind("roomId") String roomId, @Bind("after") long afterSeq, @Bind("limit") int limit);

  @SqlUpdate("UPDATE messages SET body = :body, edited_at = :editedAt WHERE id = :rowid")
  void edit(@Bind("rowid") long rowid, @Bind("body") String body, @Bind("editedAt") long editedAt);

  @SqlUpdate("UPDATE messages SET body = '', deleted = 1 WHERE id = :rowid")
  void markDeleted(@Bind("rowid") long rowid);

  /**
   * What a search must find indexed: the highest message id and the highest {@code search_changes}
   * id given so far.
   */
  @SqlQuery(
      "SELECT (SELECT coalesce(max(id), 0) FROM messages),"
          + " (SELECT coalesce(max(seq), 0) FROM sqlite_sequence WHERE name = 'search_changes')")
  SearchIndex.Position searchTarget();

  /**
   * Forgets edits and deletes the search index has applied up to {@code upTo}, keeping that last
   * row: an index that opens below it has missed changes and is rebuilt (see {@link SearchIndex}).
   */
  @SqlUpdate("DELETE FROM search_changes WHERE id < :upTo")
  void pruneSearchChanges(@Bind("upTo") long upTo);

  /**
   * Records that a message mentions a user, at place {@code pos} (nothing if it is recorded). A
   * missing user breaks a foreign key.
   */
  @SqlUpdate(
      "INSERT INTO message_mentions (message_rowid, user_id, room_id, seq, pos)"
          + " SELECT m.id, :userId, m.room_id, m.seq, :pos FROM messages m WHERE m.id = :rowid"
          + " ON CONFLICT (message_rowid, user_id) DO NOTHING")
  void addMention(@Bind("rowid") long rowid, @Bind("userId") String userId, @Bind("pos") int pos);

  @SqlUpdate("DELETE FROM message_mentions WHERE message_rowid = :rowid")
  void deleteMentions(@Bind("rowid") long rowid);

  /** The rowid of a message (UNIQUE(message_id)). */
  @SqlQuery("SELECT id FROM messages WHERE message_id = :messageId")
  long rowidOf(@Bind("messageId") String messageId);

  @SqlUpdate("DELETE FROM reactions WHERE message_rowid = :rowid")
  void deleteReactions(@Bind("rowid") long rowid);

  /**
   * Adds a reaction (nothing if present). An emoji keeps the place where it first appeared on the
   * message while anyone still reacts with it; a new emoji goes last.
   */
  @SqlUpdate(
      "INSERT INTO reactions (message_rowid, emoji, user_id, emoji_pos)"
          + " VALUES (:rowid, :emoji, :userId, coalesce("
          + "(SELECT emoji_pos FROM reactions WHERE message_rowid = :rowid AND emoji = :emoji"
          + " LIMIT 1),"
          + " (SELECT coalesce(max(emoji_pos), 0) + 1 FROM reactions"
          + " WHERE message_rowid = :rowid)))"
          + " ON CONFLICT (message_rowid, emoji, user_id) DO NOTHING")
  void addReaction(
      @Bind("rowid") long rowid, @Bind("emoji") String emoji, @Bind("userId") String userId);

  @SqlUpdate(
      "DELETE FROM reactions WHERE message_rowid = :rowid AND emoji = :emoji AND user_id = :userId")
  void removeReaction(
      @Bind("rowid") long rowid, @Bind("emoji") String emoji, @Bind("userId") String userId);

  /**
   * Live messages in the given rooms that match an FTS5 query in the search index (attached as
   * {@code search}, see {@link SearchIndex}), newest first, each with its body as {@code
   * highlight()} marks it (char(2) before and char(3) after every matched token).
   */
  @SqlQuery(
      "SELECT "
          + Rows.MESSAGE_COLUMNS
          + ", highlight(f.messages_fts, 0, char(2), char(3)) AS marked"
          + " FROM search.messages_fts f"
          + " JOIN messages m ON m.id = f.rowid"
          + " JOIN users u ON u.id = m.sender_id"
          + " WHERE f.messages_fts MATCH :query AND m.room_id IN (<roomIds>) AND m.deleted = 0"
          + " ORDER BY m.ts DESC, m.seq DESC, m.room_id"
          + " LIMIT :limit")
  List<Rows.SearchRow> search(
      @Bind("query") String ftsQuery,
      @BindList("roomIds") Collection<String> roomIds,
      @Bind("limit") int limit);
}
