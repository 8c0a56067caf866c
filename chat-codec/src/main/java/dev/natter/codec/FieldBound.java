package dev.natter.codec;

import dev.natter.core.ChatException;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * The bound of every field a client sends, in one table: each row is a field's wire name and the
 * most it may hold (characters for text, a range for integers, entries for arrays and objects).
 * WebSocket commands are checked when {@link JsonCodec#decodeCommand decoded}; the server checks
 * HTTP bodies, query parameters and path segments against the same rows. A value out of bounds is
 * refused with {@code bad_request} ({@code too_large} for {@code rooms}) whose message names the
 * field and its bound and never repeats the value.
 *
 * <p>These bounds come before the engine's own rules, which are often tighter (a body holds at most
 * {@code Limits.maxBodyChars} characters after trimming, a display name 64 after normalising): the
 * codec only makes sure no oversized value travels further. docs/protocol.md lists the same table.
 */
public enum FieldBound {
  /** A frame's {@code type}: at most 32 characters (a longer one is never echoed). */
  TYPE("type", Kind.TEXT, 0, 32),
  /** A request's {@code id}: at most 64 characters. */
  ID("id", Kind.TEXT, 0, 64),
  /** A room id ({@code room}, the {@code {room}} path segment, {@code sync}'s keys): 64. */
  ROOM("room", Kind.TEXT, 0, 64),
  /** A send's {@code clientMsgId}: 64 characters. */
  CLIENT_MSG_ID("clientMsgId", Kind.TEXT, 0, 64),
  /** A message id: 64 characters. */
  MESSAGE_ID("messageId", Kind.TEXT, 0, 64),
  /** The message a send replies to: 64 characters. */
  REPLY_TO("replyTo", Kind.TEXT, 0, 64),
  /** A message body, before trimming: 65,536 characters. */
  BODY("body", Kind.TEXT, 0, 65_536),
  /** A reaction's emoji: 32 characters. */
  EMOJI("emoji", Kind.TEXT, 0, 32),
  /** A username (bodies, {@code members} items, the {@code {username}} path segment): 64. */
  USERNAME("username", Kind.TEXT, 0, 64),
  /** A password: 4,096 characters (the engine allows 8 to 1,024). */
  PASSWORD("password", Kind.TEXT, 0, 4_096),
  /** A display name, before normalising: 256 characters. */
  DISPLAY_NAME("displayName", Kind.TEXT, 0, 256),
  /** A room name, before normalising: 256 characters. */
  NAME("name", Kind.TEXT, 0, 256),
  /** A room's {@code visibility}: 16 characters. */
  VISIBILITY("visibility", Kind.TEXT, 0, 16),
  /** A search query ({@code q} of user and message search): 200 characters. */
  QUERY("q", Kind.TEXT, 0, 200),
  /** A read marker's {@code seq}: 0 to 2<sup>53</sup>−1. */
  SEQ("seq", Kind.INTEGER, 0, FieldBound.MAX_SAFE_INTEGER),
  /** A room's last seen seq in {@code sync}: 0 to 2<sup>53</sup>−1. */
  LAST_SEQ("lastSeq", Kind.INTEGER, 0, FieldBound.MAX_SAFE_INTEGER),
  /** A page's {@code before}: 0 to 2<sup>53</sup>−1. */
  BEFORE("before", Kind.INTEGER, 0, FieldBound.MAX_SAFE_INTEGER),
  /** A page's {@code after}: 0 to 2<sup>53</sup>−1. */
  AFTER("after", Kind.INTEGER, 0, FieldBound.MAX_SAFE_INTEGER),
  /** A page's {@code limit}: 1 to 1,000 (the engine then caps it at its history limit). */
  LIMIT("limit", Kind.INTEGER, 1, 1_000),
  /** {@code sync}'s rooms: at most 1,000, each a room id to its {@code lastSeq}. */
  ROOMS("rooms", Kind.ENTRIES, 0, 1_000),
  /** The usernames of a new room's {@code members}: at most 1,000. */
  MEMBERS("members", Kind.ENTRIES, 0, 1_000),
  /** The file ids of a send's {@code files}: at most 10 (the most a message carries). */
  FILES("files", Kind.ENTRIES, 0, 10),
  /** A file id ({@code files} items, the {@code {id}} path segment of a file): 64 characters. */
  FILE_ID("fileId", Kind.TEXT, 0, 64),
  /** {@code typing}'s {@code active}: true or false, nothing to bound. */
  ACTIVE("active", Kind.FLAG, 0, 1),
  /** {@code react}'s {@code on}: true or false, nothing to bound. */
  ON("on", Kind.FLAG, 0, 1);

  /** 2<sup>53</sup>−1, the largest integer every JSON reader keeps exact. */
  public static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

  /** What a field holds, which says what its bound counts. */
  public enum Kind {
    /** A string; the bound is its length in UTF-16 characters. */
    TEXT,
    /** An integer; the bound is its range. */
    INTEGER,
    /** An array or object; the bound is its number of entries. */
    ENTRIES,
    /** A boolean; nothing to bound. */
    FLAG
  }

  private final String field;
  private final Kind kind;
  private final long min;
  private final long max;

  FieldBound(String field, Kind kind, long min, long max) {
    this.field = field;
    this.kind = kind;
    this.min = min;
    this.max = max;
  }

  /**
   * The row of a field.
   *
   * @param field the field's wire name, such as {@code "clientMsgId"}
   * @return its row, or empty when the table has none
   */
  public static Optional<FieldBound> of(String field) {
    for (FieldBound b : values()) {
      if (b.field.equals(field)) {
        return Optional.of(b);
      }
    }
    return Optional.empty();
  }

  /**
   * The field's wire name.
   *
   * @return the name, such as {@code "clientMsgId"}
   */
  public String field() {
    return field;
  }

  /**
   * What the field holds.
   *
   * @return the kind
   */
  public Kind kind() {
    return kind;
  }

  /**
   * The smallest value of an integer field (0 for the others).
   *
   * @return the minimum
   */
  public long min() {
    return min;
  }

  /**
   * The most characters, the largest integer or the most entries the field may hold.
   *
   * @return the maximum
   */
  public long max() {
    return max;
  }

  /**
   * Checks a text field.
   *
   * @param value the value; null passes (whether a field is required is checked elsewhere)
   * @return the value
   * @throws ChatException.BadRequest if it is longer than {@link #max()}
   */
  public String check(String value) {
    if (value != null && value.length() > max) {
      throw new ChatException.BadRequest(
          quoted() + " is longer than " + max + " characters (" + value.length() + ")");
    }
    return value;
  }

  /**
   * Checks an integer field.
   *
   * @param value the value; null passes
   * @return the value
   * @throws ChatException.BadRequest if it is out of range
   */
  public Long check(Long value) {
    if (value != null && (value < min || value > max)) {
      throw new ChatException.BadRequest(quoted() + " must be from " + min + " to " + max);
    }
    return value;
  }

  /**
   * Checks a decoded value of this field: a text field's length, an integer field's range, the
   * entries of an array or object ({@code rooms}' keys as room ids and values as {@code lastSeq}s,
   * {@code members}' items as usernames). A value of another kind than the field's (a number for a
   * text field) passes: whether it has the right kind is checked elsewhere, with its own message.
   *
   * @param value the decoded value
   * @throws ChatException.BadRequest if it is out of bounds
   * @throws ChatException.TooLarge for {@code rooms} with more than 1,000 entries
   */
  public void checkValue(Object value) {
    switch (kind) {
      case TEXT -> {
        if (value instanceof String s) {
          check(s);
        }
      }
      case INTEGER -> {
        if (value instanceof Long || value instanceof Integer) {
          check(((Number) value).longValue());
        }
      }
      case ENTRIES -> {
        if (value instanceof Map<?, ?> map) {
          checkCount(map.size());
          for (Map.Entry<?, ?> e : map.entrySet()) {
            checkItem(ROOM, e.getKey(), "a key");
            checkItem(LAST_SEQ, e.getValue(), "a value");
          }
        } else if (value instanceof Collection<?> items) {
          checkCount(items.size());
          FieldBound itemBound = this == FILES ? FILE_ID : USERNAME;
          for (Object item : items) {
            checkItem(itemBound, item, "an item");
          }
        }
      }
      case FLAG -> {}
    }
  }

  private void checkCount(int entries) {
    if (entries > max) {
      String problem = quoted() + " has more than " + max + " entries";
      if (this == ROOMS) {
        throw new ChatException.TooLarge(problem);
      }
      throw new ChatException.BadRequest(problem);
    }
  }

  private void checkItem(FieldBound itemBound, Object item, String what) {
    try {
      itemBound.checkValue(item);
    } catch (ChatException.BadRequest e) {
      String bound =
          itemBound.kind == Kind.TEXT
              ? "longer than " + itemBound.max + " characters"
              : "out of range (" + itemBound.min + " to " + itemBound.max + ")";
      throw new ChatException.BadRequest(quoted() + " has " + what + " " + bound);
    }
  }

  private String quoted() {
    return "\"" + field + "\"";
  }
}
