package dev.natter.cli.chat;

import dev.natter.cli.Account;
import dev.natter.cli.CliException;
import dev.natter.core.model.NotifyLevel;
import dev.natter.core.model.RoomSummary;
import java.util.Locale;

/**
 * The notification settings: {@code /notify all|mentions|none} sets my level for the current room
 * on the server (my other devices follow), {@code /bell all|mentions|off} sets when this terminal
 * rings and saves it in the config file; without an argument each says what it is now.
 */
final class NotifyCommands {
  private final Connection connection;
  private final RoomBook book;
  private final CurrentRoom currentRoom;
  private final Bell bell;
  private final Account account;
  private final Screen screen;
  private final Lines lines;

  NotifyCommands(
      Connection connection,
      RoomBook book,
      CurrentRoom currentRoom,
      Bell bell,
      Account account,
      Screen screen,
      Lines lines) {
    this.connection = connection;
    this.book = book;
    this.currentRoom = currentRoom;
    this.bell = bell;
    this.account = account;
    this.screen = screen;
    this.lines = lines;
  }

  /** {@code /notify [all|mentions|none]}. */
  void notifyLevel(String arg) {
    RoomBook.Entry room = currentRoom.get();
    if (arg.isEmpty()) {
      screen.print(lines.notice(room.label + ": notify " + room.notifyLevel().wireName()));
      return;
    }
    NotifyLevel level =
        NotifyLevel.fromWire(arg.strip().toLowerCase(Locale.ROOT))
            .orElseThrow(() -> CliException.usage("usage: " + SlashCommand.NOTIFY.syntax));
    RoomSummary updated = Account.await(connection.client().setNotifyLevel(room.id(), level));
    book.upsert(updated);
    screen.print(lines.ok(room.label + ": notify " + updated.notifyLevel().wireName()));
    screen.refreshStatus();
  }

  /** {@code /bell [all|mentions|off]}. */
  void bell(String arg) {
    if (arg.isEmpty()) {
      screen.print(lines.notice("bell " + bell.setting().word()));
      return;
    }
    Bell.Setting setting =
        Bell.Setting.parse(arg)
            .orElseThrow(() -> CliException.usage("usage: " + SlashCommand.BELL.syntax));
    account.configFile().save(account.config().withBell(setting.word()));
    bell.setting(setting);
    screen.print(
        lines.ok("bell " + setting.word() + " (saved in " + account.configFile().path() + ")"));
  }
}
