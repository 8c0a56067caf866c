package dev.natter.client;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Message bodies of multi-byte UTF-8 for frame-integrity tests: 1- to 4-byte characters at every
 * alignment, in frames from 100 bytes to 36 KB, around 4, 8, 16 and 32 KiB. Body {@code i} starts
 * with {@code #i:}, so a receiver can tell which one it got and compare it whole.
 */
final class Utf8Bodies {
  /** About how many bytes body {@code i} has: {@code SIZES[i % SIZES.length]} (plus up to 6). */
  static final int[] SIZES = {100, 4096, 8192, 16384, 16387, 32768, 36000};

  private static final Map<Integer, String> BODIES = new ConcurrentHashMap<>();

  private Utf8Bodies() {}

  /** Body {@code i}. */
  static String body(int i) {
    return BODIES.computeIfAbsent(i, Utf8Bodies::make);
  }

  /** The index of a body, or -1 when it does not start like one. */
  static int indexOf(String body) {
    int colon = body.indexOf(':');
    if (!body.startsWith("#") || colon < 2) {
      return -1;
    }
    try {
      return Integer.parseInt(body.substring(1, colon));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Whether {@code body} is exactly body {@code indexOf(body)}. */
  static boolean intact(String body) {
    int i = indexOf(body);
    return i >= 0 && body.equals(body(i));
  }

  private static String make(int i) {
    int target = SIZES[i % SIZES.length] + (i / SIZES.length) % 7;
    StringBuilder b = new StringBuilder("#").append(i).append(':');
    b.append("a".repeat(i % 5)); // shifts every multi-byte character to each alignment in turn
    String[] pieces = {"é", "😀", "€", "x"};
    int bytes = b.length();
    for (int n = 0; bytes < target; n++) {
      String p = pieces[(n + i) % pieces.length];
      b.append(p);
      bytes += p.getBytes(StandardCharsets.UTF_8).length;
    }
    return b.toString();
  }
}
