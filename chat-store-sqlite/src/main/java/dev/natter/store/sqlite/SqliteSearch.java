package dev.natter.store.sqlite;

import dev.natter.core.model.SearchHit;
import dev.natter.core.spi.MessageSearch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SQLite store's search: FTS5 in the {@link SearchIndex}'s own file, attached to the read
 * connections as {@code search}. See {@link TextQuery} for how the text becomes a query.
 */
final class SqliteSearch implements MessageSearch {
  private static final Logger LOG = LoggerFactory.getLogger(SqliteChatStore.class);

  /** The longest a search waits for the index to catch up with what was committed before it. */
  static final Duration CATCH_UP = Duration.ofSeconds(2);

  private final SqliteAccess db;
  private final SearchIndex searchIndex;

  SqliteSearch(SqliteAccess db, SearchIndex searchIndex) {
    this.db = db;
    this.searchIndex = searchIndex;
  }

  /**
   * Newest first (as the store contract orders hits), deleted messages excluded.
   *
   * <p>A search sees every message and edit committed before it began: it first waits for the
   * {@link SearchIndex} to catch up with them (usually a few milliseconds), at most {@link
   * #CATCH_UP}; past that (an index being rebuilt after an upgrade, say) it answers from what is
   * indexed so far.
   */
  @Override
  public List<SearchHit> search(List<String> roomIds, String query, int limit) {
    String fts = TextQuery.toFts(query);
    if (roomIds == null || roomIds.isEmpty() || limit <= 0 || fts == null) {
      db.ensureOpen();
      return List.of();
    }
    List<String> rooms = List.copyOf(new LinkedHashSet<>(roomIds));
    SearchIndex.Position target = db.read(h -> h.attach(MessageDao.class).searchTarget());
    if (!searchIndex.awaitCaughtUp(target, CATCH_UP)) {
      LOG.info(
          "search answered from an index still catching up (at message {} of {})",
          searchIndex.indexedMessageId(),
          target.messageId());
    }
    return db.read(
        h -> {
          List<SearchHit> hits = new ArrayList<>();
          for (Rows.SearchRow row : h.attach(MessageDao.class).search(fts, rooms, limit)) {
            Rows.MessageRow m = row.message();
            hits.add(new SearchHit(m.toMessage(), TextQuery.snippet(m.body(), row.marked())));
          }
          return List.copyOf(hits);
        });
  }
}
