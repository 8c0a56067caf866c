package dev.natter.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.OptionalLong;

/**
 * The append's INSERT, prepared once on the writer's connection and run with plain JDBC: the one
 * statement the writer runs for every message, where Jdbi's per-call work (binding by name,
 * statement context, result mapping) was a measurable share of the writer's time. Every other
 * statement goes through the Jdbi DAOs.
 */
final class AppendStatement {
  /**
   * Stores a message at its room's next seq and returns that seq; returns nothing if the room does
   * not exist or {@code (sender, clientMsgId)} is already stored. The trigger of migration V3
   * advances {@code rooms.last_seq} inside this same statement (and refuses any other seq).
   */
  static final String SQL =
      "INSERT INTO messages (room_id, seq, message_id, sender_id, client_msg_id, body, reply_to, ts)"
          + " SELECT r.id, r.last_seq + 1, ?, ?, ?, ?, ?, ? FROM rooms r WHERE r.id = ?"
          + " ON CONFLICT (sender_id, client_msg_id) DO NOTHING"
          + " RETURNING seq";

  private final PreparedStatement insert;

  AppendStatement(Connection writer) throws SQLException {
    this.insert = writer.prepareStatement(SQL);
  }

  OptionalLong insert(
      String roomId,
      String messageId,
      String senderId,
      String clientMsgId,
      String body,
      String replyTo,
      long ts)
      throws SQLException {
    insert.setString(1, messageId);
    insert.setString(2, senderId);
    setNullable(3, clientMsgId);
    insert.setString(4, body);
    setNullable(5, replyTo);
    insert.setLong(6, ts);
    insert.setString(7, roomId);
    try (ResultSet rs = insert.executeQuery()) {
      return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
    } finally {
      insert.clearParameters();
    }
  }

  private void setNullable(int index, String value) throws SQLException {
    if (value == null) {
      insert.setNull(index, Types.VARCHAR);
    } else {
      insert.setString(index, value);
    }
  }
}
