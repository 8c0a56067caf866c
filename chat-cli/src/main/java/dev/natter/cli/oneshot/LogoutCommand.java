package dev.natter.cli.oneshot;

import dev.natter.cli.Account;
import dev.natter.cli.CliContext;
import dev.natter.client.ChatClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code natter logout}: revokes the saved session and forgets the token. */
@Command(
    name = "logout",
    mixinStandardHelpOptions = true,
    description = {
      "Revoke the saved session on the server (its open connections close) and remove the",
      "token from the config file. The server and username stay for the next login."
    },
    footerHeading = "%nExamples:%n",
    footer = {"  natter logout"})
public final class LogoutCommand implements Callable<Integer> {
  private final CliContext context;

  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin ServerOption server;

  LogoutCommand(CliContext context) {
    this.context = context;
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
    return 0;
  }
}
