package dev.natter.cli.oneshot;

import dev.natter.cli.Account;
import dev.natter.cli.CliContext;
import dev.natter.cli.CliException;
import dev.natter.cli.ExitCodes;
import dev.natter.client.ChatClient;
import dev.natter.client.HistoryQuery;
import dev.natter.core.model.Message;
import dev.natter.core.model.MessagePage;
import dev.natter.core.model.RoomSummary;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code natter history <room>}: the last messages of a room. */
@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    description = {
      "Print the last messages of a room, oldest first.",
      "%nOne line per message: time, room, number, sender and text; or one JSON object per line."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  natter history general         the last 20 messages",
      "  natter history @bob -n 200     the DM with bob",
      "  natter history general --json | jq -r .body"
    })
public final class HistoryCommand extends RoomCommand {
  private static final int PAGE = 100;

  @Option(
      names = {"-n", "--limit"},
      paramLabel = "N",
      defaultValue = "20",
      description = "How many messages (default ${DEFAULT-VALUE}).")
  int limit;

  @Mixin MessageOutput output;

  HistoryCommand(CliContext context) {
    super(context);
  }

  @Override
  public Integer call() {
    if (limit < 1) {
      throw CliException.usage("-n must be at least 1");
    }
    Account account = new Account(context, server.value());
    ChatClient client = account.httpClient();
    try {
      RoomSummary s = Rooms.resolve(client, room, false);
      String label =
          Rooms.label(
              s,
              s.room().kind() == dev.natter.core.model.RoomKind.DM
                  ? Account.await(client.session()).user()
                  : null);
      List<Message> out = new ArrayList<>();
      long before = 0;
      while (out.size() < limit) {
        int n = Math.min(PAGE, limit - out.size());
        HistoryQuery query = before > 0 ? HistoryQuery.before(before, n) : HistoryQuery.latest(n);
        MessagePage page = Account.await(client.history(s.room().id(), query));
        out.addAll(0, page.messages());
        if (!page.hasMore() || page.messages().isEmpty()) {
          break;
        }
        before = page.messages().get(0).seq();
      }
      MessagePrinter printer = output.printer(spec.commandLine().getOut());
      for (Message m : out) {
        printer.print(m, label);
      }
      return ExitCodes.OK;
    } finally {
      client.close();
    }
  }
}
