package dev.natter.cli.oneshot;

import picocli.CommandLine.Command;

/** TODO. */
@Command(name = "history", mixinStandardHelpOptions = true)
public final class HistoryCommand implements Runnable {
  @Override
  public void run() {}
}
