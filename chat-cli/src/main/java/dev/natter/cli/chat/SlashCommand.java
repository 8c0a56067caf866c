package dev.natter.cli.chat;

import java.util.List;

/** The terminal client's commands: their syntax and help, and what kind of argument they take. */
enum SlashCommand {
  JOIN("/join <room>", "join a room, or switch to one of yours; shows recent messages", Arg.ROOM),
  LEAVE("/leave [room]", "leave the current room, or the one named", Arg.MY_ROOM),
  ROOMS("/rooms", "your rooms with unread counts; public rooms to join", Arg.NONE),
  DM("/dm <user>", "open the direct conversation with a user", Arg.USER),
  MSG("/msg <user> <text>", "send a direct message without switching", Arg.USER),
  WHO("/who", "the members of the current room and who is online", Arg.NONE),
  ME("/me <action>", "send an action: * you waves", Arg.NONE),
  HISTORY("/history [n]", "the last n messages of the room (default 20)", Arg.NONE),
  SEARCH("/search <text>", "search the messages of all your rooms", Arg.NONE),
  EDIT("/edit [#seq] <text>", "edit your message #seq (default: your last one)", Arg.NONE),
  DELETE("/delete <#seq>", "delete message #seq (owners and admins: any)", Arg.NONE),
  REACT("/react <#seq> <emoji>", "toggle your reaction on message #seq", Arg.NONE),
  CREATE(
      "/create <name> [public|private] [user...]",
      "create a group room (public by default)",
      Arg.NONE),
  INVITE("/invite <user> [room]", "add a user to the room (owners, admins)", Arg.USER),
  KICK("/kick <user> [room]", "remove a user from the room (owners, admins)", Arg.USER),
  UPLOAD(
      "/upload <path> [text]",
      "send a file to the room, with text if given (\"quote\" a path with spaces)",
      Arg.FILE),
  NOTIFY(
      "/notify [all|mentions|none]",
      "what of this room notifies you, on all your devices",
      Arg.NOTIFY_LEVEL),
  BELL("/bell [all|mentions|off]", "when the terminal bell rings (saved)", Arg.BELL),
  READ("/read [all]", "mark the current room (or all rooms) as read", Arg.NONE),
  NEXT("/next", "next room with unread messages (Alt-A, Ctrl-N)", Arg.NONE),
  LOGIN("/login", "sign in again after the session ended", Arg.NONE),
  HELP("/help [command]", "this help", Arg.COMMAND),
  QUIT("/quit", "leave (Ctrl-D); unsent messages are kept", Arg.NONE);

  /** What the first argument of a command is, for Tab completion. */
  enum Arg {
    NONE,
    ROOM,
    MY_ROOM,
    USER,
    COMMAND,
    FILE,
    NOTIFY_LEVEL,
    BELL
  }

  final String syntax;
  final String help;
  final Arg arg;

  SlashCommand(String syntax, String help, Arg arg) {
    this.syntax = syntax;
    this.help = help;
    this.arg = arg;
  }

  /** The command word with its slash: {@code /join}. */
  String word() {
    return "/" + name().toLowerCase(java.util.Locale.ROOT);
  }

  static SlashCommand find(String word) {
    for (SlashCommand c : values()) {
      if (c.word().equalsIgnoreCase(word)) {
        return c;
      }
    }
    if (word.equalsIgnoreCase("/exit") || word.equalsIgnoreCase("/q")) {
      return QUIT;
    }
    if (word.equalsIgnoreCase("/query")) {
      return DM;
    }
    if (word.equalsIgnoreCase("/j")) {
      return JOIN;
    }
    if (word.equalsIgnoreCase("/part")) {
      return LEAVE;
    }
    return null;
  }

  static List<SlashCommand> all() {
    return List.of(values());
  }
}
