package dev.natter.transport.bench;

import java.util.Arrays;

/**
 * The transport fan-out benchmark's server side that lives here: the bare Tyrus relay ({@link
 * BareTyrusServer}). The load generator that drove it is now {@code natter bench} (chat-cli, raw
 * NIO WebSocket clients speaking Natter, a relay or Socket.IO), and {@code bench/compare.sh} runs
 * the comparison; see docs/benchmarks.md.
 *
 * <pre>
 * taskset -c 0 java -cp CP dev.natter.transport.bench.FanoutBench bare-tyrus [port] [port-file]
 * </pre>
 */
public final class FanoutBench {
  private FanoutBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("bare-tyrus")) {
      BareTyrusServer.main(Arrays.copyOfRange(args, 1, args.length));
    } else {
      System.err.println(
          "usage: bare-tyrus [port] [port-file]  (the load generator is `natter bench`;"
              + " bench/compare.sh runs the comparison)");
      System.exit(2);
    }
  }
}
