package dev.natter.cli.oneshot;

import dev.natter.cli.Account;
import dev.natter.cli.CliContext;
import dev.natter.cli.CliException;
import dev.natter.cli.ExitCodes;
import dev.natter.client.ChatClient;
import dev.natter.client.ChatListener;
import dev.natter.client.ConnectionEvent;
import dev.natter.client.ConnectionState;
import dev.natter.client.HistoryQuery;
import dev.natter.core.model.Message;
import dev.natter.core.model.RoomKind;
import dev.natter.core.model.RoomSummary;
import dev.natter.core.protocol.ServerEvent;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code natter tail <room>}: streams new messages until interrupted. */
@Command(
    name = "tail",
    mixinStandardHelpOptions = true,
    description = {
      "Print a room's new messages as they arrive.",
      "%nOne line per message (or one JSON object), until interrupted (Ctrl-C). It reconnects by"
          + " itself and prints what was missed meanwhile, once and in order."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  natter tail general",
      "  natter tail general -n 10      the last 10 first",
      "  natter tail @bob --json | jq -r .body"
    })
public final class TailCommand extends RoomCommand {
  @Option(
      names = {"-n", "--last"},
      paramLabel = "N",
      defaultValue = "0",
      description = "Print the last N messages first (default ${DEFAULT-VALUE}, at most 100).")
  int last;

  @Mixin MessageOutput output;

  TailCommand(CliContext context) {
    super(context);
  }

  @Override
  public Integer call() throws Exception {
    if (last < 0 || last > 100) {
      throw CliException.usage("-n must be between 0 and 100");
    }
    Account account = new Account(context, server.value());
    PrintWriter out = spec.commandLine().getOut();
    MessagePrinter printer = output.printer(out);
    RoomSummary target;
    String label;
    long from;
    ChatClient http = account.httpClient();
    try {
      target = Rooms.resolve(http, room, false);
      label =
          Rooms.label(
              target,
              target.room().kind() == RoomKind.DM ? Account.await(http.session()).user() : null);
      from = target.lastSeq();
      if (last > 0) {
        for (Message m :
            Account.await(http.history(target.room().id(), HistoryQuery.latest(last))).messages()) {
          printer.print(m, label);
          from = Math.max(from, m.seq());
        }
      }
    } finally {
      http.close();
    }
    String roomId = target.room().id();
    CountDownLatch ended = new CountDownLatch(1);
    AtomicReference<ConnectionState> finalState = new AtomicReference<>();
    ChatClient client = account.clientBuilder().resumeFrom(Map.of(roomId, from)).build();
    client.addListener(
        new ChatListener() {
          @Override
          public void onEvent(ChatClient c, ServerEvent event) {
            if (event instanceof ServerEvent.MessageEvent e && e.message().room().equals(roomId)) {
              printer.print(e.message(), label);
            }
          }

          @Override
          public void onConnectionEvent(ChatClient c, ConnectionEvent event) {
            if (event instanceof ConnectionEvent.StateChanged s && s.state().isTerminal()) {
              finalState.set(s.state());
              ended.countDown();
            }
          }
        });
    Thread hook = new Thread(client::close, "natter-tail-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      try {
        client.connect().get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        throw Account.explainConnectFailure(e.getCause(), account.server());
      }
      ended.await();
      throw CliException.failure(
          finalState.get() == ConnectionState.SIGNED_OUT
              ? "the session was revoked or expired: run 'natter login'"
              : "the server closed the connection");
    } catch (InterruptedException e) {
      return ExitCodes.OK;
    } finally {
      client.close();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // shutting down
      }
    }
  }
}
