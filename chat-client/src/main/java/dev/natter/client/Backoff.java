package dev.natter.client;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/** Exponential backoff with jitter: initial, doubling up to max, each delay times 1 ± jitter. */
final class Backoff {
  private final long initialMs;
  private final long maxMs;
  private final double jitter;
  private final DoubleSupplier random;
  private int attempt;

  Backoff(Duration initial, Duration max, double jitter, DoubleSupplier random) {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("need 0 < initial <= max");
    }
    if (jitter < 0 || jitter >= 1) {
      throw new IllegalArgumentException("jitter must be in [0, 1)");
    }
    this.initialMs = initial.toMillis();
    this.maxMs = max.toMillis();
    this.jitter = jitter;
    this.random = random;
  }

  /** The delay before the next attempt; each call doubles the base until it reaches max. */
  long nextDelayMillis() {
    long base = initialMs << Math.min(attempt, 30);
    if (base <= 0 || base > maxMs) {
      base = maxMs;
    }
    attempt++;
    double factor = 1 - jitter + 2 * jitter * random.getAsDouble();
    return Math.max(1, Math.round(base * factor));
  }

  /** Back to the initial delay (after a successful connection). */
  void reset() {
    attempt = 0;
  }
}
