package dev.natter.cli;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Log output of the libraries (java.util.logging): one line per record on stderr, only warnings and
 * errors from Grizzly and Tyrus, and nothing at all while the terminal client owns the screen.
 */
final class Logging {
  private static final Logger ROOT = Logger.getLogger("");
  private static final Logger GLASSFISH = Logger.getLogger("org.glassfish");

  private Logging() {}

  static void configure(String[] args) {
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT %4$s %3$s: %5$s%6$s%n");
    }
    boolean chat = args.length > 0 && args[0].equals("chat");
    if (chat) {
      ROOT.setLevel(Level.OFF); // a log line would tear the screen apart
    } else {
      GLASSFISH.setLevel(Level.WARNING);
    }
  }
}
