package dev.natter.core.model;

/** A member's role in a room. Owners and admins moderate: invite, kick, delete any message. */
public enum Role {
  /**
   * Moderates, and is the only one who removes admins; a group always has one while it has members.
   */
  OWNER,
  /** Moderates: invites, removes members, deletes any message. */
  ADMIN,
  /** Reads and writes. */
  MEMBER;

  /**
   * Whether this role may invite, kick and delete others' messages.
   *
   * @return true for owners and admins
   */
  public boolean canModerate() {
    return this != MEMBER;
  }

  /**
   * The protocol's name.
   *
   * @return {@code "owner"}, {@code "admin"} or {@code "member"}
   */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
