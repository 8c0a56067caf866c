package dev.natter.store.postgres;

import java.util.List;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** Full-text search with PostgreSQL's own text search (the GIN index on {@code search_vector}). */
interface SearchDao {
  /** Options of {@code ts_headline}: one fragment around the matches, of 8 to 20 words. */
  String HEADLINE_OPTIONS =
      "'StartSel=' || chr(2) || ', StopSel=' || chr(3)"
          + " || ', MaxFragments=1, MaxWords=20, MinWords=8, ShortWord=0'";

  /**
   * Live messages in the given rooms whose words match {@code query} (a {@code
   * websearch_to_tsquery} text), newest first, each with its snippet as {@code ts_headline} marks
   * it (char(2) before and char(3) after each match). The snippets are made for the page of hits
   * only, after the sort and the limit.
   */
  @SqlQuery(
      "SELECT hit.*, ts_headline('pg_catalog.simple', hit.m_body, q, "
          + HEADLINE_OPTIONS
          + ") AS marked"
          + " FROM (SELECT "
          + Rows.MESSAGE_COLUMNS
          + " FROM"
          + Rows.MESSAGES_JOIN
          + "WHERE m.search_vector @@ websearch_to_tsquery('pg_catalog.simple', :query)"
          + " AND m.room_id = ANY(:roomIds) AND NOT m.deleted"
          + " ORDER BY m.ts DESC, m.seq DESC, m.room_id LIMIT :limit) hit,"
          + " websearch_to_tsquery('pg_catalog.simple', :query) q"
          + " ORDER BY hit.m_ts DESC, hit.m_seq DESC, hit.m_room_id")
  List<Rows.SearchRow> search(
      @Bind("query") String query, @Bind("roomIds") String[] roomIds, @Bind("limit") int limit);
}
