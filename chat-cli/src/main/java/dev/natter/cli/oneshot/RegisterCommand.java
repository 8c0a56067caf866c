package dev.natter.cli.oneshot;

import dev.natter.cli.CliContext;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code natter register}: creates an account and saves its token. */
@Command(
    name = "register",
    mixinStandardHelpOptions = true,
    description = {
      "Create an account on the server and save its session token in the config file",
      "($NATTER_CONFIG, default ~/.config/natter/config.json, mode 0600)."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  natter register -u alice                       asks for the password twice",
      "  echo \"$PW\" | natter register -u bot --password-stdin --display-name 'Build bot'",
      "  natter register -u alice --server http://chat.example:8080"
    })
public final class RegisterCommand implements Callable<Integer> {
  private final CliContext context;

  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin ServerOption server;

  @Option(
      names = {"-u", "--username"},
      description = "3-32 letters, digits, '.', '_' or '-' (asked for when missing).")
  String username;

  @Option(names = "--display-name", description = "The name others see (default: the username).")
  String displayName;

  @Option(names = "--password-stdin", description = "Read the password from standard input.")
  boolean passwordStdin;

  RegisterCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() {
    return SignInFlow.run(context, spec, server, username, passwordStdin, true, displayName);
  }
}
