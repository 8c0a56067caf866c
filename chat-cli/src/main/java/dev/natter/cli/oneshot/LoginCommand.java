package dev.natter.cli.oneshot;

import dev.natter.cli.CliContext;
import picocli.CommandLine.Command;

/** {@code natter login}: signs in and saves the token. */
@Command(
    name = "login",
    mixinStandardHelpOptions = true,
    description = {"Sign in and save the session token.", SignInCommand.WHERE_THE_TOKEN_GOES},
    footerHeading = "%nExamples:%n",
    footer = {
      "  natter login -u alice",
      "  natter login -u alice --server http://chat:8080",
      "  pass show natter | natter login -u alice --password-stdin"
    })
public final class LoginCommand extends SignInCommand {
  LoginCommand(CliContext context) {
    super(context);
  }

  @Override
  public Integer call() {
    return signIn(false, null);
  }
}
