package dev.natter.store.postgres;

import dev.natter.core.model.SearchHit;
import dev.natter.core.spi.MessageSearch;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The PostgreSQL store's search: PostgreSQL's own text search over the {@code search_vector} column
 * (GIN index), restricted to the given rooms, newest first. See {@link SearchText} for how the text
 * becomes a query and the snippet is made.
 */
final class PgSearch implements MessageSearch {
  private final PgAccess db;

  PgSearch(PgAccess db) {
    this.db = db;
  }

  @Override
  public List<SearchHit> search(List<String> roomIds, String query, int limit) {
    String text = SearchText.toWebSearch(query);
    if (text == null || roomIds == null || roomIds.isEmpty() || limit <= 0) {
      db.ensureOpen();
      return List.of();
    }
    String[] rooms = new LinkedHashSet<>(roomIds).toArray(String[]::new);
    return db.read(
        h ->
            h.attach(SearchDao.class).search(text, rooms, limit).stream()
                .map(
                    r ->
                        new SearchHit(
                            r.message(), SearchText.snippet(r.message().body(), r.marked())))
                .toList());
  }
}
