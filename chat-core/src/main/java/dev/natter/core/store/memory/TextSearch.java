package dev.natter.core.store.memory;

import java.util.Arrays;
import java.util.List;

/**
 * The in-memory store's search: every whitespace-separated term must occur in the body as a
 * substring, ignoring case; the snippet marks the earliest occurrence of any term.
 */
final class TextSearch {
  /** About how many characters of context a snippet keeps on each side of the match. */
  static final int CONTEXT = 30;

  static final String ELLIPSIS = "\u2026";

  private final List<String> terms;

  TextSearch(String query) {
    this.terms =
        query == null
            ? List.of()
            : Arrays.stream(query.strip().split("\\s+")).filter(t -> !t.isEmpty()).toList();
  }

  /** False for a blank query: it matches nothing. */
  boolean hasTerms() {
    return !terms.isEmpty();
  }

  boolean matches(String body) {
    if (terms.isEmpty()) {
      return false;
    }
    for (String term : terms) {
      if (indexOfIgnoreCase(body, term, 0) < 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * The body around the earliest match of any term (the longest term wins a tie), with the match
   * wrapped in [ and ], about {@link #CONTEXT} characters either side, and an ellipsis where text
   * was cut. The body itself if nothing matches.
   */
  String snippet(String body) {
    int at = -1;
    int length = 0;
    for (String term : terms) {
      int i = indexOfIgnoreCase(body, term, 0);
      if (i >= 0 && (at < 0 || i < at || (i == at && term.length() > length))) {
        at = i;
        length = term.length();
      }
    }
    if (at < 0) {
      return body;
    }
    int start = Math.max(0, at - CONTEXT);
    int end = Math.min(body.length(), at + length + CONTEXT);
    // Never split a surrogate pair at the edges.
    if (start > 0 && Character.isLowSurrogate(body.charAt(start))) {
      start--;
    }
    if (end < body.length() && Character.isLowSurrogate(body.charAt(end))) {
      end++;
    }
    StringBuilder out = new StringBuilder(end - start + 4);
    if (start > 0) {
      out.append(ELLIPSIS);
    }
    out.append(body, start, at)
        .append('[')
        .append(body, at, at + length)
        .append(']')
        .append(body, at + length, end);
    if (end < body.length()) {
      out.append(ELLIPSIS);
    }
    return out.toString();
  }

  /**
   * Where {@code term} first occurs in {@code text} at or after {@code from}, comparing characters
   * ignoring case (so indexes stay those of the original text), or -1.
   */
  static int indexOfIgnoreCase(String text, String term, int from) {
    int last = text.length() - term.length();
    for (int i = Math.max(0, from); i <= last; i++) {
      if (text.regionMatches(true, i, term, 0, term.length())) {
        return i;
      }
    }
    return -1;
  }
}
