package dev.natter.cli.oneshot;

import dev.natter.cli.Account;
import dev.natter.cli.CliContext;
import dev.natter.cli.CliException;
import dev.natter.cli.ExitCodes;
import dev.natter.cli.Prompts;
import dev.natter.client.ChatClient;
import dev.natter.core.model.RoomSummary;
import dev.natter.core.protocol.ServerEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code natter send <room-or-@user> <text>}: posts one message and waits for the ack. */
@Command(
    name = "send",
    mixinStandardHelpOptions = true,
    description = {
      "Send one message and wait until it is stored.",
      "%nWaits for the server's ack, then prints the message's number in the room. ROOM is a"
          + " room id, a name or #name, or @user for the direct conversation with that user"
          + " (created if needed).",
      "%nWith --file (once per file) the files are uploaded into the room first and sent with"
          + " the message; the text may then be left out."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  natter send general 'deploy finished'",
      "  natter send @bob are you there?",
      "  natter send general --file shot.png 'the new logo'",
      "  make test 2>&1 | tail -n 5 | natter send builds -"
    })
public final class SendCommand extends RoomCommand {
  @Parameters(
      index = "1..*",
      arity = "0..*",
      paramLabel = "TEXT",
      description =
          "The message (words are joined with spaces), or a dash to read it from standard input.")
  List<String> text = new ArrayList<>();

  @Option(
      names = "--file",
      paramLabel = "PATH",
      description = "A file to send with the message; repeat it for several.")
  List<String> files = new ArrayList<>();

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "30",
      description = "How long to wait for the server's ack in seconds (default ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  SendCommand(CliContext context) {
    super(context);
  }

  @Override
  public Integer call() throws Exception {
    String body = String.join(" ", text);
    if (body.equals("-")) {
      body = Prompts.all(context).stripTrailing();
    }
    if (body.isBlank() && files.isEmpty()) {
      throw CliException.usage("the message is empty");
    }
    List<Path> paths = new ArrayList<>();
    for (String f : files) {
      Path p = context.workingDirectory().resolve(f).normalize();
      if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
        throw CliException.failure("no readable file " + p);
      }
      paths.add(p);
    }
    Account account = new Account(context, server.value());
    ChatClient client = account.clientBuilder().build();
    try {
      RoomSummary target = Rooms.resolve(client, room, true);
      try {
        client.connect().get(timeoutSeconds, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        throw Account.explainConnectFailure(e.getCause(), account.server());
      }
      List<String> fileIds = new ArrayList<>();
      for (Path p : paths) {
        fileIds.add(Account.await(client.upload(target.room().id(), p)).id());
      }
      ServerEvent.Ack ack =
          (fileIds.isEmpty()
                  ? client.send(target.room().id(), body)
                  : client.sendWithFiles(target.room().id(), body.strip(), fileIds))
              .get(timeoutSeconds, TimeUnit.SECONDS);
      String label = Rooms.label(target, Account.await(client.session()).user());
      String with =
          fileIds.isEmpty()
              ? ""
              : fileIds.size() == 1 ? " with 1 file" : " with " + fileIds.size() + " files";
      spec.commandLine().getOut().println("sent #" + ack.seq() + " to " + label + with);
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    } catch (TimeoutException e) {
      throw CliException.failure(
          "no ack from the server within " + timeoutSeconds + " s; the message may not be stored");
    } finally {
      client.close();
    }
  }
}
