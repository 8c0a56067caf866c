package dev.natter.cli.oneshot;

import picocli.CommandLine.Command;

/** TODO. */
@Command(name = "send", mixinStandardHelpOptions = true)
public final class SendCommand implements Runnable {
  @Override
  public void run() {}
}
