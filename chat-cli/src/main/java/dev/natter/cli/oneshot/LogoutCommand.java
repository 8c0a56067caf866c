package dev.natter.cli.oneshot;

import dev.natter.cli.Account;
import dev.natter.cli.CliContext;
import dev.natter.cli.ExitCodes;
import dev.natter.client.ChatClient;
import picocli.CommandLine.Command;

/** {@code natter logout}: revokes the saved session and forgets the token. */
@Command(
    name = "logout",
    mixinStandardHelpOptions = true,
    description = {
      "End the saved session and forget its token.",
      "%nThe server revokes the session, which closes its open connections, and the token is"
          + " removed from the config file. The server and the username stay for the next login."
    },
    footerHeading = "%nExamples:%n",
    footer = {"  natter logout"})
public final class LogoutCommand extends ClientCommand {
  LogoutCommand(CliContext context) {
    super(context);
  }

  @Override
  public Integer call() {
    Account account = new Account(context, server.value());
    ChatClient client = account.httpClient();
    try {
      Account.await(client.logout());
    } finally {
      client.close();
    }
    if (context.env("NATTER_TOKEN") == null) {
      account.forgetToken();
    }
    spec.commandLine().getOut().println("logged out of " + account.server());
    return ExitCodes.OK;
  }
}
