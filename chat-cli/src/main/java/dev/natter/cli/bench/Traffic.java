package dev.natter.cli.bench;

import java.time.Duration;
import java.util.List;

/**
 * The load of one workload, started once every peer is ready, and what it makes of what the peers
 * receive. Subclasses decide when to send; this class counts.
 */
abstract class Traffic implements PeerEvents {
  protected final Meters meters;
  protected final BenchClock clock;
  protected List<Peer> peers = List.of();
  protected volatile long stopAt = Long.MAX_VALUE;

  Traffic(Meters meters, BenchClock clock) {
    this.meters = meters;
    this.clock = clock;
  }

  static Traffic create(BenchSpec spec, Population population, Meters meters, BenchClock clock) {
    return switch (spec.workload()) {
      case IDLE -> new IdleTraffic(meters, clock);
      case FANOUT, SLOW_READER ->
          new PacedTraffic(meters, clock, population.senders(), spec.rate(), 0, false);
      case DM ->
          spec.rate() > 0
              ? new PacedTraffic(meters, clock, population.plans().size(), spec.rate(), 2, true)
              : new ClosedLoopTraffic(meters, clock, spec.inFlight(), 2);
      case HISTORY -> new HistoryTraffic(meters, clock, spec.inFlight(), population.historyFill());
    };
  }

  /** The peers, in the population's order, before anything starts. */
  void attach(List<Peer> peers) {
    this.peers = List.copyOf(peers);
  }

  /** Work before the warm-up (filling history); returns within {@code timeout}. */
  void prepare(Duration timeout) throws InterruptedException {}

  /** A line about {@link #prepare}'s progress, or null when there is none. */
  String preparing() {
    return null;
  }

  /** Starts the load; nothing is sent that is intended at or after {@code stopAt}. */
  abstract void start(long stopAt);

  /** Stops sending (already stopped past {@code stopAt}). */
  void stop() {
    stopAt = Math.min(stopAt, clock.now());
  }

  /** The meter that says most about this workload (null: none, the idle workload). */
  abstract LatencyMeter primary();

  /** Deliveries due for the messages intended within the window. */
  long expectedDeliveries() {
    return 0;
  }

  /** Answers (acks, pages) due for the requests intended within the window. */
  long expectedAnswers() {
    return 0;
  }

  /** Whether everything due for the window has arrived. */
  boolean drained() {
    return meters.deliveries.measuredCount() >= expectedDeliveries()
        && answered() >= expectedAnswers();
  }

  /** Answers that arrived for requests intended within the window. */
  long answered() {
    return 0;
  }

  /** Sends one load message (or request) from {@code peer}, counting it. */
  protected void send(Peer peer, long intended, byte[] payload) {
    meters.sent(intended, peer.send(payload));
  }

  @Override
  public void delivered(Peer peer, long intended, long now) {
    if (peer.reads()) {
      meters.delivered(intended, now);
    }
  }

  @Override
  public void acked(Peer peer, long intended, long now) {
    if (intended >= 0) {
      meters.acked(intended, now);
    }
  }

  @Override
  public void failed(Peer peer, long intended, String code, long now) {
    meters.error(code);
  }

  @Override
  public void page(Peer peer, long intended, long oldestSeq, boolean hasMore, long now) {
    if (intended >= 0) {
      meters.paged(intended, now);
    }
  }
}
