package dev.natter.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.natter.core.model.NewMessage;
import dev.natter.core.model.NewRoom;
import dev.natter.core.model.Role;
import dev.natter.core.model.Room;
import dev.natter.core.model.RoomKind;
import dev.natter.core.model.User;
import dev.natter.core.model.Visibility;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Statements are compiled once per connection, and a cached statement never pins an old snapshot:
 * every read sees the commits before it, and nothing holds the write-ahead log.
 */
class StatementCacheTest {
  private static final Instant T0 = Instant.parse("2024-03-01T10:00:00Z");

  @TempDir Path dir;

  @Test
  void theWriterPreparesEachStatementOnce() {
    AtomicInteger prepares = new AtomicInteger();
    try (SqliteChatStore store =
        SqliteChatStore.open(
            dir.resolve("cache.db"),
            SqliteStoreOptions.defaults(),
            real ->
                (Connection)
                    Proxy.newProxyInstance(
                        Connection.class.getClassLoader(),
                        new Class<?>[] {Connection.class},
                        (proxy, method, args) -> {
                          if (method.getName().equals("prepareStatement")) {
                            prepares.incrementAndGet();
                          }
                          try {
                            return method.invoke(real, args);
                          } catch (InvocationTargetException e) {
                            throw e.getCause();
                          }
                        }))) {
      User alice = new User("u-alice", "alice", "Alice");
      store.createUser(alice, "hash", T0);
      store.createRoom(
          new NewRoom(
              new Room("r-1", RoomKind.GROUP, "one", Visibility.PRIVATE, null, T0),
              Map.of(alice.id(), Role.OWNER)));
      store.append(new NewMessage("r-1", "m-0", alice, "c-0", "warm", null, T0), m -> {}).join();
      store.markRead("r-1", alice.id(), 1);
      int afterWarmUp = prepares.get();

      for (int i = 1; i <= 200; i++) {
        store
            .append(new NewMessage("r-1", "m-" + i, alice, "c-" + i, "hi", null, T0), m -> {})
            .join();
        store.markRead("r-1", alice.id(), i);
      }
      assertThat(prepares.get()).isEqualTo(afterWarmUp);
      assertThat(store.lastSeq("r-1")).isEqualTo(201);
    }
  }

  @Test
  void cachedReadStatementsNeverServeAnOldSnapshot() throws Exception {
    Path file = dir.resolve("snapshots.db");
    SqliteStoreOptions oneReader =
        SqliteStoreOptions.builder()
            .readConnections(1)
            .checkpointInterval(java.time.Duration.ZERO)
            .build();
    try (SqliteChatStore store = SqliteChatStore.open(file, oneReader)) {
      User alice = new User("u-alice", "alice", "Alice");
      store.createUser(alice, "hash", T0);
      store.createRoom(
          new NewRoom(
              new Room("r-1", RoomKind.GROUP, "one", Visibility.PRIVATE, null, T0),
              Map.of(alice.id(), Role.OWNER)));
      for (int i = 1; i <= 30; i++) {
        store
            .append(new NewMessage("r-1", "m-" + i, alice, "c-" + i, "word" + i, null, T0), m -> {})
            .join();
        // Different statements, one connection: each must see the append just acked.
        assertThat(store.lastSeq("r-1")).isEqualTo(i);
        assertThat(store.messagesBefore("r-1", null, 5))
            .last()
            .extracting(m -> m.seq())
            .isEqualTo((long) i);
        assertThat(store.findMessage("r-1", "m-" + i)).isPresent();
        assertThat(store.search(List.of("r-1"), "word" + i, 5)).hasSize(1);
        assertThat(store.roomSummary("r-1", alice.id()).orElseThrow().lastSeq()).isEqualTo(i);
      }
      // No reader holds a read transaction now, so a full checkpoint can copy and reset the log.
      try (RawDb raw = new RawDb(file)) {
        List<Long> result = raw.longs("PRAGMA wal_checkpoint(TRUNCATE)");
        assertThat(result.get(0)).as("checkpoint blocked by a reader").isZero();
      }
    }
  }
}
