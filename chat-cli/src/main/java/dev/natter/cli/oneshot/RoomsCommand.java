package dev.natter.cli.oneshot;

import dev.natter.cli.Account;
import dev.natter.cli.CliContext;
import dev.natter.cli.ExitCodes;
import dev.natter.client.ChatClient;
import dev.natter.codec.JsonCodec;
import dev.natter.core.model.RoomSummary;
import dev.natter.core.model.User;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code natter rooms}: my rooms. */
@Command(
    name = "rooms",
    mixinStandardHelpOptions = true,
    description = {
      "List your rooms, or the public ones to join.",
      "%nOne line per room: its name, kind, members, unread messages, the time of its last"
          + " message and its id."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  natter rooms",
      "  natter rooms --public          public rooms to join",
      "  natter rooms --json | jq -r '.[].name'"
    })
public final class RoomsCommand extends ClientCommand {
  @Option(names = "--json", description = "A JSON array of room summaries (protocol shape).")
  boolean json;

  @Option(names = "--public", description = "Public rooms you are not in, instead of yours.")
  boolean publicRooms;

  RoomsCommand(CliContext context) {
    super(context);
  }

  @Override
  public Integer call() {
    Account account = new Account(context, server.value());
    ChatClient client = account.httpClient();
    try {
      List<RoomSummary> rooms = Account.await(publicRooms ? client.publicRooms() : client.rooms());
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(JsonCodec.shared().encodeRoomSummaries(rooms));
        out.flush();
        return ExitCodes.OK;
      }
      User me = rooms.isEmpty() ? null : Account.await(client.session()).user();
      for (RoomSummary s : rooms) {
        out.printf(
            "%-24s %-8s %3d members  %4d unread  %s  %s%n",
            Rooms.label(s, me),
            s.room().kind() == dev.natter.core.model.RoomKind.DM
                ? "dm"
                : s.room().visibility().wireName(),
            s.members().size(),
            s.unread(),
            s.lastMessage() == null
                ? "-                   "
                : java.time.format.DateTimeFormatter.ISO_INSTANT.format(
                    s.lastMessage().ts().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)),
            s.room().id());
      }
      out.flush();
      return ExitCodes.OK;
    } finally {
      client.close();
    }
  }
}
