package dev.natter.cli.bench;

import java.util.concurrent.locks.LockSupport;

/**
 * Room fan-out on a fixed schedule: message k is intended at {@code start + k / rate} and sent by
 * sender {@code k mod senders}. The schedule never waits for the server: a sender that falls behind
 * sends what is due at once, still stamped with the intended times, so a stall shows as latency
 * instead of hiding it (no coordinated omission). Every reading peer is a recipient, or a fixed
 * number per message (DM pairs: both members, the sender's own connection included).
 *
 * <p>DM pairs on a schedule ({@code natter bench --workload dm --rate R}): every peer sends in
 * turn, and the main figure is the ack latency (the ack follows the commit), from the intended
 * time.
 */
final class PacedTraffic extends Traffic {
  private final int senders;
  private final double rate;
  private final int recipientsPerMessage;
  private final boolean acksFirst;
  private int recipients;
  private Thread thread;

  /**
   * @param recipientsPerMessage deliveries each message makes; 0: every peer that reads
   * @param acksFirst whether the ack latency is the main figure (else the delivery latency)
   */
  PacedTraffic(
      Meters meters,
      BenchClock clock,
      int senders,
      double rate,
      int recipientsPerMessage,
      boolean acksFirst) {
    super(meters, clock);
    this.senders = senders;
    this.rate = rate;
    this.recipientsPerMessage = recipientsPerMessage;
    this.acksFirst = acksFirst;
  }

  @Override
  void start(long stopAt) {
    this.stopAt = stopAt;
    recipients =
        recipientsPerMessage > 0
            ? recipientsPerMessage
            : (int) peers.stream().filter(Peer::reads).count();
    thread = new Thread(this::run, "bench-sender");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    double period = 1e9 / rate;
    long start = clock.now();
    for (long k = 0; ; ) {
      long intended = start + (long) (k * period);
      if (intended >= stopAt) {
        return;
      }
      long wait = intended - clock.now();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
        continue;
      }
      Peer sender = peers.get((int) (k % senders));
      send(sender, intended, sender.message(intended));
      k++;
    }
  }

  @Override
  void stop() {
    super.stop();
    if (thread != null) {
      LockSupport.unpark(thread);
    }
  }

  @Override
  LatencyMeter primary() {
    return acksFirst ? meters.acks : meters.deliveries;
  }

  @Override
  long expectedDeliveries() {
    return meters.sentMeasured() * recipients;
  }
}
