package dev.natter.cli.admin;

import picocli.CommandLine.Command;

/** TODO. */
@Command(name = "admin", mixinStandardHelpOptions = true)
public final class AdminCommand implements Runnable {
  @Override
  public void run() {}
}
