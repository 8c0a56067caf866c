package dev.natter.cli.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What {@code natter bench --workload} runs. */
enum Workload {
  /** N connections held, nothing sent: memory per connection. */
  IDLE("idle", true),
  /** One room of K members, R messages/s from a few senders in turn. */
  FANOUT("fanout", true),
  /** P DM pairs, both sides keeping W messages in flight; acked messages/s and ack latency. */
  DM("dm", false),
  /** Members paging a room's history back, W requests in flight each. */
  HISTORY("history", false),
  /** Fan-out with one member that never reads: the others' latency. */
  SLOW_READER("slow-reader", true);

  private final String cliName;
  private final boolean anyProtocol;

  Workload(String cliName, boolean anyProtocol) {
    this.cliName = cliName;
    this.anyProtocol = anyProtocol;
  }

  String cliName() {
    return cliName;
  }

  /** Whether relays and Socket.IO can run it too (else Natter only). */
  boolean anyProtocol() {
    return anyProtocol;
  }

  /** The workload named {@code name} on the command line. */
  static Workload parse(String name) {
    String n = name.strip().toLowerCase(Locale.ROOT);
    for (Workload w : values()) {
      if (w.cliName.equals(n) || w.name().equalsIgnoreCase(n)) {
        return w;
      }
    }
    throw new IllegalArgumentException("unknown workload '" + name + "' (one of " + names() + ")");
  }

  static String names() {
    return Arrays.stream(values()).map(Workload::cliName).collect(Collectors.joining(", "));
  }
}
