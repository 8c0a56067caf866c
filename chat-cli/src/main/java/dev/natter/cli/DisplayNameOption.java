package dev.natter.cli;

import picocli.CommandLine.Option;

/** The {@code --display-name} option of the commands that create an account. */
public final class DisplayNameOption {
  @Option(
      names = "--display-name",
      paramLabel = "NAME",
      description = "The name others see (default: the username).")
  String displayName;

  /**
   * The option's value.
   *
   * @return the display name, or null for the default (the username)
   */
  public String value() {
    return displayName;
  }
}
