package dev.natter.store.postgres;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns what a person typed into the text {@code websearch_to_tsquery} reads, and the body {@code
 * ts_headline} marked into the snippet the contract asks for.
 *
 * <p>Each whitespace-separated term becomes a quoted phrase, so the person's text is never query
 * syntax ({@code or}, {@code -word} are words to find) and every term must match. Words match whole
 * and ignoring case (the {@code simple} configuration: no stemming, no stop words); a term with
 * punctuation ({@code lead-in}) matches as the phrase of its words.
 */
final class SearchText {
  /** What {@code ts_headline} puts before and after each match (see {@link SearchDao}). */
  static final char OPEN = '\u0002';

  static final char CLOSE = '\u0003';

  static final String ELLIPSIS = "\u2026";

  private SearchText() {}

  /** The {@code websearch_to_tsquery} text for {@code typed}, or null if it has no words. */
  static String toWebSearch(String typed) {
    if (typed == null) {
      return null;
    }
    List<String> phrases = new ArrayList<>();
    for (String term : typed.strip().split("\\s+")) {
      String clean = term.replaceAll("[\"\\p{Cntrl}]", "");
      if (clean.codePoints().anyMatch(Character::isLetterOrDigit)) {
        phrases.add('"' + clean + '"');
      }
    }
    return phrases.isEmpty() ? null : String.join(" ", phrases);
  }

  /**
   * The snippet: {@code marked} (a fragment of {@code body} with its matches between {@link #OPEN}
   * and {@link #CLOSE}) with the matches between [ and ], and an ellipsis where the fragment cuts
   * the body. The body itself if nothing is marked.
   */
  static String snippet(String body, String marked) {
    if (marked == null || marked.indexOf(OPEN) < 0) {
      return body;
    }
    String fragment = marked.replace(String.valueOf(OPEN), "").replace(String.valueOf(CLOSE), "");
    return (body.startsWith(fragment) ? "" : ELLIPSIS)
        + marked.replace(OPEN, '[').replace(CLOSE, ']')
        + (body.endsWith(fragment) ? "" : ELLIPSIS);
  }
}
