package dev.natter.cli.oneshot;

import dev.natter.cli.CliContext;
import dev.natter.cli.DisplayNameOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code natter register}: creates an account and saves its token. */
@Command(
    name = "register",
    mixinStandardHelpOptions = true,
    description = {
      "Create an account and save its session token.",
      SignInCommand.WHERE_THE_TOKEN_GOES
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  natter register -u alice       asks for the password twice",
      "  echo \"$PW\" | natter register -u bot --password-stdin",
      "  natter register -u alice --server http://chat:8080"
    })
public final class RegisterCommand extends SignInCommand {
  @Mixin DisplayNameOption displayName;

  RegisterCommand(CliContext context) {
    super(context);
  }

  @Override
  public Integer call() {
    return signIn(true, displayName.value());
  }
}
