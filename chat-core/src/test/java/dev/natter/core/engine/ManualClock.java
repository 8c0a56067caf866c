package dev.natter.core.engine;

import dev.natter.core.spi.Clock;
import java.time.Duration;
import java.time.Instant;

/** A clock that only moves when told to: both the wall time and the monotonic reading. */
final class ManualClock implements Clock {
  private Instant now = Instant.parse("2030-01-01T12:00:00Z");
  private long nanos = 1_000_000_000L;

  @Override
  public synchronized Instant now() {
    return now;
  }

  @Override
  public synchronized long nanoTime() {
    return nanos;
  }

  synchronized void advance(Duration d) {
    now = now.plus(d);
    nanos += d.toNanos();
  }
}
