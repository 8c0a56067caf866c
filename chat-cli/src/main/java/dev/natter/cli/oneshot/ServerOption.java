package dev.natter.cli.oneshot;

import picocli.CommandLine.Option;

/** The {@code --server} option of the client commands. */
public final class ServerOption {
  @Option(
      names = {"-s", "--server"},
      paramLabel = "URL",
      description =
          "Server URL (env NATTER_SERVER; default: the one saved by login, else"
              + " http://127.0.0.1:8080).")
  String server;

  public String value() {
    return server;
  }
}
