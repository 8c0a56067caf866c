package dev.natter.client;

/**
 * Which page of a room's messages {@link ChatClient#history} asks for: the newest ones, the ones
 * before a seq, or the ones after a seq; at most {@code limit} (the server may cap it lower). Pages
 * are in seq order.
 */
public final class HistoryQuery {
  final long before;
  final long after;
  final int limit;

  private HistoryQuery(long before, long after, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, not " + limit);
    }
    this.before = before;
    this.after = after;
    this.limit = limit;
  }

  /**
   * The newest messages of the room.
   *
   * @param limit how many at most (at least 1)
   * @return the query
   */
  public static HistoryQuery latest(int limit) {
    return new HistoryQuery(0, -1, limit);
  }

  /**
   * The newest messages before seq {@code seq}, to page back through older ones.
   *
   * @param seq the seq to stop before (at least 1)
   * @param limit how many at most (at least 1)
   * @return the query
   */
  public static HistoryQuery before(long seq, int limit) {
    if (seq < 1) {
      throw new IllegalArgumentException("seq must be at least 1, not " + seq);
    }
    return new HistoryQuery(seq, -1, limit);
  }

  /**
   * The oldest messages after seq {@code seq} ({@code after(0, n)}: the room's first {@code n}).
   *
   * @param seq the seq to start after (at least 0)
   * @param limit how many at most (at least 1)
   * @return the query
   */
  public static HistoryQuery after(long seq, int limit) {
    if (seq < 0) {
      throw new IllegalArgumentException("seq must not be negative, not " + seq);
    }
    return new HistoryQuery(0, seq, limit);
  }

  @Override
  public String toString() {
    return before > 0
        ? "before " + before + ", " + limit
        : after >= 0 ? "after " + after + ", " + limit : "latest " + limit;
  }
}
