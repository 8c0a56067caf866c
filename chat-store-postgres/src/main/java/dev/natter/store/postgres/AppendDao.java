package dev.natter.store.postgres;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** The two statements of an append transaction (see {@link AppendWriter}). */
interface AppendDao {
  /**
   * Takes {@code count} seqs of a room: advances its counter and returns the last one taken, or
   * nothing if there is no such room. The row stays locked until the transaction ends, which orders
   * the appends to one room across every node; a rollback gives the seqs back.
   */
  @SqlQuery("UPDATE rooms SET last_seq = last_seq + :count WHERE id = :roomId RETURNING last_seq")
  Optional<Long> takeSeqs(@Bind("roomId") String roomId, @Bind("count") int count);

  /**
   * Inserts messages with the seqs taken, in one round trip (the driver rewrites the batch into
   * multi-row INSERTs). A resend breaks {@code messages_sender_client_msg_key}, a taken message id
   * {@code messages_message_id_key}, a missing sender {@code messages_sender_id_fkey}: plain
   * INSERTs, never {@code ON CONFLICT DO NOTHING}, which would leave the seq taken and unused.
   */
  @SqlBatch(
      "INSERT INTO messages"
          + " (room_id, seq, message_id, sender_id, client_msg_id, body, reply_to, ts)"
          + " VALUES (:room, :seq, :messageId, :senderId, :clientMsgId, :body, :replyTo, :ts)")
  void insert(@BindMethods List<Row> rows);

  /** A message to insert at its seq. */
  record Row(
      String room,
      long seq,
      String messageId,
      String senderId,
      String clientMsgId,
      String body,
      String replyTo,
      long ts) {}
}
