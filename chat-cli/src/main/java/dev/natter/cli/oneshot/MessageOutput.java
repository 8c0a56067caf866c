package dev.natter.cli.oneshot;

import java.io.PrintWriter;
import picocli.CommandLine.Option;

/** The {@code --json} option of the commands that print messages, and the printer it picks. */
final class MessageOutput {
  @Option(names = "--json", description = "One JSON object per line (protocol message shape).")
  boolean json;

  /** Prints messages as text lines, or as JSON lines with {@code --json}. */
  MessagePrinter printer(PrintWriter out) {
    return new MessagePrinter(out, json);
  }
}
