package dev.natter.core.spi;

import java.time.Instant;

/** The engine's source of time, so tests can move it. */
public interface Clock {
  /**
   * Wall-clock time, stamped on messages, sessions and last-seen times.
   *
   * @return the current instant
   */
  Instant now();

  /**
   * A monotonic reading in nanoseconds, for rate limits and timeouts.
   *
   * @return nanoseconds from an arbitrary origin, never going backwards
   */
  long nanoTime();

  /**
   * The system clock: {@link Instant#now()} and {@link System#nanoTime()}.
   *
   * @return the clock of this JVM
   */
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
