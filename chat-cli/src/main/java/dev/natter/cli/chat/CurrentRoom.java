package dev.natter.cli.chat;

import dev.natter.cli.Account;
import dev.natter.cli.CliException;
import dev.natter.cli.ExitCodes;
import dev.natter.client.ChatClient;
import dev.natter.client.HistoryQuery;
import dev.natter.core.model.Message;
import dev.natter.core.model.MessagePage;
import java.util.Optional;

/**
 * The room that what the user types goes to, and switching to another: the switch marks the room
 * read, prints its recent messages not printed yet, and updates the prompt and the status line.
 */
final class CurrentRoom {
  /** How many recent messages a switch prints, and {@code /history} by default. */
  static final int SCROLLBACK = 20;

  private final RoomBook book;
  private final Connection connection;
  private final Screen screen;
  private final Lines lines;

  CurrentRoom(RoomBook book, Connection connection, Screen screen, Lines lines) {
    this.book = book;
    this.connection = connection;
    this.screen = screen;
    this.lines = lines;
  }

  /** The current room, or a usage error that says to join one. */
  RoomBook.Entry get() {
    return book.currentEntry()
        .orElseThrow(() -> CliException.usage("no current room: /join one first"));
  }

  /** Makes a room current; with {@code scrollback}, prints its recent messages first. */
  void switchTo(String roomId, boolean scrollback) {
    RoomBook.Entry e = book.get(roomId).orElse(null);
    if (e == null) {
      return;
    }
    book.setCurrent(roomId);
    int members = e.summary.members().size();
    String count = members == 1 ? "1 member" : members + " members";
    screen.print(lines.notice("now in " + e.label + (e.isDm() ? "" : " (" + count + ")")));
    ChatClient c = connection.client();
    long readUpTo;
    synchronized (book) {
      readUpTo = e.lastSeq;
    }
    if (scrollback && c != null) {
      try {
        MessagePage page = Account.await(c.history(roomId, HistoryQuery.latest(SCROLLBACK)));
        for (Message m : page.messages()) {
          readUpTo = Math.max(readUpTo, m.seq());
          if (book.record(m)) {
            screen.print(lines.message(m, e.label, book.me()));
          }
        }
      } catch (RuntimeException ex) {
        screen.print(
            lines.error(
                "could not load the history of " + e.label + ": " + ExitCodes.messageOf(ex)));
      }
    }
    // what arrives later while the room is current is marked read as it arrives
    if (readUpTo > 0 && c != null && roomId.equals(book.current())) {
      c.markRead(roomId, readUpTo);
    }
    screen.refreshPrompt();
    screen.refreshStatus();
  }

  /** Switches to the next room with unread messages; false (and a notice) when there is none. */
  boolean nextUnread() {
    Optional<RoomBook.Entry> next = book.nextUnread();
    if (next.isEmpty()) {
      screen.print(lines.notice("no unread messages"));
      return false;
    }
    switchTo(next.get().id(), true);
    return true;
  }
}
