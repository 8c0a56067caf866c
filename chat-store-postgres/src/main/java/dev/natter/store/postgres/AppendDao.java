package dev.natter.store.postgres;

import java.util.List;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** The one statement of an append transaction (see {@link AppendWriter}). */
interface AppendDao {
  /**
   * Stores a room's messages at its next seqs, in one statement and so one transaction (the writer
   * runs it with autocommit: one round trip for the batch, commit included).
   *
   * <p>{@code UPDATE rooms SET last_seq = last_seq + n ... RETURNING last_seq} takes the room's
   * next n seqs, and the INSERT stores the n messages (given as arrays, one element each) at those
   * seqs in array order. The room's row stays locked until the commit, which orders the appends to
   * one room across every node. A resend breaks {@code messages_sender_client_msg_key}, a taken
   * message id {@code messages_message_id_key}, a missing sender {@code messages_sender_id_fkey}:
   * the statement then fails whole and the seqs go back with it. Plain INSERT, never {@code ON
   * CONFLICT DO NOTHING}, which would keep a seq taken for a row never stored (a gap).
   *
   * <p>The messages' mentions come as three more arrays of one element per (message, mentioned
   * user): the message's id, the user's id and the mention's place in that message. The same
   * statement stores them with the messages; a missing user breaks {@code
   * message_mentions_user_id_fkey} and so fails the statement whole too.
   *
   * @return the seqs stored (the room's new last seq is the highest); empty if there is no such
   *     room
   */
  @SqlQuery(
      "WITH taken AS ("
          + "UPDATE rooms SET last_seq = last_seq + cardinality(CAST(:messageIds AS text[]))"
          + " WHERE id = :roomId RETURNING last_seq),"
          + " stored AS (INSERT INTO messages"
          + " (room_id, seq, message_id, sender_id, client_msg_id, body, reply_to, ts)"
          + " SELECT :roomId, taken.last_seq - cardinality(CAST(:messageIds AS text[])) + a.ord,"
          + " a.message_id, a.sender_id, a.client_msg_id, a.body, a.reply_to, a.ts"
          + " FROM taken, unnest(CAST(:messageIds AS text[]), CAST(:senderIds AS text[]),"
          + " CAST(:clientMsgIds AS text[]), CAST(:bodies AS text[]), CAST(:replyTos AS text[]),"
          + " CAST(:ts AS bigint[]))"
          + " WITH ORDINALITY AS a(message_id, sender_id, client_msg_id, body, reply_to, ts, ord)"
          + " ORDER BY a.ord"
          + " RETURNING id, seq, message_id),"
          + " mentioned AS (INSERT INTO message_mentions (message_pk, user_id, room_id, seq, pos)"
          + " SELECT s.id, x.user_id, :roomId, s.seq, x.pos"
          + " FROM stored s JOIN unnest(CAST(:mentionMessageIds AS text[]),"
          + " CAST(:mentionUserIds AS text[]), CAST(:mentionPositions AS int[]))"
          + " AS x(message_id, user_id, pos) ON x.message_id = s.message_id"
          + " ON CONFLICT (message_pk, user_id) DO NOTHING)"
          + " SELECT seq FROM stored")
  List<Long> store(
      @Bind("roomId") String roomId,
      @Bind("messageIds") String[] messageIds,
      @Bind("senderIds") String[] senderIds,
      @Bind("clientMsgIds") String[] clientMsgIds,
      @Bind("bodies") String[] bodies,
      @Bind("replyTos") String[] replyTos,
      @Bind("ts") Long[] ts,
      @Bind("mentionMessageIds") String[] mentionMessageIds,
      @Bind("mentionUserIds") String[] mentionUserIds,
      @Bind("mentionPositions") Integer[] mentionPositions);
}
