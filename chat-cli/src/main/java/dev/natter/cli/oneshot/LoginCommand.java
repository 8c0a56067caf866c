package dev.natter.cli.oneshot;

import dev.natter.cli.CliContext;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code natter login}: signs in and saves the token. */
@Command(
    name = "login",
    mixinStandardHelpOptions = true,
    description = {
      "Sign in and save the session token and the server in the config file",
      "($NATTER_CONFIG, default ~/.config/natter/config.json, mode 0600). The other client",
      "commands use it."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  natter login -u alice",
      "  natter login -u alice --server http://chat.example:8080",
      "  pass show natter | natter login -u alice --password-stdin"
    })
public final class LoginCommand implements Callable<Integer> {
  private final CliContext context;

  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin ServerOption server;

  @Option(
      names = {"-u", "--username"},
      description = "Who to sign in as (asked for when missing).")
  String username;

  @Option(names = "--password-stdin", description = "Read the password from standard input.")
  boolean passwordStdin;

  LoginCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    return SignInFlow.run(context, spec, server, username, passwordStdin, false, null);
  }
}
