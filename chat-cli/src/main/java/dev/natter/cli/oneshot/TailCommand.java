package dev.natter.cli.oneshot;

import picocli.CommandLine.Command;

/** TODO. */
@Command(name = "tail", mixinStandardHelpOptions = true)
public final class TailCommand implements Runnable {
  @Override
  public void run() {}
}
