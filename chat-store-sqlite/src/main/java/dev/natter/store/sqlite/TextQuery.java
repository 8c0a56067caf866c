package dev.natter.store.sqlite;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns what a person typed into an FTS5 query, and FTS5's highlighted body into the snippet the
 * contract asks for.
 *
 * <p>Each whitespace-separated term becomes a quoted prefix phrase ({@code "term"*}), so the
 * person's text never reaches FTS5's query syntax (no operators, columns or syntax errors), and
 * every term must match (implicit AND). {@code quick} finds "Quick" and "quickly"; a term with
 * punctuation ({@code lead-in}) is a phrase of its tokens.
 */
final class TextQuery {
  /** About how many characters of context a snippet keeps on each side of the match. */
  static final int CONTEXT = 30;

  static final String ELLIPSIS = "\u2026";

  /** What {@code highlight()} puts before and after each matched token (char(2), char(3)). */
  static final char OPEN = '\u0002';

  static final char CLOSE = '\u0003';

  private TextQuery() {}

  /** The FTS5 query for {@code text}, or null if it has no terms (it then matches nothing). */
  static String toFts(String text) {
    if (text == null) {
      return null;
    }
    List<String> phrases = new ArrayList<>();
    for (String term : text.strip().split("\\s+")) {
      // Control characters are no part of any token; dropping them keeps the query well formed.
      String clean = term.replaceAll("\\p{Cntrl}", "");
      if (!clean.isEmpty() && clean.codePoints().anyMatch(Character::isLetterOrDigit)) {
        phrases.add('"' + clean.replace("\"", "\"\"") + "\"*");
      }
    }
    return phrases.isEmpty() ? null : String.join(" ", phrases);
  }

  /**
   * The snippet of {@code body}: the first match FTS5 marked in {@code marked} wrapped in [ and ],
   * about {@link #CONTEXT} characters either side, with an ellipsis where text was cut. The body
   * itself if nothing is marked.
   */
  static String snippet(String body, String marked) {
    int at = -1;
    int end = -1;
    // Walk the body and its highlighted copy together: where they differ, the copy has a marker.
    int i = 0;
    for (int j = 0; j < marked.length() && end < 0; j++) {
      char c = marked.charAt(j);
      if (i < body.length() && body.charAt(i) == c) {
        i++;
      } else if (c == OPEN && at < 0) {
        at = i;
      } else if (c == CLOSE && at >= 0) {
        end = i;
      }
    }
    if (at < 0 || end <= at) {
      return body;
    }
    int start = Math.max(0, at - CONTEXT);
    int stop = Math.min(body.length(), end + CONTEXT);
    // Never split a surrogate pair at the edges.
    if (start > 0 && Character.isLowSurrogate(body.charAt(start))) {
      start--;
    }
    if (stop < body.length() && Character.isLowSurrogate(body.charAt(stop))) {
      stop++;
    }
    StringBuilder out = new StringBuilder(stop - start + 4);
    if (start > 0) {
      out.append(ELLIPSIS);
    }
    out.append(body, start, at)
        .append('[')
        .append(body, at, end)
        .append(']')
        .append(body, end, stop);
    if (stop < body.length()) {
      out.append(ELLIPSIS);
    }
    return out.toString();
  }
}
