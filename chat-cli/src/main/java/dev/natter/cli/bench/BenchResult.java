package dev.natter.cli.bench;

import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The figures of one run, printed as a table and written as JSON ({@code --json}). Latencies are in
 * milliseconds, sizes in KiB, rates per second of the measured window; fields that do not apply to
 * a workload are null (left out of the JSON).
 *
 * @param sent messages (or requests) intended within the measured window
 * @param deliveries messages received by reading peers during the window
 * @param expectedDeliveries deliveries due for the messages intended within the window
 * @param notDelivered of those, the ones that had not arrived when the run ended
 * @param latency end-to-end delivery latency, from the intended send time
 * @param closes connections closed by the server (close code and reason: count)
 * @param slowReader how the connection that never read ended ("open" when it did not)
 */
record BenchResult(
    String workload,
    String protocol,
    String server,
    String description,
    String startedAt,
    int connections,
    int connectionsReady,
    int connectionsHeld,
    Integer users,
    double warmupSeconds,
    double measuredSeconds,
    long sent,
    double sentPerSecond,
    Long deliveries,
    Double deliveriesPerSecond,
    Long expectedDeliveries,
    Long notDelivered,
    Latency latency,
    Long acks,
    Double acksPerSecond,
    Latency ackLatency,
    Long pages,
    Double pagesPerSecond,
    Latency pageLatency,
    Map<String, Long> errors,
    Map<String, Long> closes,
    ServerFigures serverProcess,
    double generatorCpuPercent,
    String slowReader) {

  /** Percentiles of a latency histogram, in milliseconds. */
  record Latency(long count, double p50, double p90, double p99, double p999, double max) {
    /** The percentiles of {@code h} (nanoseconds), or null when it is empty. */
    static Latency of(Histogram h) {
      if (h.getTotalCount() == 0) {
        return null;
      }
      return new Latency(
          h.getTotalCount(),
          ms(h.getValueAtPercentile(50)),
          ms(h.getValueAtPercentile(90)),
          ms(h.getValueAtPercentile(99)),
          ms(h.getValueAtPercentile(99.9)),
          ms(h.getMaxValue()));
    }

    private static double ms(long nanos) {
      return Math.round(nanos / 1e3) / 1e3;
    }
  }

  /**
   * The server process ({@code --server-pid}): resident memory and heap after a full GC before the
   * connections were opened and at the end with them held, the growth per held connection, and its
   * CPU use during the window in percent of one core.
   */
  record ServerFigures(
      long pid,
      long rssBeforeKib,
      long rssAfterKib,
      Double rssPerConnectionKib,
      Long heapBeforeKib,
      Long heapAfterKib,
      Double heapPerConnectionKib,
      double cpuPercent) {}
}
