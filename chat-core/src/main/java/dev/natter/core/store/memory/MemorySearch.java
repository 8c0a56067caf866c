package dev.natter.core.store.memory;

import dev.natter.core.model.SearchHit;
import dev.natter.core.spi.MessageSearch;
import dev.natter.core.store.memory.MemoryState.RoomRow;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;

/** The in-memory store's search: substrings, see {@link TextSearch}. */
final class MemorySearch implements MessageSearch {
  private final MemoryState state;

  MemorySearch(MemoryState state) {
    this.state = state;
  }

  /** Results are newest first (ts, then seq, then room id). */
  @Override
  public List<SearchHit> search(List<String> roomIds, String query, int limit) {
    TextSearch search = new TextSearch(query);
    if (!search.hasTerms() || limit <= 0 || roomIds == null || roomIds.isEmpty()) {
      return List.of();
    }
    return state.call(
        () -> {
          List<StoredMessage> found = new ArrayList<>();
          for (String roomId : new LinkedHashSet<>(roomIds)) {
            RoomRow row = state.rooms.get(roomId);
            if (row == null) {
              continue;
            }
            for (StoredMessage m : row.messages) {
              if (!m.deleted && search.matches(m.body)) {
                found.add(m);
              }
            }
          }
          return found.stream()
              .sorted(
                  Comparator.comparing((StoredMessage m) -> m.ts)
                      .thenComparingLong(m -> m.seq)
                      .reversed()
                      .thenComparing(m -> m.roomId))
              .limit(limit)
              .map(m -> new SearchHit(m.snapshot(), search.snippet(m.body)))
              .toList();
        });
  }
}
