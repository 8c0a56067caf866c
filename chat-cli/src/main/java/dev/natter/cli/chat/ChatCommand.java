package dev.natter.cli.chat;

import dev.natter.cli.Account;
import dev.natter.cli.CliContext;
import dev.natter.cli.ServerOption;
import java.util.concurrent.Callable;
import org.jline.terminal.Terminal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code natter chat}: the terminal client. */
@Command(
    name = "chat",
    mixinStandardHelpOptions = true,
    description = {
      "The terminal client: all your rooms, one prompt.",
      "%nMessages of all your rooms appear above the prompt; a status line shows the connection,"
          + " the current room, unread counts and who is typing. What you type goes to the"
          + " current room; commands start with / (type /help).",
      "%nIt signs in on first use and keeps the token in the config file, like natter login."
          + " Messages typed while offline wait in an outbox file next to it and go out once"
          + " the connection is back."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  natter chat                        the saved server",
      "  natter chat --server http://chat:8080",
      "  natter chat --room general         start in #general",
      "%nKeys: Tab completes commands, rooms, users and file names (@ completes the members of"
          + " the current room); Alt-A or Ctrl-N jumps to the next room with unread messages;"
          + " Ctrl-D or /quit leaves.",
      "%nMessages that mention you are highlighted and ring the terminal bell; set when it"
          + " rings with /bell all|mentions|off (saved in the config file as \"bell\"), and what"
          + " a room notifies you of with /notify all|mentions|none."
    })
public final class ChatCommand implements Callable<Integer> {
  private final CliContext context;

  @Mixin ServerOption server;

  @Option(
      names = {"-r", "--room"},
      paramLabel = "ROOM",
      description = "Room to start in: #name, @user or id (default: the most recently active).")
  String room;

  ChatCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws Exception {
    Account account = new Account(context, server.value());
    try (Terminal terminal = context.terminalFactory().open()) {
      return new ChatSession(
              terminal, account, room, context.workingDirectory(), context.statusListener())
          .run();
    }
  }
}
