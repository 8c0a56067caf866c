package dev.natter.core.model;

/** Whether anyone may find and join a group room, or only invited people. DMs are private. */
public enum Visibility {
  /** Anyone may find and join it. */
  PUBLIC,
  /** Only invited people are members. */
  PRIVATE;

  /**
   * The protocol's name.
   *
   * @return {@code "public"} or {@code "private"}
   */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * The visibility with this protocol name.
   *
   * @param value {@code "public"} or {@code "private"}
   * @return the visibility
   * @throws IllegalArgumentException for anything else
   */
  public static Visibility fromWire(String value) {
    for (Visibility v : values()) {
      if (v.wireName().equals(value)) {
        return v;
      }
    }
    throw new IllegalArgumentException("visibility must be \"public\" or \"private\"");
  }
}
