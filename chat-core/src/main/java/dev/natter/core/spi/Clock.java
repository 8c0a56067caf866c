package dev.natter.core.spi;

import java.time.Instant;

/** The engine's source of time, so tests can move it. */
public interface Clock {
  Instant now();

  /** A monotonic reading in nanoseconds, for rate limits and timeouts. */
  long nanoTime();

  static Clock system() {
    return new Clock() {
      @Override
      public Instant now() {
        return Instant.now();
      }

      @Override
      public long nanoTime() {
        return System.nanoTime();
      }
    };
  }
}
