package dev.natter.cli.oneshot;

import dev.natter.cli.Account;
import dev.natter.cli.CliContext;
import dev.natter.cli.ExitCodes;
import dev.natter.cli.PasswordOption;
import dev.natter.cli.Prompts;
import dev.natter.client.Session;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What {@code natter login} and {@code natter register} share: the prompt-and-save flow. */
abstract class SignInCommand extends ClientCommand {
  /** The help paragraph that says where the token goes. */
  static final String WHERE_THE_TOKEN_GOES =
      "%nThe token and the server are saved with mode 0600 in the config file, where the other"
          + " client commands find them: $NATTER_CONFIG, or else config.json in"
          + " $XDG_CONFIG_HOME/natter or ~/.config/natter.";

  @Option(
      names = {"-u", "--username"},
      paramLabel = "USERNAME",
      description = "3-32 letters, digits, '.', '_' or '-' (asked for when missing).")
  String username;

  @Mixin PasswordOption password;

  SignInCommand(CliContext context) {
    super(context);
  }

  /**
   * Asks for the username when it is missing and for the password (twice to register), logs in or
   * registers ({@code displayName} may be null), saves the token with {@link Account#signIn} and
   * says so.
   */
  int signIn(boolean register, String displayName) {
    String user = username != null ? username : Prompts.ask("username");
    String secret = password.read(context, register);
    Account account = new Account(context, server.value());
    Session in = account.signIn(user, secret, register, displayName);
    String done = register ? "registered " : "logged in as ";
    spec.commandLine()
        .getOut()
        .println(done + in.user().username() + " on " + account.server() + "; token saved");
    return ExitCodes.OK;
  }
}
