package dev.natter.cli.oneshot;

import picocli.CommandLine.Command;

/** TODO. */
@Command(name = "register", mixinStandardHelpOptions = true)
public final class RegisterCommand implements Runnable {
  @Override
  public void run() {}
}
