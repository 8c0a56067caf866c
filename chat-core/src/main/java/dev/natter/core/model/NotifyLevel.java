package dev.natter.core.model;

import java.util.Locale;
import java.util.Optional;

/** How much of a room a member wants to be notified of (their setting, synced to every device). */
public enum NotifyLevel {
  /** Every message from others. */
  ALL,
  /** Only messages that mention the member (by {@code @username} or {@code @room}). */
  MENTIONS,
  /** Nothing: the room is muted. */
  NONE;

  /**
   * The protocol's name.
   *
   * @return {@code "all"}, {@code "mentions"} or {@code "none"}
   */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The level with this protocol name.
   *
   * @param wireName {@code "all"}, {@code "mentions"} or {@code "none"}
   * @return the level, or empty for any other text
   */
  public static Optional<NotifyLevel> fromWire(String wireName) {
    for (NotifyLevel level : values()) {
      if (level.wireName().equals(wireName)) {
        return Optional.of(level);
      }
    }
    return Optional.empty();
  }
}
