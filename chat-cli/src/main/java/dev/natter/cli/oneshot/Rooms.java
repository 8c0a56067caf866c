package dev.natter.cli.oneshot;

import dev.natter.cli.Account;
import dev.natter.cli.CliException;
import dev.natter.cli.term.RoomLabel;
import dev.natter.cli.term.Sanitizer;
import dev.natter.client.ChatClient;
import dev.natter.core.model.RoomKind;
import dev.natter.core.model.RoomSummary;
import dev.natter.core.model.User;
import java.util.ArrayList;
import java.util.List;

/** Finds a room by what a user typed: its id, its name (with or without #), or @user for a DM. */
final class Rooms {
  private Rooms() {}

  /**
   * The room named by {@code ref} among my rooms; {@code @user} finds or creates the DM when {@code
   * openDms}.
   */
  static RoomSummary resolve(ChatClient client, String ref, boolean openDms) {
    String r = ref.strip();
    if (r.isEmpty()) {
      throw CliException.usage("a room is required");
    }
    List<RoomSummary> mine = Account.await(client.rooms());
    User me = null;
    if (r.startsWith("@")) {
      String username = r.substring(1);
      for (RoomSummary s : mine) {
        if (s.room().kind() == RoomKind.DM && hasMember(s, username)) {
          return s;
        }
      }
      if (openDms) {
        return Account.await(client.openDm(username));
      }
      throw CliException.failure("no direct conversation with " + username);
    }
    for (RoomSummary s : mine) {
      if (s.room().id().equals(r)) {
        return s;
      }
    }
    String name = r.startsWith("#") ? r.substring(1) : r;
    List<RoomSummary> matches = new ArrayList<>();
    for (RoomSummary s : mine) {
      if (s.room().kind() == RoomKind.GROUP
          && (s.room().name().equalsIgnoreCase(name)
              || s.room().name().replace(' ', '_').equalsIgnoreCase(name))) {
        matches.add(s);
      }
    }
    if (matches.size() == 1) {
      return matches.get(0);
    }
    if (matches.size() > 1) {
      throw CliException.failure(
          matches.size() + " of your rooms are called " + name + ": name one by its id");
    }
    throw CliException.failure(
        "you are not in a room called "
            + Sanitizer.line(r)
            + " ('natter rooms' lists yours; join public ones in 'natter chat' with /join)");
  }

  private static boolean hasMember(RoomSummary s, String username) {
    for (User u : s.members()) {
      if (u.username().equalsIgnoreCase(username)) {
        return true;
      }
    }
    return false;
  }

  /** {@code #name} for a group, {@code @user} for a DM (the member that is not {@code me}). */
  static String label(RoomSummary s, User me) {
    return RoomLabel.of(s, me);
  }
}
