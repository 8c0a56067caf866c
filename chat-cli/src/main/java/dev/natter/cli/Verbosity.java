package dev.natter.cli;

import picocli.CommandLine.Option;

/**
 * The {@code --verbose} option: log at level info on stderr instead of only warnings and errors
 * ({@code NATTER_LOG_LEVEL}, when set, decides instead). Read by the application's logging set-up
 * before the command runs.
 */
public final class Verbosity {
  @Option(
      names = "--verbose",
      description =
          "Log what the server and its libraries do (level info) on stderr, not only warnings"
              + " and errors. NATTER_LOG_LEVEL, when set, decides instead.")
  boolean verbose;

  /**
   * Whether {@code --verbose} was given.
   *
   * @return true to log at level info
   */
  public boolean verbose() {
    return verbose;
  }
}
