package dev.natter.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.natter.core.ChatException;
import dev.natter.core.model.Message;
import dev.natter.core.model.NewMessage;
import dev.natter.core.model.SearchHit;
import dev.natter.core.model.User;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/** The schema is created from nothing, and an older database is upgraded in place on open. */
class MigrationTest {
  private static final Instant T0 = Instant.parse("2024-03-01T10:00:00Z");

  @TempDir Path dir;

  @Test
  void anEmptyFileIsMigratedToTheNewestVersionWithDurablePragmas() throws Exception {
    Path file = dir.resolve("nested/dirs/new.db");
    try (SqliteChatStore store = SqliteChatStore.open(file)) {
      assertThat(Files.exists(file)).isTrue();
      assertThat(writerPragma(store, "journal_mode")).isEqualTo("wal");
      assertThat(writerPragma(store, "synchronous")).as("synchronous=FULL").isEqualTo("2");
      assertThat(writerPragma(store, "foreign_keys")).isEqualTo("1");
      assertThat(writerPragma(store, "busy_timeout")).isEqualTo("5000");
      assertThat(writerPragma(store, "page_size")).isEqualTo(String.valueOf(Database.PAGE_SIZE));
    }
    try (RawDb raw = new RawDb(file)) {
      assertThat(
              raw.strings(
                  "SELECT version FROM flyway_schema_history WHERE success = 1 ORDER BY installed_rank"))
          .containsExactly("1", "2", "3", "4", "5", "6", "7", "8");
      assertThat(raw.strings("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name"))
          .contains(
              "users",
              "sessions",
              "rooms",
              "memberships",
              "messages",
              "reactions",
              "message_mentions",
              "search_changes",
              "store_identity")
          .doesNotContain("messages_fts");
      assertThat(raw.strings("PRAGMA foreign_key_check")).isEmpty();
      // Gapless seqs are a rule of the schema itself: no writer can skip or reuse one.
      raw.script(
          "INSERT INTO users (id, username, display_name, password_hash, created_at)"
              + " VALUES ('u', 'u', 'U', 'h', 0)",
          "INSERT INTO rooms (id, kind, name, visibility, created_at) VALUES ('r', 'group', 'r',"
              + " 'public', 0)",
          "INSERT INTO messages (room_id, seq, message_id, sender_id, body, ts)"
              + " VALUES ('r', 1, 'm1', 'u', 'one', 0)");
      assertThat(raw.count("SELECT last_seq FROM rooms WHERE id = 'r'")).isEqualTo(1);
      for (long wrongSeq : new long[] {1, 3}) {
        assertThatThrownBy(
                () ->
                    raw.execute(
                        "INSERT INTO messages (room_id, seq, message_id, sender_id, body, ts)"
                            + " VALUES ('r', ?, 'm-x', 'u', 'x', 0)",
                        wrongSeq))
            .hasMessageContaining("SQLITE_CONSTRAINT");
      }
      assertThat(raw.count("SELECT last_seq FROM rooms WHERE id = 'r'")).isEqualTo(1);
      // Rows stay (the search index follows ids): a delete is refused, whoever asks.
      assertThatThrownBy(() -> raw.execute("DELETE FROM messages WHERE message_id = 'm1'"))
          .hasMessageContaining("messages are never removed");
      assertThat(raw.integrityCheck()).isEqualTo("ok");
      // A history page is a range scan of the (room_id, seq) index, not a table scan.
      String plan =
          raw.queryPlan(
              "SELECT * FROM messages WHERE room_id = 'r' AND seq < 100 ORDER BY seq DESC LIMIT 50");
      assertThat(plan).contains("SEARCH messages USING INDEX", "(room_id=? AND seq<?)");
    }
  }

  @Test
  void aVersion1DatabaseIsUpgradedInPlaceAndItsMessagesBecomeSearchable() throws Exception {
    // Through version 2 (full-text index inside the file) and 4 (the index moved to its own file).
    Path file = dir.resolve("v1.db");
    SQLiteDataSource v1 = new SQLiteDataSource();
    v1.setUrl("jdbc:sqlite:" + file);
    Flyway.configure().dataSource(v1).locations(Database.MIGRATIONS).target("1").load().migrate();
    long t0 = Times.toNanos(T0);
    try (RawDb raw = new RawDb(file)) {
      assertThat(raw.strings("SELECT name FROM sqlite_schema WHERE name = 'messages_fts'"))
          .isEmpty();
      raw.execute(
          "INSERT INTO users (id, username, display_name, password_hash, created_at)"
              + " VALUES ('u-alice', 'alice', 'Alice', 'h', ?)",
          t0);
      raw.execute(
          "INSERT INTO rooms (id, kind, name, visibility, created_at, last_seq)"
              + " VALUES ('r-1', 'group', 'one', 'private', ?, 2)",
          t0);
      raw.execute(
          "INSERT INTO memberships (room_id, user_id, role, joined_at)"
              + " VALUES ('r-1', 'u-alice', 'owner', ?)",
          t0);
      raw.execute(
          "INSERT INTO messages (room_id, seq, message_id, sender_id, client_msg_id, body, ts)"
              + " VALUES ('r-1', 1, 'm-1', 'u-alice', 'c-1', 'an old needle in the haystack', ?)",
          t0);
      raw.execute(
          "INSERT INTO messages (room_id, seq, message_id, sender_id, client_msg_id, body, ts)"
              + " VALUES ('r-1', 2, 'm-2', 'u-alice', 'c-2', 'another old one', ?)",
          t0 + 1);
    }

    User alice = new User("u-alice", "alice", "Alice");
    try (SqliteChatStore store = SqliteChatStore.open(file)) {
      assertThat(store.search(List.of("r-1"), "needle", 10))
          .extracting(SearchHit::snippet)
          .containsExactly("an old [needle] in the haystack");
      Message third =
          store
              .append(new NewMessage("r-1", "m-3", alice, "c-3", "a new needle", null, T0), m -> {})
              .join()
              .message();
      assertThat(third.seq()).isEqualTo(3);
      assertThat(
              store
                  .append(new NewMessage("r-1", "m-x", alice, "c-1", "resend", null, T0), m -> {})
                  .join()
                  .duplicate())
          .isTrue();
      store.editMessage("r-1", "m-1", "edited: no more pins", T0.plusSeconds(1));
      assertThat(store.search(List.of("r-1"), "needle", 10))
          .extracting(h -> h.message().messageId())
          .containsExactly("m-3");
      assertThat(store.search(List.of("r-1"), "pins", 10))
          .extracting(h -> h.message().messageId())
          .containsExactly("m-1");
    }
    try (RawDb raw = new RawDb(file)) {
      assertThat(
              raw.strings(
                  "SELECT version FROM flyway_schema_history WHERE success = 1 ORDER BY installed_rank"))
          .containsExactly("1", "2", "3", "4", "5", "6", "7", "8");
      assertThat(raw.integrityCheck()).isEqualTo("ok");
      assertThat(raw.strings("SELECT name FROM sqlite_schema WHERE name LIKE 'messages_fts%'"))
          .isEmpty();
      // The index applied the edit; the writer keeps only the last applied change.
      assertThat(raw.count("SELECT count(*) FROM search_changes")).isEqualTo(1);
    }
    try (RawDb raw = new RawDb(SearchIndex.fileFor(file))) {
      assertThat(raw.integrityCheck()).isEqualTo("ok");
      // The full-text index is consistent, and holds the three messages (m-1 as edited).
      raw.execute("INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 1)");
      assertThat(raw.strings("SELECT body FROM messages_fts ORDER BY rowid"))
          .containsExactly("edited: no more pins", "another old one", "a new needle");
    }
  }

  /** A pragma's value as the writer's connection sees it. */
  private static String writerPragma(SqliteChatStore store, String pragma) {
    String sql = "PRAGMA " + pragma;
    return store.<String>onWriter(c -> c.handle.select(sql).mapTo(String.class).one());
  }

  @Test
  void aFileThatIsNotADatabaseFailsToOpenWithAStoreFailure() throws Exception {
    Path file = dir.resolve("garbage.db");
    Files.writeString(
        file, "this is not a database, only some text that is long enough ".repeat(20));
    assertThatThrownBy(() -> SqliteChatStore.open(file))
        .isInstanceOf(ChatException.StoreFailure.class)
        .hasMessageContaining(file.toString());
  }
}
