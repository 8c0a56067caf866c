package dev.natter.cli.bench;

import dev.natter.cli.CliException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One run of {@code natter bench}: set up (users and rooms), measure the server's memory, open the
 * connections, start the load, discard the warm-up, measure, stop sending, wait a little for what
 * is still due, measure the memory again with the connections held, close everything.
 */
final class BenchRun {
  private final BenchSpec spec;
  private final PrintWriter err;
  private final BenchClock clock = new BenchClock();
  private final String runId = Long.toString(new SecureRandom().nextInt(1 << 30), 36);

  BenchRun(BenchSpec spec, PrintWriter err) {
    this.spec = spec;
    this.err = err;
  }

  /** Runs it; null after {@code --setup-only}. */
  BenchResult run() throws InterruptedException {
    String startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    try (Progress progress = new Progress(err)) {
      Population population = populate(progress);
      if (spec.setupOnly()) {
        return null;
      }
      ServerProbe probe = spec.serverPid() == null ? null : ServerProbe.of(spec.serverPid());
      ServerProbe.Memory before = probe == null ? null : probe.memory();
      Meters meters = new Meters();
      Traffic traffic = Traffic.create(spec, population, meters, clock);
      Wire wire = spec.protocol().wire(traffic);
      try (Connections connections = new Connections(spec, wire, runId, meters, clock)) {
        progress.show(
            () ->
                "connecting: "
                    + connections.ready()
                    + " of "
                    + connections.planned()
                    + " ready"
                    + (connections.failed() > 0 ? ", " + connections.failed() + " failed" : ""));
        connections.open(population.plans());
        reportConnectFailures(connections);
        traffic.attach(connections.peers());
        progress.show(traffic::preparing);
        traffic.prepare(spec.connectTimeout());

        long start = clock.now();
        long from = start + spec.warmup().toNanos();
        long to = from + spec.duration().toNanos();
        meters.window(from, to);
        LoadLine line = new LoadLine(connections, meters, traffic, clock, from, to);
        progress.show(line::next);
        traffic.start(to);
        sleepUntil(from);
        Window window = Window.begin(meters, probe);
        sleepUntil(to);
        window.end(meters, probe);
        traffic.stop();
        long drainEnd = to + spec.drain().toNanos();
        while (!traffic.drained() && clock.now() < drainEnd) {
          Thread.sleep(20);
        }
        if (spec.workload() == Workload.SLOW_READER) {
          connections.resumeSlowReaders();
          long until = clock.now() + Math.min(spec.drain().toNanos(), TimeUnit.SECONDS.toNanos(2));
          while (connections.slowReaderEnd() == null && clock.now() < until) {
            Thread.sleep(20);
          }
        }
        progress.show(() -> "measuring the server's memory");
        int held = connections.open();
        ServerProbe.Memory after = probe == null ? null : probe.memory();
        return result(
            startedAt,
            population,
            connections,
            held,
            meters,
            traffic,
            window,
            probe,
            before,
            after);
      }
    }
  }

  private Population populate(Progress progress) {
    if (spec.protocol() != Protocol.NATTER) {
      return Population.anonymous(spec);
    }
    AccountBook book = AccountBook.open(spec.accounts(), spec.userPrefix());
    NatterSetup setup = new NatterSetup(new NatterApi(spec.target().base()), book);
    progress.show(setup::progress);
    Population p = setup.populate(spec);
    if (spec.setupOnly()) {
      err.println(
          "bench: set up "
              + p.users()
              + " bench users and their rooms for the "
              + spec.workload().cliName()
              + " workload"
              + (spec.accounts() == null ? "" : "; saved in " + spec.accounts()));
      err.flush();
    }
    return p;
  }

  private void reportConnectFailures(Connections c) {
    if (c.ready() == 0) {
      throw CliException.failure(
          "no connection got ready"
              + (c.firstFailure() == null ? "" : ": " + c.firstFailure())
              + (spec.protocol() == Protocol.NATTER
                  ? ""
                  : " (is it a " + spec.protocol().name().toLowerCase(Locale.ROOT) + " server?)"));
    }
    if (c.ready() < c.planned()) {
      err.println(
          "bench: only "
              + c.ready()
              + " of "
              + c.planned()
              + " connections got ready within "
              + spec.connectTimeout().toSeconds()
              + " s"
              + (c.firstFailure() == null ? "" : " (first failure: " + c.firstFailure() + ")")
              + "; running with those");
      err.flush();
    }
  }

  private void sleepUntil(long at) throws InterruptedException {
    long left;
    while ((left = at - clock.now()) > 0) {
      TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
    }
  }

  /** Counters and CPU times at the edges of the measured window. */
  private static final class Window {
    private long deliveries;
    private long acks;
    private long pages;
    private long wallNanos;
    private long generatorCpuNanos;
    private double serverCpuSeconds;

    static Window begin(Meters m, ServerProbe probe) {
      Window w = new Window();
      w.deliveries = -m.deliveries.count();
      w.acks = -m.acks.count();
      w.pages = -m.pages.count();
      w.wallNanos = -System.nanoTime();
      w.generatorCpuNanos = -generatorCpuNanos();
      w.serverCpuSeconds = probe == null ? 0 : -probe.cpuSeconds();
      return w;
    }

    void end(Meters m, ServerProbe probe) {
      deliveries += m.deliveries.count();
      acks += m.acks.count();
      pages += m.pages.count();
      wallNanos += System.nanoTime();
      generatorCpuNanos += generatorCpuNanos();
      serverCpuSeconds += probe == null ? 0 : probe.cpuSeconds();
    }

    double seconds() {
      return wallNanos / 1e9;
    }

    double perSecond(long count) {
      return Math.round(count / seconds() * 10) / 10.0;
    }

    private static long generatorCpuNanos() {
      return ManagementFactory.getOperatingSystemMXBean()
              instanceof com.sun.management.OperatingSystemMXBean os
          ? os.getProcessCpuTime()
          : 0;
    }
  }

  private BenchResult result(
      String startedAt,
      Population population,
      Connections connections,
      int held,
      Meters meters,
      Traffic traffic,
      Window window,
      ServerProbe probe,
      ServerProbe.Memory before,
      ServerProbe.Memory after) {
    boolean delivers = spec.workload() != Workload.IDLE && spec.workload() != Workload.HISTORY;
    boolean pages = spec.workload() == Workload.HISTORY;
    boolean acks = spec.protocol() == Protocol.NATTER && delivers;
    long expected = traffic.expectedDeliveries();
    return new BenchResult(
        spec.workload().cliName(),
        spec.protocol().name().toLowerCase(Locale.ROOT),
        spec.target().base().toString(),
        spec.describe(),
        startedAt,
        connections.planned(),
        connections.ready(),
        held,
        population.users() == 0 ? null : population.users(),
        spec.warmup().toMillis() / 1e3,
        Math.round(window.seconds() * 1000) / 1e3,
        meters.sentMeasured(),
        window.perSecond(meters.sentMeasured()),
        delivers ? window.deliveries : null,
        delivers ? window.perSecond(window.deliveries) : null,
        delivers ? expected : null,
        delivers ? Math.max(0, expected - meters.deliveries.measuredCount()) : null,
        delivers ? BenchResult.Latency.of(meters.deliveries.takeWindow()) : null,
        acks ? window.acks : null,
        acks ? window.perSecond(window.acks) : null,
        acks ? BenchResult.Latency.of(meters.acks.takeWindow()) : null,
        pages ? window.pages : null,
        pages ? window.perSecond(window.pages) : null,
        pages ? BenchResult.Latency.of(meters.pages.takeWindow()) : null,
        meters.errors(),
        meters.closes(),
        serverFigures(probe, before, after, held, window),
        Math.round(window.generatorCpuNanos / 1e9 / window.seconds() * 1000) / 10.0,
        spec.workload() == Workload.SLOW_READER
            ? (connections.slowReaderEnd() == null ? "open" : connections.slowReaderEnd())
            : null);
  }

  private static BenchResult.ServerFigures serverFigures(
      ServerProbe probe,
      ServerProbe.Memory before,
      ServerProbe.Memory after,
      int held,
      Window window) {
    if (probe == null) {
      return null;
    }
    Double rssPer = held == 0 ? null : round((after.rssKib() - before.rssKib()) / (double) held);
    boolean heap = before.heapKib() != null && after.heapKib() != null;
    Double heapPer =
        heap && held > 0 ? round((after.heapKib() - before.heapKib()) / (double) held) : null;
    return new BenchResult.ServerFigures(
        probe.pid(),
        before.rssKib(),
        after.rssKib(),
        rssPer,
        before.heapKib(),
        after.heapKib(),
        heapPer,
        Math.round(window.serverCpuSeconds / window.seconds() * 1000) / 10.0);
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }

  /** The progress line during the load: phase, connections, rates of the last second, latency. */
  private static final class LoadLine {
    private final Connections connections;
    private final Meters meters;
    private final Traffic traffic;
    private final BenchClock clock;
    private final long from;
    private final long to;
    private long lastAt;
    private long lastSent;
    private long lastDeliveries;
    private long lastAcks;
    private long lastPages;

    LoadLine(
        Connections connections,
        Meters meters,
        Traffic traffic,
        BenchClock clock,
        long from,
        long to) {
      this.connections = connections;
      this.meters = meters;
      this.traffic = traffic;
      this.clock = clock;
      this.from = from;
      this.to = to;
      this.lastAt = clock.now();
    }

    String next() {
      long now = clock.now();
      double s = Math.max(1e-3, (now - lastAt) / 1e9);
      lastAt = now;
      StringBuilder b = new StringBuilder();
      if (now < from) {
        b.append(
            String.format(
                Locale.ROOT, "warm-up %ds left", (from - now + 999_999_999) / 1_000_000_000));
      } else if (now < to) {
        b.append(
            String.format(
                Locale.ROOT, "measuring %ds left", (to - now + 999_999_999) / 1_000_000_000));
      } else {
        b.append("draining");
      }
      b.append(" | connections ")
          .append(connections.open())
          .append('/')
          .append(connections.planned());
      long sent = meters.sent();
      long deliveries = meters.deliveries.count();
      long acks = meters.acks.count();
      long pages = meters.pages.count();
      appendRate(b, "sent", sent - lastSent, s);
      appendRate(b, "deliveries", deliveries - lastDeliveries, s);
      appendRate(b, "acks", acks - lastAcks, s);
      appendRate(b, "pages", pages - lastPages, s);
      lastSent = sent;
      lastDeliveries = deliveries;
      lastAcks = acks;
      lastPages = pages;
      LatencyMeter primary = traffic.primary();
      if (primary != null) {
        BenchResult.Latency l = BenchResult.Latency.of(primary.takeRecent());
        if (l != null) {
          b.append(String.format(Locale.ROOT, " | p50 %.1f ms p99 %.1f ms", l.p50(), l.p99()));
        }
      }
      if (meters.errorCount() > 0) {
        b.append(" | errors ").append(Fmt.count(meters.errorCount()));
      }
      if (meters.closeCount() > 0) {
        b.append(" | closed by the server ").append(Fmt.count(meters.closeCount()));
      }
      return b.toString();
    }

    private static void appendRate(StringBuilder b, String what, long count, double seconds) {
      if (count > 0) {
        b.append(" | ").append(what).append(' ').append(Fmt.rate(count / seconds)).append("/s");
      }
    }
  }
}
