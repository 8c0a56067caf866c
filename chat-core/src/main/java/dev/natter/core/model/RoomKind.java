package dev.natter.core.model;

/** A direct conversation of exactly two members, or a named group room. */
public enum RoomKind {
  DM,
  GROUP;

  /** The protocol's name, {@code "dm"} or {@code "group"}. */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
