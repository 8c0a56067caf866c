package dev.natter.core.spi;

import dev.natter.core.model.SearchHit;
import java.util.List;

/** Full-text search over message bodies. Part of {@link ChatStore}. */
public interface MessageSearch {

  /**
   * Searches the given rooms (the caller restricts them to rooms the user belongs to): every
   * whitespace-separated term must match, case-insensitively; deleted messages are excluded; a
   * blank query finds nothing. Hits are ordered newest first (by {@code ts} descending, then {@code
   * seq} descending, then room id), not by relevance.
   *
   * @param roomIds the rooms to search
   * @param query the words to find
   * @param limit the most hits to return (the newest)
   * @return the hits, each with a snippet of its body with the match marked by {@code [} and {@code
   *     ]}
   */
  List<SearchHit> search(List<String> roomIds, String query, int limit);
}
