package dev.natter.cli.chat;

import picocli.CommandLine.Command;

/** TODO. */
@Command(name = "chat", mixinStandardHelpOptions = true)
public final class ChatCommand implements Runnable {
  @Override
  public void run() {}
}
