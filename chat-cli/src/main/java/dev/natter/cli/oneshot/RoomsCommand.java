package dev.natter.cli.oneshot;

import picocli.CommandLine.Command;

/** TODO. */
@Command(name = "rooms", mixinStandardHelpOptions = true)
public final class RoomsCommand implements Runnable {
  @Override
  public void run() {}
}
