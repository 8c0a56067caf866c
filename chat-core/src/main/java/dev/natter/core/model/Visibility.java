package dev.natter.core.model;

/** Whether anyone may find and join a group room, or only invited people. DMs are private. */
public enum Visibility {
  PUBLIC,
  PRIVATE;

  /** The protocol's name, {@code "public"} or {@code "private"}. */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static Visibility fromWire(String value) {
    for (Visibility v : values()) {
      if (v.wireName().equals(value)) {
        return v;
      }
    }
    throw new IllegalArgumentException("visibility must be \"public\" or \"private\"");
  }
}
