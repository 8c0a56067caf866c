package dev.natter.store.sqlite;

import dev.natter.core.model.AuthSession;
import dev.natter.core.model.Credentials;
import dev.natter.core.model.FileInfo;
import dev.natter.core.model.Membership;
import dev.natter.core.model.Message;
import dev.natter.core.model.Role;
import dev.natter.core.model.Room;
import dev.natter.core.model.RoomKind;
import dev.natter.core.model.StoredFile;
import dev.natter.core.model.User;
import dev.natter.core.model.Visibility;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * How rows become model records. Every query selects its columns under the aliases used here:
 * {@code u_*} for a user, {@code r_*} for a room, {@code m_*} for a message.
 */
final class Rows {
  private Rows() {}

  /** The columns of a user as a message's sender or a room's member. */
  static final String USER_COLUMNS =
      "u.id AS u_id, u.username AS u_username, u.display_name AS u_display_name";

  static final String ROOM_COLUMNS =
      "r.id AS r_id, r.kind AS r_kind, r.name AS r_name, r.visibility AS r_visibility,"
          + " r.dm_key AS r_dm_key, r.created_at AS r_created_at";

  /**
   * The columns of a message with its sender and its reactions; select them {@code FROM
   * MESSAGES_JOIN}. The reactions come in the same statement (so from the same snapshot) as one
   * string: {@code hex(emoji),hex(user)} pairs joined by {@code ;}, in display order (emoji by
   * first appearance, then users in the order they reacted). Hex keeps any text unambiguous. The
   * files come the same way: {@code hex(id),hex(name),hex(type),size,width,height} in their order.
   */
  static final String MESSAGE_COLUMNS =
      "m.id AS m_rowid, m.room_id AS m_room_id, m.seq AS m_seq, m.message_id AS m_message_id,"
          + " m.body AS m_body, m.ts AS m_ts, m.reply_to AS m_reply_to,"
          + " m.edited_at AS m_edited_at, m.deleted AS m_deleted,"
          + " (SELECT group_concat(hex(x.emoji) || ',' || hex(x.user_id), ';'"
          + " ORDER BY x.emoji_pos, x.rowid) FROM reactions x WHERE x.message_rowid = m.id)"
          + " AS m_reactions,"
          + " (SELECT group_concat(hex(f.id) || ',' || hex(f.name) || ',' || hex(f.type) || ','"
          + " || f.size || ',' || coalesce(f.width, '') || ',' || coalesce(f.height, ''), ';'"
          + " ORDER BY f.position) FROM files f WHERE f.message_id = m.message_id) AS m_files, "
          + USER_COLUMNS;

  static final String MESSAGES_JOIN = " messages m JOIN users u ON u.id = m.sender_id ";

  /** A message row before its reactions are attached. */
  record MessageRow(
      long rowid,
      String room,
      long seq,
      String messageId,
      User sender,
      String body,
      Instant ts,
      String replyTo,
      Instant editedAt,
      boolean deleted,
      Map<String, List<String>> reactions,
      List<FileInfo> files) {

    Message toMessage() {
      return new Message(
          room, seq, messageId, sender, body, ts, replyTo, editedAt, deleted, reactions, files,
          null);
    }
  }

  /** A search match: the message and its body with FTS5's match markers. */
  record SearchRow(MessageRow message, String marked) {}

  /** A room a user belongs to, with what the user's summary needs. */
  record MemberRoom(Room room, Role role, long lastReadSeq, long lastSeq) {}

  static void register(Jdbi jdbi) {
    jdbi.registerRowMapper(User.class, (rs, ctx) -> user(rs));
    jdbi.registerRowMapper(
        Credentials.class, (rs, ctx) -> new Credentials(user(rs), rs.getString("password_hash")));
    jdbi.registerRowMapper(
        AuthSession.class,
        (rs, ctx) ->
            new AuthSession(
                rs.getString("id"),
                rs.getString("user_id"),
                Times.fromNanos(rs.getLong("created_at")),
                Times.fromNanos(rs.getLong("expires_at"))));
    jdbi.registerRowMapper(Room.class, (rs, ctx) -> room(rs));
    jdbi.registerRowMapper(
        Membership.class,
        (rs, ctx) ->
            new Membership(
                rs.getString("room_id"),
                rs.getString("user_id"),
                role(rs.getString("role")),
                rs.getLong("last_read_seq"),
                Times.fromNanos(rs.getLong("joined_at"))));
    jdbi.registerRowMapper(
        MemberRoom.class,
        (rs, ctx) ->
            new MemberRoom(
                room(rs),
                role(rs.getString("role")),
                rs.getLong("last_read_seq"),
                rs.getLong("last_seq")));
    jdbi.registerRowMapper(MessageRow.class, (rs, ctx) -> message(rs));
    jdbi.registerRowMapper(StoredFile.class, (rs, ctx) -> file(rs));
    jdbi.registerRowMapper(
        SearchRow.class, (rs, ctx) -> new SearchRow(message(rs), rs.getString("marked")));
    jdbi.registerRowMapper(
        SearchIndex.Position.class,
        (rs, ctx) -> new SearchIndex.Position(rs.getLong(1), rs.getLong(2)));
  }

  static User user(ResultSet rs) throws SQLException {
    return new User(
        rs.getString("u_id"), rs.getString("u_username"), rs.getString("u_display_name"));
  }

  static MessageRow message(ResultSet rs) throws SQLException {
    return new MessageRow(
        rs.getLong("m_rowid"),
        rs.getString("m_room_id"),
        rs.getLong("m_seq"),
        rs.getString("m_message_id"),
        user(rs),
        rs.getString("m_body"),
        Times.fromNanos(rs.getLong("m_ts")),
        rs.getString("m_reply_to"),
        nullableInstant(rs, "m_edited_at"),
        rs.getInt("m_deleted") != 0,
        reactions(rs.getString("m_reactions")),
        files(rs.getString("m_files")));
  }

  /** Decodes the {@code m_files} column. */
  static List<FileInfo> files(String encoded) {
    if (encoded == null || encoded.isEmpty()) {
      return List.of();
    }
    List<FileInfo> out = new ArrayList<>();
    for (String file : encoded.split(";")) {
      String[] p = file.split(",", -1);
      out.add(
          new FileInfo(
              unhex(p[0]),
              unhex(p[1]),
              unhex(p[2]),
              Long.parseLong(p[3]),
              p[4].isEmpty() ? null : Integer.valueOf(p[4]),
              p[5].isEmpty() ? null : Integer.valueOf(p[5])));
    }
    return out;
  }

  static StoredFile file(ResultSet rs) throws SQLException {
    return new StoredFile(
        rs.getString("id"),
        rs.getString("room_id"),
        rs.getString("uploader_id"),
        rs.getString("name"),
        rs.getString("type"),
        rs.getLong("size"),
        rs.getString("sha256"),
        nullableInt(rs, "width"),
        nullableInt(rs, "height"),
        rs.getString("thumbnail_sha256"),
        Times.fromNanos(rs.getLong("created_at")),
        rs.getString("message_id"));
  }

  private static Integer nullableInt(ResultSet rs, String column) throws SQLException {
    int value = rs.getInt(column);
    return rs.wasNull() ? null : value;
  }

  /** Decodes the {@code m_reactions} column: emoji to users, both in display order. */
  static Map<String, List<String>> reactions(String encoded) {
    if (encoded == null || encoded.isEmpty()) {
      return Map.of();
    }
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String pair : encoded.split(";")) {
      int comma = pair.indexOf(',');
      out.computeIfAbsent(unhex(pair.substring(0, comma)), e -> new ArrayList<>())
          .add(unhex(pair.substring(comma + 1)));
    }
    return out;
  }

  private static String unhex(String hex) {
    byte[] bytes = new byte[hex.length() / 2];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) Integer.parseInt(hex, 2 * i, 2 * i + 2, 16);
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  static Room room(ResultSet rs) throws SQLException {
    return new Room(
        rs.getString("r_id"),
        kind(rs.getString("r_kind")),
        rs.getString("r_name"),
        Visibility.fromWire(rs.getString("r_visibility")),
        rs.getString("r_dm_key"),
        Times.fromNanos(rs.getLong("r_created_at")));
  }

  private static Instant nullableInstant(ResultSet rs, String column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : Times.fromNanos(value);
  }

  static RoomKind kind(String wire) {
    for (RoomKind k : RoomKind.values()) {
      if (k.wireName().equals(wire)) {
        return k;
      }
    }
    throw new IllegalStateException("unknown room kind in the database: " + wire);
  }

  static Role role(String wire) {
    if (wire == null) {
      return null;
    }
    for (Role r : Role.values()) {
      if (r.wireName().equals(wire)) {
        return r;
      }
    }
    throw new IllegalStateException("unknown role in the database: " + wire);
  }
}
