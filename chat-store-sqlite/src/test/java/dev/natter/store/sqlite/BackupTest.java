package dev.natter.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.natter.core.ChatException;
import dev.natter.core.model.NewMessage;
import dev.natter.core.model.NewRoom;
import dev.natter.core.model.Role;
import dev.natter.core.model.Room;
import dev.natter.core.model.RoomKind;
import dev.natter.core.model.User;
import dev.natter.core.model.Visibility;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Online backup: a consistent copy made while writes go on. */
class BackupTest {
  private static final Instant T0 = Instant.parse("2024-03-01T10:00:00Z");
  private static final User ALICE = new User("u-alice", "alice", "Alice");

  @TempDir Path dir;

  @Test
  void aBackupTakenWhileWritesContinueOpensAndIsConsistent() throws Exception {
    Path file = dir.resolve("live.db");
    Path backup = dir.resolve("backups/copy.db");
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicLong sent = new AtomicLong();
    try (SqliteChatStore store = SqliteChatStore.open(file)) {
      store.createUser(ALICE, "hash", T0);
      for (String room : List.of("r-1", "r-2")) {
        store.createRoom(
            new NewRoom(
                new Room(room, RoomKind.GROUP, room, Visibility.PRIVATE, null, T0),
                Map.of(ALICE.id(), Role.OWNER)));
      }
      List<Thread> writers = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        String room = t % 2 == 0 ? "r-1" : "r-2";
        Thread writer =
            new Thread(
                () -> {
                  List<CompletableFuture<?>> inFlight = new ArrayList<>();
                  while (writing.get()) {
                    long n = sent.incrementAndGet();
                    inFlight.add(
                        store.append(
                            new NewMessage(
                                room, "m-" + n, ALICE, "c-" + n, "message " + n, null, T0),
                            m -> {}));
                    if (inFlight.size() == 16) {
                      inFlight.forEach(CompletableFuture::join);
                      inFlight.clear();
                    }
                  }
                  inFlight.forEach(CompletableFuture::join);
                });
        writer.start();
        writers.add(writer);
      }
      while (sent.get() < 3000) {
        Thread.sleep(10);
      }
      long before = store.lastSeq("r-1");
      store.backupTo(backup);
      Thread.sleep(100);
      writing.set(false);
      for (Thread writer : writers) {
        writer.join(TimeUnit.SECONDS.toMillis(30));
      }
      long after = store.lastSeq("r-1");
      assertThat(after).as("writes went on during and after the backup").isGreaterThan(before);

      try (RawDb raw = new RawDb(backup)) {
        assertThat(raw.integrityCheck()).isEqualTo("ok");
        for (String room : List.of("r-1", "r-2")) {
          long last = raw.count("SELECT last_seq FROM rooms WHERE id = ?", room);
          assertThat(raw.longs("SELECT seq FROM messages WHERE room_id = ? ORDER BY seq", room))
              .as("a consistent snapshot of %s", room)
              .containsExactlyElementsOf(LongStream.rangeClosed(1, last).boxed().toList());
        }
        assertThat(raw.count("SELECT last_seq FROM rooms WHERE id = 'r-1'"))
            .isBetween(before, after);
      }
      assertThat(Files.list(backup.getParent())).containsExactly(backup);

      assertThatThrownBy(() -> store.backupTo(backup)).isInstanceOf(ChatException.Conflict.class);
    }

    try (SqliteChatStore restored = SqliteChatStore.open(backup)) {
      assertThat(restored.findUser(ALICE.id())).contains(ALICE);
      long last = restored.lastSeq("r-1");
      assertThat(restored.messagesBefore("r-1", null, 10)).hasSize(10);
      assertThat(restored.search(List.of("r-1"), "message", 1))
          .singleElement()
          .satisfies(hit -> assertThat(hit.message().seq()).isEqualTo(last));
    }
  }
}
