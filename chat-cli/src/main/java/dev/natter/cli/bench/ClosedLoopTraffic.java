package dev.natter.cli.bench;

import java.util.concurrent.atomic.LongAdder;

/**
 * Every peer keeps {@code inFlight} messages in flight: each ack (or error) sends the next one at
 * once. The intended time of a message is when it is sent, so the ack latency is what a client
 * waiting for its ack sees (a closed loop: a slow server slows the load down, and the throughput
 * shows it). Used for DM pairs, where both members send and both receive each message.
 */
final class ClosedLoopTraffic extends Traffic {
  private final int inFlight;
  private final int recipients;
  private final LongAdder refusedInWindow = new LongAdder();

  ClosedLoopTraffic(Meters meters, BenchClock clock, int inFlight, int recipients) {
    super(meters, clock);
    this.inFlight = inFlight;
    this.recipients = recipients;
  }

  @Override
  void start(long stopAt) {
    this.stopAt = stopAt;
    for (int w = 0; w < inFlight; w++) {
      for (Peer p : peers) {
        next(p);
      }
    }
  }

  private void next(Peer peer) {
    long intended = clock.now();
    if (intended < stopAt) {
      send(peer, intended, peer.message(intended));
    }
  }

  @Override
  public void acked(Peer peer, long intended, long now) {
    super.acked(peer, intended, now);
    next(peer);
  }

  @Override
  public void failed(Peer peer, long intended, String code, long now) {
    super.failed(peer, intended, code, now);
    if (intended >= 0) {
      if (meters.inWindow(intended)) {
        refusedInWindow.increment();
      }
      next(peer);
    }
  }

  @Override
  LatencyMeter primary() {
    return meters.acks;
  }

  @Override
  long expectedDeliveries() {
    return meters.sentMeasured() * recipients;
  }

  @Override
  long expectedAnswers() {
    return meters.sentMeasured();
  }

  @Override
  long answered() {
    return meters.acks.measuredCount() + refusedInWindow.sum();
  }
}
