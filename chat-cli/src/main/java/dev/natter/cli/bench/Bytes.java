package dev.natter.cli.bench;

import java.nio.charset.StandardCharsets;

/**
 * The load generator's minimal parsing: searches and number parsing on byte arrays, so that a
 * received frame never becomes a String on the hot path.
 */
final class Bytes {
  private Bytes() {}

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** The index of the first {@code pattern} in {@code a[from, to)}, or -1. */
  static int indexOf(byte[] a, int from, int to, byte[] pattern) {
    byte first = pattern[0];
    int last = to - pattern.length;
    outer:
    for (int i = from; i <= last; i++) {
      if (a[i] != first) {
        continue;
      }
      for (int j = 1; j < pattern.length; j++) {
        if (a[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** The index just after the first {@code pattern} in {@code a[from, to)}, or -1. */
  static int after(byte[] a, int from, int to, byte[] pattern) {
    int i = indexOf(a, from, to, pattern);
    return i < 0 ? -1 : i + pattern.length;
  }

  /** The decimal digits at {@code a[at...]} (before {@code to}) as a number; -1 without digits. */
  static long digits(byte[] a, int at, int to) {
    long v = 0;
    int i = at;
    while (i < to && a[i] >= '0' && a[i] <= '9') {
      v = v * 10 + (a[i] - '0');
      i++;
    }
    return i == at ? -1 : v;
  }

  /** Whether {@code a[at...]} starts with {@code prefix} (before {@code to}). */
  static boolean startsWith(byte[] a, int at, int to, byte[] prefix) {
    if (at < 0 || to - at < prefix.length) {
      return false;
    }
    for (int j = 0; j < prefix.length; j++) {
      if (a[at + j] != prefix[j]) {
        return false;
      }
    }
    return true;
  }

  /** The JSON string value after {@code "name":"} (no unescaping; bench ids need none), or null. */
  static String stringField(byte[] a, int from, int to, byte[] nameQuoteColonQuote) {
    int s = after(a, from, to, nameQuoteColonQuote);
    if (s < 0) {
      return null;
    }
    int e = s;
    while (e < to && a[e] != '"') {
      e++;
    }
    return e < to ? new String(a, s, e - s, StandardCharsets.UTF_8) : null;
  }
}
