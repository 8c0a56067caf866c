package dev.natter.core;

import java.text.Normalizer;
import java.util.regex.Pattern;

/** Checks of what clients send, each failing with a clear {@link ChatException}. */
final class Validation {
  static final int MAX_ID_CHARS = 64;
  static final int MAX_ROOM_NAME_CHARS = 80;
  static final int MAX_DISPLAY_NAME_CHARS = 64;
  static final int MAX_EMOJI_CHARS = 32;
  static final int MAX_SYNC_ROOMS = 1_000;
  static final int MAX_PASSWORD_CHARS = 1_024;
  static final int MIN_PASSWORD_CHARS = 8;

  private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9_.-]{3,32}");

  /**
   * Invisible characters stripped from names: C0 and C1 controls, DEL, zero-width characters
   * (U+200B to U+200F, U+2060, U+FEFF).
   */
  private static final Pattern INVISIBLE =
      Pattern.compile("[\\x00-\\x1F\\x7F-\\x9F\\u200B-\\u200F\\u2060\\uFEFF]");

  /** Bidirectional embeddings, overrides and isolates: names with them are refused. */
  private static final Pattern BIDI_CONTROL = Pattern.compile("[\\u202A-\\u202E\\u2066-\\u2069]");

  private Validation() {}

  static String requireId(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new ChatException.BadRequest(field + " is required");
    }
    if (value.length() > MAX_ID_CHARS) {
      throw new ChatException.BadRequest(field + " is longer than " + MAX_ID_CHARS + " characters");
    }
    return value;
  }

  /** A message body: trimmed, 1..max characters. */
  static String body(String body, int maxChars) {
    if (body == null) {
      throw new ChatException.BadRequest("body is required");
    }
    String trimmed = Text.sanitize(body).strip();
    if (trimmed.isEmpty()) {
      throw new ChatException.BadRequest("body is empty");
    }
    if (trimmed.codePointCount(0, trimmed.length()) > maxChars) {
      throw new ChatException.TooLarge("body is longer than " + maxChars + " characters");
    }
    return trimmed;
  }

  /** A message body that may be empty (a message with files): trimmed, 0..max characters. */
  static String bodyOrEmpty(String body, int maxChars) {
    String trimmed = body == null ? "" : Text.sanitize(body).strip();
    if (trimmed.codePointCount(0, trimmed.length()) > maxChars) {
      throw new ChatException.TooLarge("body is longer than " + maxChars + " characters");
    }
    return trimmed;
  }

  static String username(String username) {
    if (username == null || !USERNAME.matcher(username).matches()) {
      throw new ChatException.BadRequest(
          "username must be 3 to 32 letters, digits, '_', '.' or '-'");
    }
    return username;
  }

  static char[] password(String password) {
    if (password == null || password.length() < MIN_PASSWORD_CHARS) {
      throw new ChatException.BadRequest(
          "password must be at least " + MIN_PASSWORD_CHARS + " characters");
    }
    if (password.length() > MAX_PASSWORD_CHARS) {
      throw new ChatException.TooLarge("password is too long");
    }
    return password.toCharArray();
  }

  /**
   * The one rule for every name people see (display names, room names): lone surrogates replaced,
   * NFC-normalised, refused with bidirectional controls (they make a name read as another, as in
   * {@code "Ali\u202Eecn"}), stripped of controls and zero-width characters, trimmed.
   */
  static String name(String raw, String field) {
    String nfc = Normalizer.normalize(Text.sanitize(raw), Normalizer.Form.NFC);
    if (BIDI_CONTROL.matcher(nfc).find()) {
      throw new ChatException.BadRequest(
          field
              + " must not contain bidirectional control characters (U+202A to U+202E, U+2066 to U+2069)");
    }
    return INVISIBLE.matcher(nfc).replaceAll("").strip();
  }

  /** A display name (see {@link #name}); the username when absent. */
  static String displayName(String displayName, String username) {
    if (displayName == null || displayName.isBlank()) {
      return username;
    }
    String cleaned = name(displayName, "displayName");
    if (cleaned.isEmpty()) {
      return username;
    }
    if (cleaned.length() > MAX_DISPLAY_NAME_CHARS) {
      throw new ChatException.BadRequest(
          "displayName is longer than " + MAX_DISPLAY_NAME_CHARS + " characters");
    }
    return cleaned;
  }

  static String roomName(String name) {
    if (name == null || name.isBlank()) {
      throw new ChatException.BadRequest("name is required");
    }
    String cleaned = name(name, "name");
    if (cleaned.isEmpty() || cleaned.length() > MAX_ROOM_NAME_CHARS) {
      throw new ChatException.BadRequest(
          "name must be 1 to " + MAX_ROOM_NAME_CHARS + " characters");
    }
    return cleaned;
  }

  static String emoji(String raw) {
    String emoji = Text.sanitize(raw);
    if (emoji == null || emoji.isBlank() || emoji.length() > MAX_EMOJI_CHARS) {
      throw new ChatException.BadRequest("emoji must be 1 to " + MAX_EMOJI_CHARS + " characters");
    }
    if (emoji.codePoints().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
      throw new ChatException.BadRequest("emoji must not contain spaces or control characters");
    }
    return emoji;
  }

  static int limit(Integer requested, int defaultLimit, int max) {
    if (requested == null) {
      return Math.min(defaultLimit, max);
    }
    if (requested < 1) {
      throw new ChatException.BadRequest("limit must be at least 1");
    }
    return Math.min(requested, max);
  }

  static long seq(Long seq, String field) {
    if (seq != null && seq < 0) {
      throw new ChatException.BadRequest(field + " must not be negative");
    }
    return seq == null ? 0 : seq;
  }
}
