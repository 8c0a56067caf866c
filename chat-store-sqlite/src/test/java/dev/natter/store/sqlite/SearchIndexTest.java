package dev.natter.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.natter.core.model.Message;
import dev.natter.core.model.NewMessage;
import dev.natter.core.model.NewRoom;
import dev.natter.core.model.Role;
import dev.natter.core.model.Room;
import dev.natter.core.model.RoomKind;
import dev.natter.core.model.SearchHit;
import dev.natter.core.model.User;
import dev.natter.core.model.Visibility;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The full-text index lives in its own file and is derived data: it follows appends, edits and
 * deletes, survives being lost, and is never trusted when it does not belong to the database.
 */
class SearchIndexTest {
  private static final Instant T0 = Instant.parse("2024-03-01T10:00:00Z");
  private static final User ALICE = new User("u-alice", "alice", "Alice");
  private static final String ROOM = "r-1";

  @TempDir Path dir;

  @Test
  void theIndexFileSitsBesideTheDatabase() {
    assertThat(SearchIndex.fileFor(Path.of("/data/natter.db")))
        .isEqualTo(Path.of("/data/natter.search.db"));
    assertThat(SearchIndex.fileFor(Path.of("/data/chat")))
        .isEqualTo(Path.of("/data/chat.search.db"));
  }

  @Test
  void aLostIndexIsRebuiltOnOpen() throws Exception {
    Path file = dir.resolve("chat.db");
    try (SqliteChatStore store = newStore(file)) {
      append(store, "m-1", "the first needle");
      append(store, "m-2", "a haystack");
    }
    deleteIndex(file);
    try (SqliteChatStore store = SqliteChatStore.open(file)) {
      assertThat(ids(store, "needle")).containsExactly("m-1");
    }
    Files.writeString(SearchIndex.fileFor(file), "not a database at all ".repeat(100));
    try (SqliteChatStore store = SqliteChatStore.open(file)) {
      assertThat(ids(store, "needle")).containsExactly("m-1");
      assertThat(ids(store, "haystack")).containsExactly("m-2");
    }
  }

  @Test
  void editsAndDeletesReachTheIndex() throws Exception {
    try (SqliteChatStore store = newStore(dir.resolve("chat.db"))) {
      append(store, "m-1", "apples and pears");
      append(store, "m-2", "more apples");
      store.editMessage(ROOM, "m-1", "only pears now", T0.plusSeconds(5));
      store.deleteMessage(ROOM, "m-2");
      assertThat(ids(store, "apples")).isEmpty();
      assertThat(ids(store, "pears")).containsExactly("m-1");
      store.editMessage(ROOM, "m-1", "plums", T0.plusSeconds(6));
      store.editMessage(ROOM, "m-1", "cherries", T0.plusSeconds(7));
      assertThat(ids(store, "plums")).isEmpty();
      assertThat(ids(store, "cherries")).containsExactly("m-1");
    }
  }

  @Test
  void aSearchSeesEveryAppendThatCompletedBeforeIt() throws Exception {
    try (SqliteChatStore store = newStore(dir.resolve("chat.db"))) {
      List<CompletableFuture<?>> appends = new ArrayList<>();
      for (int i = 0; i < 3_000; i++) {
        appends.add(
            store.append(
                new NewMessage(ROOM, "m-" + i, ALICE, "c-" + i, "word" + i + " common", null, T0),
                m -> {}));
      }
      CompletableFuture.allOf(appends.toArray(CompletableFuture[]::new)).join();
      // More than one indexing step's worth, all acked just now: the search waits for them.
      assertThat(store.search(List.of(ROOM), "common", 10_000)).hasSize(3_000);
      assertThat(ids(store, "word2999")).containsExactly("m-2999");
    }
  }

  @Test
  void twoStoresOnOneFileShareTheIndexWithoutIndexingTwice() throws Exception {
    // A server and an admin command (natter admin create-user) may have the file open at once.
    Path file = dir.resolve("chat.db");
    try (SqliteChatStore server = newStore(file);
        SqliteChatStore admin = SqliteChatStore.open(file)) {
      for (int i = 0; i < 200; i++) {
        SqliteChatStore store = i % 2 == 0 ? server : admin;
        append(store, "m-" + i, "shared word" + i);
        if (i % 50 == 0) {
          store.editMessage(ROOM, "m-" + i, "shared edited" + i, T0.plusSeconds(i));
        }
      }
      for (SqliteChatStore store : List.of(server, admin)) {
        assertThat(store.search(List.of(ROOM), "shared", 1_000)).hasSize(200);
        // Each store's indexer got there itself (it did not fail on rows the other one indexed).
        assertThat(store.indexedMessageId()).isEqualTo(200);
        assertThat(ids(store, "edited")).containsExactlyInAnyOrder("m-0", "m-50", "m-100", "m-150");
        assertThat(ids(store, "word0")).isEmpty();
      }
    }
    try (RawDb raw = new RawDb(SearchIndex.fileFor(file))) {
      assertThat(raw.count("SELECT count(*) FROM messages_fts")).isEqualTo(200);
    }
  }

  @Test
  void aRebuiltIndexDoesNotMakeSearchesWaitForChangesPrunedLongAgo() throws Exception {
    Path file = dir.resolve("chat.db");
    try (SqliteChatStore store = newStore(file)) {
      append(store, "m-1", "first");
      store.editMessage(ROOM, "m-1", "first edited", T0.plusSeconds(1));
      append(store, "m-2", "second");
      store.editMessage(ROOM, "m-2", "second edited", T0.plusSeconds(2));
      assertThat(ids(store, "edited")).hasSize(2); // applied, then pruned by the writer
    }
    deleteIndex(file);
    try (SqliteChatStore store = SqliteChatStore.open(file)) {
      long started = System.nanoTime();
      assertThat(ids(store, "edited")).containsExactlyInAnyOrder("m-1", "m-2");
      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .as("the search did not wait for the index to time out")
          .isLessThan(SqliteSearch.CATCH_UP);
    }
  }

  @Test
  void anOlderCopyOfTheIndexThatMissedPrunedEditsIsRebuilt() throws Exception {
    Path file = dir.resolve("chat.db");
    Path index = SearchIndex.fileFor(file);
    Path older = dir.resolve("older-index.db");
    try (SqliteChatStore store = newStore(file)) {
      append(store, "m-1", "apples");
      append(store, "m-2", "more apples");
      assertThat(ids(store, "apples")).hasSize(2);
    }
    Files.copy(index, older);
    try (SqliteChatStore store = SqliteChatStore.open(file)) {
      store.editMessage(ROOM, "m-1", "pears", T0.plusSeconds(1));
      store.deleteMessage(ROOM, "m-2");
      assertThat(ids(store, "pears")).containsExactly("m-1"); // both changes applied
    }
    // The index file goes back in time (a file-level restore of the data directory, say); the
    // database has pruned the changes it would need.
    deleteIndex(file);
    Files.copy(older, index);
    long rebuilds = SearchIndex.REBUILDS.get();
    try (SqliteChatStore store = SqliteChatStore.open(file)) {
      assertThat(ids(store, "apples")).isEmpty();
      assertThat(ids(store, "pears")).containsExactly("m-1");
    }
    assertThat(SearchIndex.REBUILDS.get()).isEqualTo(rebuilds + 1);
  }

  @Test
  void openingTheStoreBesideABusyServerNeverRebuildsTheIndex() throws Exception {
    Path file = dir.resolve("chat.db");
    try (SqliteChatStore server = newStore(file)) {
      AtomicBoolean running = new AtomicBoolean(true);
      Thread writer =
          new Thread(
              () -> {
                for (int i = 0; running.get(); i++) {
                  append(server, "busy-" + i, "busy " + i);
                }
              });
      writer.start();
      long rebuilds = SearchIndex.REBUILDS.get();
      try {
        for (int i = 0; i < 15; i++) {
          SqliteChatStore.open(file).close(); // an admin command
        }
      } finally {
        running.set(false);
        writer.join();
      }
      assertThat(SearchIndex.REBUILDS.get()).isEqualTo(rebuilds);
    }
  }

  @Test
  void anIndexOfAnotherDatabaseIsNotTrusted() throws Exception {
    Path a = dir.resolve("a/chat.db");
    Path b = dir.resolve("b/chat.db");
    try (SqliteChatStore store = newStore(a)) {
      append(store, "m-a", "only in a");
    }
    try (SqliteChatStore store = newStore(b)) {
      append(store, "m-b", "only in b");
    }
    // Same message ids (rowid 1) in both files: a's index would answer for b's messages.
    Files.copy(SearchIndex.fileFor(a), SearchIndex.fileFor(b), StandardCopyOption.REPLACE_EXISTING);
    try (SqliteChatStore store = SqliteChatStore.open(b)) {
      assertThat(ids(store, "a")).isEmpty();
      assertThat(ids(store, "b")).containsExactly("m-b");
    }
  }

  @Test
  void aDatabaseRestoredFromABackupGetsAFreshIndex() throws Exception {
    Path file = dir.resolve("chat.db");
    Path backup = dir.resolve("backup.db");
    try (SqliteChatStore store = newStore(file)) {
      append(store, "m-1", "alpha");
      store.backupTo(backup);
      append(store, "m-2", "alpha beta");
      store.editMessage(ROOM, "m-1", "gamma", T0.plusSeconds(5));
      assertThat(ids(store, "gamma")).containsExactly("m-1");
    }
    // Restore by hand, the way operations.md says: the backup over the file, the log removed.
    Files.copy(backup, file, StandardCopyOption.REPLACE_EXISTING);
    Files.deleteIfExists(Path.of(file + "-wal"));
    Files.deleteIfExists(Path.of(file + "-shm"));
    try (SqliteChatStore store = SqliteChatStore.open(file)) {
      assertThat(ids(store, "alpha")).containsExactly("m-1");
      assertThat(ids(store, "gamma")).isEmpty();
      assertThat(ids(store, "beta")).isEmpty();
    }
  }

  /**
   * Commits that follow each other closely are indexed in one transaction (an FTS5 segment each was
   * most of the indexer's cost under load), and a search still finds a message committed just
   * before it: it does not wait for the gathering.
   */
  @Test
  void commitsInQuickSuccessionAreIndexedTogether() {
    try (SqliteChatStore store = newStore(dir.resolve("chat.db"))) {
      append(store, "m-0", "warm");
      assertThat(ids(store, "warm")).containsExactly("m-0");
      long before = store.searchIndexSteps();
      for (int i = 1; i <= 40; i++) {
        append(store, "m-" + i, "word" + i); // a commit each, and a poke each
      }
      assertThat(ids(store, "word40")).containsExactly("m-40");
      assertThat(store.searchIndexSteps() - before).as("indexing transactions").isLessThan(20);
    }
  }

  private static SqliteChatStore newStore(Path file) {
    SqliteChatStore store = SqliteChatStore.open(file);
    store.createUser(ALICE, "hash", T0);
    store.createRoom(
        new NewRoom(
            new Room(ROOM, RoomKind.GROUP, "one", Visibility.PRIVATE, null, T0),
            Map.of(ALICE.id(), Role.OWNER)));
    return store;
  }

  private static Message append(SqliteChatStore store, String messageId, String body) {
    return store
        .append(new NewMessage(ROOM, messageId, ALICE, "c-" + messageId, body, null, T0), m -> {})
        .join()
        .message();
  }

  private static List<String> ids(SqliteChatStore store, String query) {
    return store.search(List.of(ROOM), query, 100).stream()
        .map(SearchHit::message)
        .map(Message::messageId)
        .toList();
  }

  private static void deleteIndex(Path file) throws Exception {
    Path index = SearchIndex.fileFor(file);
    for (String suffix : new String[] {"", "-wal", "-shm"}) {
      Files.deleteIfExists(Path.of(index + suffix));
    }
  }
}
