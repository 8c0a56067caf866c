package dev.natter.store.sqlite;

import java.time.Instant;

/**
 * Instants as stored: INTEGER nanoseconds since the epoch. Lossless for every {@link Instant} from
 * 1677 to 2262; anything outside that range is refused rather than silently rounded.
 */
final class Times {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private Times() {}

  static long toNanos(Instant instant) {
    try {
      return Math.addExact(
          Math.multiplyExact(instant.getEpochSecond(), NANOS_PER_SECOND), instant.getNano());
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("instant out of the storable range: " + instant, e);
    }
  }

  static Long toNanosOrNull(Instant instant) {
    return instant == null ? null : toNanos(instant);
  }

  static Instant fromNanos(long nanos) {
    return Instant.ofEpochSecond(
        Math.floorDiv(nanos, NANOS_PER_SECOND), Math.floorMod(nanos, NANOS_PER_SECOND));
  }
}
