package dev.natter.cli.chat;

import dev.natter.cli.Account;
import dev.natter.cli.CliException;
import dev.natter.cli.term.Sanitizer;
import dev.natter.client.ChatClient;
import dev.natter.core.model.RoomSummary;
import dev.natter.core.model.User;
import dev.natter.core.model.Visibility;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The commands about rooms and members: {@code /join}, {@code /leave}, {@code /rooms}, {@code /dm},
 * {@code /who}, {@code /create}, {@code /invite}, {@code /kick}, {@code /read}.
 */
final class RoomCommands {
  private final Connection connection;
  private final RoomBook book;
  private final CurrentRoom currentRoom;
  private final PublicRooms publicRooms;
  private final Set<String> online;
  private final Screen screen;
  private final Lines lines;

  RoomCommands(
      Connection connection,
      RoomBook book,
      CurrentRoom currentRoom,
      PublicRooms publicRooms,
      Set<String> online,
      Screen screen,
      Lines lines) {
    this.connection = connection;
    this.book = book;
    this.currentRoom = currentRoom;
    this.publicRooms = publicRooms;
    this.online = online;
    this.screen = screen;
    this.lines = lines;
  }

  /** {@code /join}: switches to one of my rooms, or joins a public one. */
  void join(String ref) {
    Optional<RoomBook.Entry> mine = book.find(ref);
    if (mine.isPresent()) {
      currentRoom.switchTo(mine.get().id(), true);
      return;
    }
    String wanted = ref.startsWith("#") ? ref.substring(1) : ref;
    ChatClient client = connection.client();
    RoomSummary target =
        publicRooms
            .find(client, wanted)
            .orElseThrow(
                () ->
                    CliException.failure(
                        "no public room called "
                            + ref
                            + " (/rooms lists them; /create makes one)"));
    RoomSummary joined = Account.await(client.join(target.room().id()));
    book.upsert(joined);
    publicRooms.remove(joined.room().id());
    currentRoom.switchTo(joined.room().id(), true);
  }

  /** {@code /leave [room]}. */
  void leave(String ref) {
    RoomBook.Entry room =
        ref.isEmpty()
            ? currentRoom.get()
            : book.find(ref).orElseThrow(() -> CliException.failure("you are not in " + ref));
    Account.await(connection.client().leave(room.id()));
    book.remove(room.id());
    screen.print(lines.notice("left " + room.label));
    screen.refreshPrompt();
    screen.refreshStatus();
  }

  /** {@code /rooms}: mine with unread counts, then public ones to join. */
  void list() {
    List<RoomBook.Entry> mine = book.all();
    screen.print(lines.notice("your rooms:"));
    if (mine.isEmpty()) {
      screen.print(lines.notice("  (none)"));
    }
    for (RoomBook.Entry e : mine) {
      String marker = e.id().equals(book.current()) ? "* " : "  ";
      String extra =
          (e.isDm() ? "direct" : e.summary.room().visibility().wireName())
              + ", "
              + e.summary.members().size()
              + " members"
              + (e.unread > 0 ? ", " + e.unread + " unread" : "");
      screen.print(lines.notice(marker + e.label + "  (" + extra + ")"));
    }
    publicRooms.load(connection.client());
    if (!publicRooms.list().isEmpty()) {
      screen.print(lines.notice("public rooms you could /join:"));
      for (RoomSummary s : publicRooms.list()) {
        screen.print(
            lines.notice(
                "  #"
                    + Sanitizer.line(s.room().name()).replace(' ', '_')
                    + "  ("
                    + s.members().size()
                    + " members)"));
      }
    }
  }

  /** {@code /dm user}: opens the direct conversation and switches to it. */
  void openDm(String user) {
    RoomSummary dm = Account.await(connection.client().openDm(withoutAt(user)));
    book.upsert(dm);
    currentRoom.switchTo(dm.room().id(), true);
  }

  /** {@code /who}: the current room's members and who of them is online. */
  void who() {
    RoomBook.Entry room = currentRoom.get();
    List<String> names = new ArrayList<>();
    int on = 0;
    for (User u : room.summary.members()) {
      boolean isOn = online.contains(u.id());
      on += isOn ? 1 : 0;
      names.add(Sanitizer.line(u.username()) + (isOn ? " (online)" : ""));
    }
    screen.print(
        lines.notice(
            room.label
                + ": "
                + room.summary.members().size()
                + " members, "
                + on
                + " online: "
                + String.join(", ", names)));
  }

  /** {@code /create name [public|private] [user...]}. */
  void create(String arg) {
    List<String> p = new ArrayList<>(Arrays.asList(arg.split("\\s+")));
    String name = p.remove(0);
    if (name.startsWith("#")) {
      name = name.substring(1);
    }
    Visibility visibility = Visibility.PUBLIC;
    if (!p.isEmpty()
        && (p.get(0).equalsIgnoreCase("public") || p.get(0).equalsIgnoreCase("private"))) {
      visibility = Visibility.fromWire(p.remove(0).toLowerCase(Locale.ROOT));
    }
    List<String> members = new ArrayList<>();
    for (String u : p) {
      members.add(withoutAt(u));
    }
    RoomSummary created = Account.await(connection.client().createRoom(name, visibility, members));
    book.upsert(created);
    currentRoom.switchTo(created.room().id(), false);
  }

  /** {@code /invite user [room]} ({@code add}) and {@code /kick user [room]}. */
  void invite(String arg, boolean add) {
    String[] p = arg.split("\\s+");
    String user = withoutAt(p[0]);
    RoomBook.Entry room =
        p.length > 1
            ? book.find(p[1]).orElseThrow(() -> CliException.failure("you are not in " + p[1]))
            : currentRoom.get();
    if (add) {
      Account.await(connection.client().invite(room.id(), user));
      screen.print(lines.ok("added " + Sanitizer.line(user) + " to " + room.label));
    } else {
      Account.await(connection.client().kick(room.id(), user));
      screen.print(lines.ok("removed " + Sanitizer.line(user) + " from " + room.label));
    }
  }

  /** {@code /read [all]}: moves my read marker to the newest message. */
  void markRead(String arg) {
    List<RoomBook.Entry> rooms =
        arg.equalsIgnoreCase("all") ? book.all() : List.of(currentRoom.get());
    for (RoomBook.Entry e : rooms) {
      long seq;
      synchronized (book) {
        seq = e.lastSeq;
        e.unread = 0;
      }
      if (seq > 0) {
        connection.client().markRead(e.id(), seq);
      }
    }
    screen.print(
        lines.notice("marked " + (rooms.size() == 1 ? rooms.get(0).label : "all rooms") + " read"));
    screen.refreshStatus();
  }

  static String withoutAt(String user) {
    return user.startsWith("@") ? user.substring(1) : user;
  }
}
