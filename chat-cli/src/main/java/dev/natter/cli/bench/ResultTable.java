package dev.natter.cli.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The result as a Markdown table for a terminal or a report. */
final class ResultTable {
  private ResultTable() {}

  static void print(BenchResult r, PrintWriter out) {
    out.println("natter bench: " + r.description());
    out.printf(
        Locale.ROOT,
        "warm-up %.0f s (discarded), measured %.1f s, started %s%n%n",
        r.warmupSeconds(),
        r.measuredSeconds(),
        r.startedAt());
    List<String[]> rows = rows(r);
    int width = rows.stream().mapToInt(row -> row[0].length()).max().orElse(6);
    out.printf("| %-" + width + "s | %s |%n", "figure", "value");
    out.println("|" + "-".repeat(width + 2) + "|-------|");
    for (String[] row : rows) {
      out.printf("| %-" + width + "s | %s |%n", row[0], row[1]);
    }
    out.flush();
  }

  static List<String[]> rows(BenchResult r) {
    List<String[]> rows = new ArrayList<>();
    rows.add(
        row(
            "connections held",
            Fmt.count(r.connectionsHeld())
                + " of "
                + Fmt.count(r.connections())
                + (r.connectionsReady() < r.connections()
                    ? " (" + Fmt.count(r.connectionsReady()) + " got ready)"
                    : "")
                + (r.users() == null ? "" : ", " + Fmt.count(r.users()) + " users")));
    if (!r.workload().equals("idle")) {
      rows.add(
          row(
              r.workload().equals("history") ? "history requests sent" : "messages sent",
              Fmt.count(r.sent()) + " (" + Fmt.rate(r.sentPerSecond()) + "/s)"));
    }
    if (r.deliveries() != null) {
      rows.add(
          row(
              "deliveries",
              Fmt.count(r.deliveries()) + " (" + Fmt.rate(r.deliveriesPerSecond()) + "/s)"));
      rows.add(
          row(
              "not delivered within the run",
              Fmt.count(r.notDelivered()) + " of " + Fmt.count(r.expectedDeliveries())));
      rows.add(row("delivery latency p50 / p99 / p99.9 / max", latency(r.latency())));
    }
    if (r.acks() != null) {
      rows.add(row("acks", Fmt.count(r.acks()) + " (" + Fmt.rate(r.acksPerSecond()) + "/s)"));
      rows.add(row("ack latency p50 / p99 / p99.9 / max", latency(r.ackLatency())));
    }
    if (r.pages() != null) {
      rows.add(
          row("history pages", Fmt.count(r.pages()) + " (" + Fmt.rate(r.pagesPerSecond()) + "/s)"));
      rows.add(row("page latency p50 / p99 / p99.9 / max", latency(r.pageLatency())));
    }
    if (r.slowReader() != null) {
      rows.add(row("the client that never reads", r.slowReader()));
    }
    BenchResult.ServerFigures s = r.serverProcess();
    if (s != null) {
      rows.add(
          row(
              "server RSS (pid " + s.pid() + ")",
              Fmt.kib(s.rssBeforeKib())
                  + " before connecting, "
                  + Fmt.kib(s.rssAfterKib())
                  + " with the connections"
                  + perConnection(s.rssPerConnectionKib())));
      rows.add(
          row(
              "server heap after GC",
              s.heapAfterKib() == null
                  ? "unknown (not a JVM, or no jcmd on the PATH)"
                  : Fmt.kib(s.heapBeforeKib())
                      + " before connecting, "
                      + Fmt.kib(s.heapAfterKib())
                      + " with the connections"
                      + perConnection(s.heapPerConnectionKib())));
      rows.add(row("server CPU (measured window)", percent(s.cpuPercent())));
    }
    rows.add(row("load generator CPU", percent(r.generatorCpuPercent())));
    rows.add(row("errors", counts(r.errors())));
    if (r.errors().containsKey("rate_limited")) {
      rows.add(
          row(
              "hint",
              "the server refused sends over its send rate limit: run it with e.g."
                  + " natter serve --send-rate 1000000/1s"));
    }
    rows.add(row("closed by the server", counts(r.closes())));
    return rows;
  }

  private static String[] row(String figure, String value) {
    return new String[] {figure, value};
  }

  private static String latency(BenchResult.Latency l) {
    if (l == null) {
      return "none measured";
    }
    return Fmt.ms(l.p50() * 1e6)
        + " / "
        + Fmt.ms(l.p99() * 1e6)
        + " / "
        + Fmt.ms(l.p999() * 1e6)
        + " / "
        + Fmt.ms(l.max() * 1e6)
        + " ms ("
        + Fmt.count(l.count())
        + " samples)";
  }

  private static String perConnection(Double kib) {
    return kib == null ? "" : " (" + (kib >= 0 ? "+" : "") + Fmt.kib(kib) + " per connection)";
  }

  private static String percent(double p) {
    return String.format(Locale.ROOT, "%.0f %% of one core", p);
  }

  private static String counts(Map<String, Long> counts) {
    if (counts.isEmpty()) {
      return "none";
    }
    return counts.entrySet().stream()
        .map(e -> e.getKey() + ": " + Fmt.count(e.getValue()))
        .collect(Collectors.joining(", "));
  }
}
