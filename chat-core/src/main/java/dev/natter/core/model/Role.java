package dev.natter.core.model;

/** A member's role in a room. Owners and admins moderate: invite, kick, delete any message. */
public enum Role {
  OWNER,
  ADMIN,
  MEMBER;

  public boolean canModerate() {
    return this != MEMBER;
  }

  /** The protocol's name, {@code "owner"}, {@code "admin"} or {@code "member"}. */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
