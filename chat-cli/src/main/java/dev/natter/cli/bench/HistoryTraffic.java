package dev.natter.cli.bench;

import dev.natter.cli.CliException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * History paging: every peer keeps {@code inFlight} chains of {@code history} requests going, each
 * asking for the page before the oldest message of the last one, from the newest back to the first
 * and then again from the newest. Before the warm-up, {@link #prepare} tops the room up to the
 * wanted number of messages (sent by the peers in turn, each waiting for its ack).
 */
final class HistoryTraffic extends Traffic {
  private static final String RATE_LIMITED = "rate_limited";

  private final int inFlight;
  private final AtomicLong toFill;
  private final long fill;
  private volatile CountDownLatch filled;

  HistoryTraffic(Meters meters, BenchClock clock, int inFlight, long fill) {
    super(meters, clock);
    this.inFlight = inFlight;
    this.fill = fill;
    this.toFill = new AtomicLong(fill);
  }

  @Override
  void prepare(Duration timeout) throws InterruptedException {
    if (fill <= 0) {
      return;
    }
    filled = new CountDownLatch((int) fill);
    for (Peer p : peers) {
      fillNext(p);
    }
    if (!filled.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw CliException.failure(
          "the room got "
              + (fill - filled.getCount())
              + " of "
              + fill
              + " history messages in "
              + timeout.toSeconds()
              + " s (is the server's send rate limit low? see --help)");
    }
    filled = null;
  }

  @Override
  String preparing() {
    CountDownLatch f = filled;
    return f == null ? null : "filling the room: " + (fill - f.getCount()) + " of " + fill;
  }

  private void fillNext(Peer peer) {
    if (toFill.getAndDecrement() > 0) {
      long intended = clock.now();
      send(peer, intended, peer.message(intended));
    } else {
      toFill.incrementAndGet();
    }
  }

  @Override
  void start(long stopAt) {
    this.stopAt = stopAt;
    for (int w = 0; w < inFlight; w++) {
      for (Peer p : peers) {
        request(p, null);
      }
    }
  }

  private void request(Peer peer, Long before) {
    long intended = clock.now();
    if (intended < stopAt) {
      send(peer, intended, NatterWire.history(peer, before, intended));
    }
  }

  @Override
  public void page(Peer peer, long intended, long oldestSeq, boolean hasMore, long now) {
    super.page(peer, intended, oldestSeq, hasMore, now);
    request(peer, hasMore && oldestSeq > 1 ? oldestSeq : null);
  }

  @Override
  public void acked(Peer peer, long intended, long now) {
    super.acked(peer, intended, now);
    CountDownLatch f = filled;
    if (f != null) {
      f.countDown();
      fillNext(peer);
    }
  }

  @Override
  public void failed(Peer peer, long intended, String code, long now) {
    super.failed(peer, intended, code, now);
    CountDownLatch f = filled;
    if (f == null) {
      if (intended >= 0) {
        request(peer, null); // start the chain again from the newest page
      }
    } else if (code.equals(RATE_LIMITED)) {
      toFill.incrementAndGet(); // that one again, a second later
      CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS).execute(() -> fillNext(peer));
    } else {
      f.countDown();
      fillNext(peer);
    }
  }

  @Override
  LatencyMeter primary() {
    return meters.pages;
  }

  @Override
  long expectedAnswers() {
    return meters.sentMeasured();
  }

  @Override
  long answered() {
    return meters.pages.measuredCount();
  }
}
