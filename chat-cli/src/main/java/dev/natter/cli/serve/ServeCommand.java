package dev.natter.cli.serve;

import picocli.CommandLine.Command;

/** TODO. */
@Command(name = "serve", mixinStandardHelpOptions = true)
public final class ServeCommand implements Runnable {
  @Override
  public void run() {}
}
