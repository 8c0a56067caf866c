package dev.natter.cli.term;

import dev.natter.core.model.RoomKind;
import dev.natter.core.model.RoomSummary;
import dev.natter.core.model.User;

/** How a room is named on the terminal: {@code #name} for a group, {@code @user} for a DM. */
public final class RoomLabel {
  private RoomLabel() {}

  /**
   * The label of a room, sanitized: {@code #name} with spaces as {@code _} for a group, {@code
   * @user} for a direct conversation (the member that is not {@code me}).
   *
   * @param s the room with its members
   * @param me the signed-in user, or null when unknown (then the first member names a DM)
   * @return the label
   */
  public static String of(RoomSummary s, User me) {
    if (s.room().kind() == RoomKind.DM) {
      for (User u : s.members()) {
        if (me == null || !u.id().equals(me.id())) {
          return "@" + Sanitizer.line(u.username());
        }
      }
      return "@" + Sanitizer.line(s.room().name());
    }
    return "#" + Sanitizer.line(s.room().name()).replace(' ', '_');
  }
}
