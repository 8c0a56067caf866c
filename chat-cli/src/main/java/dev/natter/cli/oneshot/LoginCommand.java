package dev.natter.cli.oneshot;

import picocli.CommandLine.Command;

/** TODO. */
@Command(name = "login", mixinStandardHelpOptions = true)
public final class LoginCommand implements Runnable {
  @Override
  public void run() {}
}
