package dev.natter.store.postgres;

import java.time.Instant;

/**
 * Instants as the schema keeps them: bigint nanoseconds since the epoch, lossless for every {@link
 * Instant} from 1677 to 2262 (the JVM's clock gives nanoseconds; {@code timestamptz} would keep
 * microseconds). An instant outside that range is refused rather than rounded.
 */
final class Nanos {
  private static final long PER_SECOND = 1_000_000_000L;

  private Nanos() {}

  static long of(Instant instant) {
    try {
      return Math.addExact(
          Math.multiplyExact(instant.getEpochSecond(), PER_SECOND), instant.getNano());
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("a time the store cannot keep: " + instant, e);
    }
  }

  static Long ofNullable(Instant instant) {
    return instant == null ? null : of(instant);
  }

  static Instant instant(long nanos) {
    return Instant.ofEpochSecond(
        Math.floorDiv(nanos, PER_SECOND), Math.floorMod(nanos, PER_SECOND));
  }
}
