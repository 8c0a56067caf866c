package dev.natter.cli.chat;

import dev.natter.cli.Account;
import dev.natter.cli.CliException;

/**
 * What the user typed: text goes to the current room ({@code //} sends a line that starts with
 * {@code /}), a command goes to the class that runs its family. While signed out, only {@code
 * /login}, {@code /help} and {@code /quit} work.
 */
final class InputDispatcher {
  private final SessionState session;
  private final RoomCommands rooms;
  private final MessageCommands messages;
  private final FileCommands files;
  private final NotifyCommands notify;
  private final CurrentRoom currentRoom;
  private final LoginPrompt login;
  private final Connection connection;
  private final Account account;
  private final Screen screen;
  private final Lines lines;

  InputDispatcher(
      SessionState session,
      RoomCommands rooms,
      MessageCommands messages,
      FileCommands files,
      NotifyCommands notify,
      CurrentRoom currentRoom,
      LoginPrompt login,
      Connection connection,
      Account account,
      Screen screen,
      Lines lines) {
    this.session = session;
    this.rooms = rooms;
    this.messages = messages;
    this.files = files;
    this.notify = notify;
    this.currentRoom = currentRoom;
    this.login = login;
    this.connection = connection;
    this.account = account;
    this.screen = screen;
    this.lines = lines;
  }

  /** Handles one typed line; a failure is thrown for the caller to print. */
  void handle(String raw) {
    String line = raw.strip();
    if (line.isEmpty()) {
      return;
    }
    if (line.startsWith("//")) {
      messages.sendToCurrent(line.substring(1));
      return;
    }
    if (!line.startsWith("/")) {
      messages.sendToCurrent(raw.stripTrailing());
      return;
    }
    String[] parts = line.split("\\s+", 2);
    String arg = parts.length > 1 ? parts[1].strip() : "";
    SlashCommand cmd = SlashCommand.find(parts[0]);
    if (cmd == null) {
      screen.print(
          lines.error("unknown command " + parts[0] + " (/help lists them; // sends a /)"));
      return;
    }
    if (session.needLogin
        && cmd != SlashCommand.LOGIN
        && cmd != SlashCommand.QUIT
        && cmd != SlashCommand.HELP) {
      screen.print(lines.error("signed out: /login first"));
      return;
    }
    run(cmd, arg);
  }

  private void run(SlashCommand cmd, String arg) {
    switch (cmd) {
      case JOIN -> rooms.join(requireArg(arg, cmd));
      case LEAVE -> rooms.leave(arg);
      case ROOMS -> rooms.list();
      case DM -> rooms.openDm(requireArg(arg, cmd));
      case MSG -> messages.directMessage(requireArg(arg, cmd));
      case WHO -> rooms.who();
      case ME -> messages.sendToCurrent("/me " + requireArg(arg, cmd));
      case HISTORY -> messages.history(arg);
      case SEARCH -> messages.search(requireArg(arg, cmd));
      case EDIT -> messages.edit(requireArg(arg, cmd));
      case DELETE -> messages.delete(requireArg(arg, cmd));
      case REACT -> messages.react(requireArg(arg, cmd));
      case CREATE -> rooms.create(requireArg(arg, cmd));
      case INVITE -> rooms.invite(requireArg(arg, cmd), true);
      case KICK -> rooms.invite(requireArg(arg, cmd), false);
      case UPLOAD -> files.upload(requireArg(arg, cmd));
      case NOTIFY -> notify.notifyLevel(arg);
      case BELL -> notify.bell(arg);
      case READ -> rooms.markRead(arg);
      case NEXT -> currentRoom.nextUnread();
      case LOGIN -> relogin();
      case HELP -> help(arg);
      case QUIT -> session.running = false;
    }
  }

  private static String requireArg(String arg, SlashCommand cmd) {
    if (arg.isEmpty()) {
      throw CliException.usage("usage: " + cmd.syntax);
    }
    return arg;
  }

  /** {@code /login}: signs in again and connects with the new session. */
  private void relogin() {
    screen.print(lines.notice("sign in to " + account.server()));
    if (!login.signIn()) {
      return;
    }
    session.needLogin = false;
    connection.replace();
  }

  private void help(String arg) {
    if (!arg.isEmpty()) {
      SlashCommand c = SlashCommand.find(arg.startsWith("/") ? arg : "/" + arg);
      if (c == null) {
        throw CliException.usage("no command " + arg);
      }
      screen.print(lines.notice(c.syntax + "  " + c.help));
      return;
    }
    screen.print(
        lines.notice(
            "type text to send it to the current room; // sends a line that starts with /"));
    for (SlashCommand c : SlashCommand.all()) {
      screen.print(lines.notice(String.format("%-24s %s", c.syntax, c.help)));
    }
    screen.print(
        lines.notice(
            "keys: Tab completes commands, rooms, users and files, @ the room's members;"
                + " Alt-A / Ctrl-N next unread room"));
  }
}
