package dev.natter.cli.bench;

/**
 * What a load message carries so that every receipt can be timed without a lookup: its intended
 * send time, in nanoseconds of the run's {@link BenchClock}, as {@code ~nb<nanos>~}. The load
 * generator is the only clock: senders and receivers live in the same process.
 */
final class Marker {
  private static final byte[] PREFIX = Bytes.ascii("~nb");

  /** Ordinary text after the mark, so that the frames have the size of a chat message. */
  static final String FILLER = " hello everyone, this is a message of ordinary length";

  private Marker() {}

  /** The mark for a message intended to be sent at {@code intendedNanos}. */
  static String of(long intendedNanos) {
    return "~nb" + intendedNanos + "~";
  }

  /** A message body: the mark followed by the filler. */
  static String body(long intendedNanos) {
    return of(intendedNanos) + FILLER;
  }

  /** The intended send time carried in {@code a[from, to)}, or -1 when there is no mark. */
  static long find(byte[] a, int from, int to) {
    int at = Bytes.after(a, from, to, PREFIX);
    return at < 0 ? -1 : Bytes.digits(a, at, to);
  }
}
