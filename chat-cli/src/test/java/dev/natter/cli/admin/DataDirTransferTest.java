package dev.natter.cli.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.natter.cli.CliException;
import dev.natter.core.model.NewMessage;
import dev.natter.core.model.NewRoom;
import dev.natter.core.model.Role;
import dev.natter.core.model.Room;
import dev.natter.core.model.RoomKind;
import dev.natter.core.model.User;
import dev.natter.core.model.Visibility;
import dev.natter.core.spi.ChatStore;
import dev.natter.store.sqlite.SqliteChatStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Export and import on a data directory: one point in time out, all or nothing in. */
class DataDirTransferTest {
  private static final Instant T0 = Instant.parse("2025-06-01T08:00:00Z");

  @TempDir Path tmp;

  /** An output stream that runs {@code action} once, when the export has written a user. */
  private static final class WriteDuringExport extends OutputStream {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final Runnable action;
    boolean ran;

    WriteDuringExport(Runnable action) {
      this.action = action;
    }

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      bytes.write(b, off, len);
      if (!ran && text().contains("\"username\"")) {
        ran = true;
        action.run();
      }
    }

    String text() {
      return bytes.toString(StandardCharsets.UTF_8);
    }
  }

  /** 100 users (u-001..u-100), all in room r-1, which has one message. */
  private static void fill(ChatStore store) {
    for (int i = 1; i <= 100; i++) {
      store.createUser(new User(String.format("u-%03d", i), "user" + i, "User " + i), "h", T0);
    }
    Room room = new Room("r-1", RoomKind.GROUP, "general", Visibility.PUBLIC, null, T0);
    store.createRoom(new NewRoom(room, Map.of("u-001", Role.OWNER)));
    User first = new User("u-001", "user1", "User 1");
    store.append(new NewMessage("r-1", "m-1", first, "c-1", "first", null, T0), m -> {}).join();
  }

  /**
   * What the server does while the export runs: a new user (whose id sorts before every other)
   * registers, joins and sends a message.
   */
  private static Runnable latecomer(ChatStore live) {
    return () -> {
      User late = new User("u-000", "latecomer", "Late");
      live.createUser(late, "h", T0.plusSeconds(60));
      live.addMember("r-1", late.id(), Role.MEMBER, T0.plusSeconds(60));
      live.append(
              new NewMessage("r-1", "m-2", late, "c-2", "late", null, T0.plusSeconds(61)), m -> {})
          .join();
    };
  }

  private List<String> tempFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("natter-export-") || n.startsWith("natter-import-"))
          .toList();
    }
  }

  @Test
  void anExportWhileTheDatabaseIsWrittenIsOnePointInTime() throws IOException {
    Path unsafeDb = tmp.resolve("unsafe/natter.db");
    try (SqliteChatStore live = SqliteChatStore.open(unsafeDb)) {
      fill(live);

      // what export did before: page after page of the live database. The latecomer's message is
      // in it, the latecomer is not (the users were read already), and the import fails.
      WriteDuringExport unsafe = new WriteDuringExport(latecomer(live));
      try (SqliteChatStore reader = SqliteChatStore.open(unsafeDb)) {
        DataTransfer.export(reader, unsafe);
      }
      assertThat(unsafe.ran).isTrue();
      JsonNode torn = DataTransfer.JSON.readTree(unsafe.text());
      assertThat(torn.get("users").findValuesAsText("id")).doesNotContain("u-000");
      assertThat(torn.get("rooms").get(0).get("messages").findValuesAsText("senderId"))
          .contains("u-000");
      try (SqliteChatStore target = SqliteChatStore.open(tmp.resolve("torn/natter.db"))) {
        assertThatThrownBy(
                () ->
                    DataTransfer.importInto(
                        target, new ByteArrayInputStream(unsafe.bytes.toByteArray())))
            .isInstanceOf(RuntimeException.class);
      }
    }

    // the same again, now from a snapshot
    Path dir = tmp.resolve("data");
    Path db = dir.resolve("natter.db");
    try (SqliteChatStore live = SqliteChatStore.open(db)) {
      fill(live);
      WriteDuringExport out = new WriteDuringExport(latecomer(live));
      DataTransfer.Counts counts =
          DataDirTransfer.exportSnapshot(() -> SqliteChatStore.open(db), dir, out);
      assertThat(out.ran).isTrue();
      assertThat(counts).isEqualTo(new DataTransfer.Counts(100, 1, 1));
      JsonNode doc = DataTransfer.JSON.readTree(out.text());
      assertThat(doc.get("users").findValuesAsText("id")).hasSize(100).doesNotContain("u-000");
      assertThat(doc.get("rooms").get(0).get("members").findValuesAsText("userId"))
          .containsExactly("u-001");
      assertThat(doc.get("rooms").get(0).get("messages").findValuesAsText("senderId"))
          .containsExactly("u-001");
      assertThat(live.exportMessages("r-1", 0, 10)).hasSize(2); // the write itself went on

      DataTransfer.Counts imported =
          DataDirTransfer.importNew(
              tmp.resolve("copy/natter.db"), new ByteArrayInputStream(out.bytes.toByteArray()));
      assertThat(imported).isEqualTo(counts);
      // the copy, its log and the search index the store built beside it are gone
      assertThat(tempFiles(dir)).isEmpty();
    }
  }

  @Test
  void theCopyIsRemovedWhenTheExportFails() throws IOException {
    Path dir = tmp.resolve("data");
    Path db = dir.resolve("natter.db");
    try (SqliteChatStore live = SqliteChatStore.open(db)) {
      fill(live);
    }
    OutputStream broken =
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            throw new IOException("disk full");
          }
        };
    assertThatThrownBy(
            () -> DataDirTransfer.exportSnapshot(() -> SqliteChatStore.open(db), dir, broken))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("disk full");
    assertThat(tempFiles(dir)).isEmpty();

    // no database: refused before anything is created
    Path none = tmp.resolve("none");
    assertThatThrownBy(
            () ->
                DataDirTransfer.exportSnapshot(
                    () -> {
                      throw CliException.failure("no database");
                    },
                    none,
                    new ByteArrayOutputStream()))
        .hasMessage("no database");
    assertThat(none).doesNotExist();
  }

  private static final String GOOD =
      """
      {"format": "natter-export", "version": 2,
       "users": [{"id": "u-1", "username": "alice", "displayName": "Alice",
                  "passwordHash": "h", "createdAt": "2025-06-01T08:00:00Z"}],
       "rooms": [{"id": "r-1", "kind": "group", "name": "g", "visibility": "public",
                  "createdAt": "2025-06-01T08:00:00Z",
                  "members": [{"userId": "u-1", "role": "owner", "lastReadSeq": 1,
                               "joinedAt": "2025-06-01T08:00:00Z"}],
                  "messages": [{"seq": 1, "messageId": "m-1", "senderId": "u-1", "body": "hi",
                                "ts": "2025-06-01T08:01:00Z", "deleted": false,
                                "reactions": {}}]}
      """;

  private static ByteArrayInputStream json(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aFailedImportLeavesTheDataDirectoryAsItWas() throws IOException {
    Path dir = tmp.resolve("data");
    Path db = dir.resolve("natter.db");
    // the user and the first room are stored, then the second room's message fails
    String bad =
        GOOD
            + """
            ,{"id": "r-2", "kind": "group", "name": "h", "visibility": "public",
              "createdAt": "2025-06-01T08:00:00Z", "members": [],
              "messages": [{"seq": 1, "messageId": "m-2", "senderId": "nobody", "body": "x",
                            "ts": "2025-06-01T08:01:00Z", "deleted": false}]}]}
            """;
    assertThatThrownBy(() -> DataDirTransfer.importNew(db, json(bad)))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("unknown sender");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }

    // so the retry needs no cleaning up
    assertThat(DataDirTransfer.importNew(db, json(GOOD + "]}")))
        .isEqualTo(new DataTransfer.Counts(1, 1, 1));
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).extracting(p -> p.getFileName().toString()).containsExactly("natter.db");
    }
    try (SqliteChatStore store = SqliteChatStore.open(db)) {
      assertThat(store.exportUsers(null, 10)).extracting(u -> u.user().id()).containsExactly("u-1");
      assertThat(store.exportMessages("r-1", 0, 10)).hasSize(1);
      assertThat(store.findMembership("r-1", "u-1").orElseThrow().lastReadSeq()).isEqualTo(1);
    }
  }

  @Test
  void importNeverWritesIntoAnExistingDatabase() throws IOException {
    Path dir = tmp.resolve("data");
    Path db = dir.resolve("natter.db");
    try (SqliteChatStore empty = SqliteChatStore.open(db)) {
      assertThat(empty.exportUsers(null, 1)).isEmpty();
    }
    byte[] before = Files.readAllBytes(db);
    assertThatThrownBy(() -> DataDirTransfer.importNew(db, json(GOOD + "]}")))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("natter.db exists: import only into an empty data directory");
    assertThat(Files.readAllBytes(db)).isEqualTo(before);
    assertThat(tempFiles(dir)).isEmpty();

    // nor beside a log left over from one (SQLite would replay it into the new file)
    Files.delete(db);
    Files.writeString(Path.of(db + "-wal"), "stale");
    assertThatThrownBy(() -> DataDirTransfer.importNew(db, json(GOOD + "]}")))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("natter.db-wal exists");
    assertThat(db).doesNotExist();
  }
}
