package dev.natter.core.model;

/** A direct conversation of exactly two members, or a named group room. */
public enum RoomKind {
  /** Two members, found or created by {@code openDm}; nobody joins or leaves. */
  DM,
  /** A named room with an owner, public or private. */
  GROUP;

  /**
   * The protocol's name.
   *
   * @return {@code "dm"} or {@code "group"}
   */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
