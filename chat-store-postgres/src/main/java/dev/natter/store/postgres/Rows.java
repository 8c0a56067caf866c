package dev.natter.store.postgres;

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
import dev.natter.core.spi.StoreTransfer;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * How rows become model records. Every query selects its columns under the aliases used here:
 * {@code u_*} for a user, {@code r_*} for a room, {@code m_*} for a message.
 */
final class Rows {
  private Rows() {}

  static final String USER_COLUMNS =
      "u.id AS u_id, u.username AS u_username, u.display_name AS u_display_name";

  static final String ROOM_COLUMNS =
      "r.id AS r_id, r.kind AS r_kind, r.name AS r_name, r.visibility AS r_visibility,"
          + " r.dm_key AS r_dm_key, r.created_at AS r_created_at";

  /** The order of reactions: emojis by first appearance, then users in the order they reacted. */
  private static final String REACTIONS_OF_M =
      " FROM reactions x WHERE x.message_pk = m.id ORDER BY x.emoji_pos, x.id)";

  /**
   * The columns of a message with its sender ({@code u}) and its reactions, which come in the same
   * statement (so from the same snapshot) as two arrays in display order.
   */
  static final String MESSAGE_COLUMNS =
      "m.room_id AS m_room_id, m.seq AS m_seq, m.message_id AS m_message_id, m.body AS m_body,"
          + " m.ts AS m_ts, m.reply_to AS m_reply_to, m.edited_at AS m_edited_at,"
          + " m.deleted AS m_deleted,"
          + " ARRAY(SELECT x.emoji"
          + REACTIONS_OF_M
          + " AS m_emojis,"
          + " ARRAY(SELECT x.user_id"
          + REACTIONS_OF_M
          + " AS m_reactors,"
          + " (SELECT string_agg(encode(convert_to(f.id, 'UTF8'), 'hex') || ','"
          + " || encode(convert_to(f.name, 'UTF8'), 'hex') || ','"
          + " || encode(convert_to(f.type, 'UTF8'), 'hex') || ',' || f.size || ','"
          + " || coalesce(f.width::text, '') || ',' || coalesce(f.height::text, ''), ';'"
          + " ORDER BY f.position) FROM files f WHERE f.message_id = m.message_id) AS m_files, "
          + USER_COLUMNS;

  /** Select {@link #MESSAGE_COLUMNS} from this. */
  static final String MESSAGES_JOIN = " messages m JOIN users u ON u.id = m.sender_id ";

  /**
   * A room as one user sees it, before its members are attached.
   *
   * @param role the user's role, null if not a member
   * @param last the message at {@code lastSeq}, null if the room has none
   */
  record SummaryRow(
      Room room, Role role, long lastReadSeq, long lastSeq, Message last, long unread) {}

  /** A member of one of several rooms. */
  record RoomMember(String roomId, User user) {}

  /** A search hit: the message and its snippet as {@code ts_headline} marked it. */
  record SearchRow(Message message, String marked) {}

  /** A message's key in the table and whether it is deleted, for edits and reactions. */
  record MessageState(long pk, boolean deleted) {}

  static void register(Jdbi jdbi) {
    jdbi.registerRowMapper(User.class, (rs, ctx) -> user(rs));
    jdbi.registerRowMapper(StoredFile.class, (rs, ctx) -> file(rs));
    jdbi.registerRowMapper(
        Credentials.class, (rs, ctx) -> new Credentials(user(rs), rs.getString("password_hash")));
    jdbi.registerRowMapper(
        AuthSession.class,
        (rs, ctx) ->
            new AuthSession(
                rs.getString("id"),
                rs.getString("user_id"),
                Nanos.instant(rs.getLong("created_at")),
                Nanos.instant(rs.getLong("expires_at"))));
    jdbi.registerRowMapper(Room.class, (rs, ctx) -> room(rs));
    jdbi.registerRowMapper(
        Membership.class,
        (rs, ctx) ->
            new Membership(
                rs.getString("room_id"),
                rs.getString("user_id"),
                role(rs.getString("role")),
                rs.getLong("last_read_seq"),
                Nanos.instant(rs.getLong("joined_at"))));
    jdbi.registerRowMapper(Message.class, (rs, ctx) -> message(rs));
    jdbi.registerRowMapper(
        SummaryRow.class,
        (rs, ctx) ->
            new SummaryRow(
                room(rs),
                role(rs.getString("role")),
                rs.getLong("last_read_seq"),
                rs.getLong("last_seq"),
                rs.getString("m_message_id") == null ? null : message(rs),
                rs.getLong("unread")));
    jdbi.registerRowMapper(
        RoomMember.class, (rs, ctx) -> new RoomMember(rs.getString("room_id"), user(rs)));
    jdbi.registerRowMapper(
        SearchRow.class, (rs, ctx) -> new SearchRow(message(rs), rs.getString("marked")));
    jdbi.registerRowMapper(
        MessageState.class,
        (rs, ctx) -> new MessageState(rs.getLong("id"), rs.getBoolean("deleted")));
    jdbi.registerRowMapper(
        StoreTransfer.ExportedUser.class,
        (rs, ctx) ->
            new StoreTransfer.ExportedUser(
                user(rs),
                rs.getString("password_hash"),
                Nanos.instant(rs.getLong("created_at")),
                nullableInstant(rs, "last_seen")));
    jdbi.registerRowMapper(
        StoreTransfer.ExportedMessage.class,
        (rs, ctx) ->
            new StoreTransfer.ExportedMessage(message(rs), rs.getString("m_client_msg_id")));
  }

  static User user(ResultSet rs) throws SQLException {
    return new User(
        rs.getString("u_id"), rs.getString("u_username"), rs.getString("u_display_name"));
  }

  static Room room(ResultSet rs) throws SQLException {
    return new Room(
        rs.getString("r_id"),
        kind(rs.getString("r_kind")),
        rs.getString("r_name"),
        Visibility.fromWire(rs.getString("r_visibility")),
        rs.getString("r_dm_key"),
        Nanos.instant(rs.getLong("r_created_at")));
  }

  static Message message(ResultSet rs) throws SQLException {
    return new Message(
        rs.getString("m_room_id"),
        rs.getLong("m_seq"),
        rs.getString("m_message_id"),
        user(rs),
        rs.getString("m_body"),
        Nanos.instant(rs.getLong("m_ts")),
        rs.getString("m_reply_to"),
        nullableInstant(rs, "m_edited_at"),
        rs.getBoolean("m_deleted"),
        reactions(strings(rs.getArray("m_emojis")), strings(rs.getArray("m_reactors"))),
        files(rs.getString("m_files")),
        null);
  }

  /**
   * Decodes the {@code m_files} column: {@code hex(id),hex(name),hex(type),size,width,height} per
   * file, joined by {@code ;}, in the message's order.
   */
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

  private static String unhex(String hex) {
    return new String(
        java.util.HexFormat.of().parseHex(hex), java.nio.charset.StandardCharsets.UTF_8);
  }

  static StoredFile file(ResultSet rs) throws SQLException {
    int width = rs.getInt("width");
    Integer w = rs.wasNull() ? null : width;
    int height = rs.getInt("height");
    Integer ht = rs.wasNull() ? null : height;
    return new StoredFile(
        rs.getString("id"),
        rs.getString("room_id"),
        rs.getString("uploader_id"),
        rs.getString("name"),
        rs.getString("type"),
        rs.getLong("size"),
        rs.getString("sha256"),
        w,
        ht,
        rs.getString("thumbnail_sha256"),
        Nanos.instant(rs.getLong("created_at")),
        rs.getString("message_id"));
  }

  /** Pairs the two reaction arrays (same order) into emoji to users, both in display order. */
  private static Map<String, List<String>> reactions(String[] emojis, String[] users) {
    if (emojis.length == 0) {
      return Map.of();
    }
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (int i = 0; i < emojis.length; i++) {
      out.computeIfAbsent(emojis[i], e -> new ArrayList<>()).add(users[i]);
    }
    return out;
  }

  private static String[] strings(Array array) throws SQLException {
    if (array == null) {
      return new String[0];
    }
    try {
      return (String[]) array.getArray();
    } finally {
      array.free();
    }
  }

  private static Instant nullableInstant(ResultSet rs, String column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : Nanos.instant(value);
  }

  /** Wire names are the enum's names in lower case ({@code dm}, {@code owner}). */
  static RoomKind kind(String wire) {
    return RoomKind.valueOf(wire.toUpperCase(Locale.ROOT));
  }

  static Role role(String wire) {
    return wire == null ? null : Role.valueOf(wire.toUpperCase(Locale.ROOT));
  }
}
