package dev.natter.cli.chat;

import dev.natter.cli.Account;
import dev.natter.cli.CliContext;
import java.util.concurrent.Callable;
import org.jline.terminal.Terminal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code natter chat}: the terminal client. */
@Command(
    name = "chat",
    mixinStandardHelpOptions = true,
    description = {
      "The terminal client: messages of all your rooms above the prompt, a status line with the",
      "connection, the current room, unread counts and who is typing. What you type goes to the",
      "current room; commands start with / (type /help). Signs in on first use and keeps the",
      "token in the config file ($NATTER_CONFIG, default ~/.config/natter/config.json, mode 0600).",
      "Messages typed while offline wait in outbox.json next to it and go out on reconnect."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  natter chat                              connect to the saved server",
      "  natter chat --server http://chat:8080    another server",
      "  natter chat --room general               start in #general",
      "",
      "Keys: Tab completes commands, rooms and users; Alt-A or Ctrl-N jumps to the next room",
      "with unread messages; Ctrl-D or /quit leaves."
    })
public final class ChatCommand implements Callable<Integer> {
  private final CliContext context;

  @Option(
      names = {"-s", "--server"},
      paramLabel = "URL",
      description =
          "Server URL (env NATTER_SERVER; default: the saved one, else http://127.0.0.1:8080).")
  String server;

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
    Account account = new Account(context, server);
    try (Terminal terminal = context.terminalFactory().open()) {
      return new ChatSession(terminal, account, room, context.statusListener()).run();
    }
  }
}
