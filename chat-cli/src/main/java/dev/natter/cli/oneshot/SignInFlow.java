package dev.natter.cli.oneshot;

import dev.natter.cli.Account;
import dev.natter.cli.CliContext;
import dev.natter.cli.Prompts;
import dev.natter.client.Session;
import picocli.CommandLine.Model.CommandSpec;

/** What {@code natter login} and {@code natter register} share. */
final class SignInFlow {
  private SignInFlow() {}

  /**
   * Asks for the username when it is missing and for the password (twice to register), logs in or
   * registers ({@code displayName} may be null), saves the token with {@link Account#signIn} and
   * says so. Returns the exit code.
   */
  static int run(
      CliContext context,
      CommandSpec spec,
      ServerOption server,
      String username,
      boolean passwordStdin,
      boolean register,
      String displayName) {
    String user = username != null ? username : Prompts.ask("username");
    String password = Prompts.password(context, passwordStdin, register);
    Account account = new Account(context, server.value());
    Session in = account.signIn(user, password, register, displayName);
    String done = register ? "registered " : "logged in as ";
    spec.commandLine()
        .getOut()
        .println(done + in.user().username() + " on " + account.server() + "; token saved");
    return 0;
  }
}
