package dev.natter.cli.bench;

import java.util.Locale;

/** Number formats of the table and the progress line (always {@link Locale#ROOT}). */
final class Fmt {
  private Fmt() {}

  /** 12,345 */
  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** 12,345 or 12.5 for small fractional values. */
  static String rate(double v) {
    if (v >= 100 || v == Math.rint(v)) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    return String.format(Locale.ROOT, "%,.1f", v);
  }

  /** Nanoseconds as milliseconds: 0.412, 12.3, 1,234. */
  static String ms(double nanos) {
    double ms = nanos / 1e6;
    if (ms < 10) {
      return String.format(Locale.ROOT, "%.3f", ms);
    }
    if (ms < 100) {
      return String.format(Locale.ROOT, "%.1f", ms);
    }
    return String.format(Locale.ROOT, "%,.0f", ms);
  }

  /** Kibibytes as a size: 812 KB, 12.3 MB, 1.20 GB. */
  static String kib(double kib) {
    if (Math.abs(kib) < 1024) {
      return String.format(Locale.ROOT, "%.1f KB", kib);
    }
    if (Math.abs(kib) < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f MB", kib / 1024);
    }
    return String.format(Locale.ROOT, "%.2f GB", kib / 1024 / 1024);
  }
}
