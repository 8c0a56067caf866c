package dev.natter.cli;

import picocli.CommandLine.Option;

/** The {@code --server} option of the client commands: the server's URL, or null when not given. */
public final class ServerOption {
  @Option(
      names = {"-s", "--server"},
      paramLabel = "URL",
      description =
          "Server URL (env NATTER_SERVER; default: the one saved by login, else the local one on"
              + " port 8080).")
  String server;

  /**
   * The option's value.
   *
   * @return the URL as given, or null when the option is missing
   */
  public String value() {
    return server;
  }
}
