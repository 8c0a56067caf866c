package dev.natter.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.natter.core.model.NewMessage;
import dev.natter.core.model.NewRoom;
import dev.natter.core.model.Role;
import dev.natter.core.model.Room;
import dev.natter.core.model.RoomKind;
import dev.natter.core.model.User;
import dev.natter.core.model.Visibility;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Several nodes starting together on a database nobody has migrated: the schema is created and
 * migrated once, and every node gets a working store.
 */
class ConcurrentMigrationTest {
  @RegisterExtension static final PgTestDatabase PG = new PgTestDatabase();

  private static final int NODES = 3;

  @RepeatedTest(3)
  void threeStoresOpeningAtOnceOnAFreshSchemaMigrateItOnce() throws Exception {
    String schema = PG.newSchemaName("fresh");
    PostgresStoreOptions options = PG.options().schema(schema).poolSize(2).build();
    ExecutorService nodes = Executors.newFixedThreadPool(NODES);
    List<PostgresChatStore> stores = new ArrayList<>();
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<PostgresChatStore>> opening = new ArrayList<>();
      for (int i = 0; i < NODES; i++) {
        opening.add(
            nodes.submit(
                () -> {
                  go.await();
                  return PostgresChatStore.open(options);
                }));
      }
      go.countDown();
      for (Future<PostgresChatStore> f : opening) {
        stores.add(f.get(60, TimeUnit.SECONDS));
      }

      assertThat(successfulMigrations(schema)).containsExactly("1", "2", "3", "4");
      // Every node works on the one schema: a room made through one is appended to through all.
      User alice = new User("u-alice", "alice", "Alice");
      stores.get(0).createUser(alice, "hash", Instant.EPOCH);
      stores
          .get(1)
          .createRoom(
              new NewRoom(
                  new Room("r-1", RoomKind.GROUP, "one", Visibility.PRIVATE, null, Instant.EPOCH),
                  Map.of(alice.id(), Role.OWNER)));
      List<CompletableFuture<?>> appends = new ArrayList<>();
      for (int i = 0; i < NODES; i++) {
        appends.add(
            stores
                .get(i)
                .append(
                    new NewMessage("r-1", "m-" + i, alice, "c-" + i, "hi", null, Instant.EPOCH),
                    m -> {}));
      }
      CompletableFuture.allOf(appends.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
      assertThat(stores.get(2).lastSeq("r-1")).isEqualTo(NODES);
    } finally {
      stores.forEach(PostgresChatStore::close);
      nodes.shutdownNow();
    }
  }

  /** The versions Flyway recorded as applied in {@code schema}, each row once. */
  private static List<String> successfulMigrations(String schema) throws Exception {
    List<String> versions = new ArrayList<>();
    try (Connection c = PgTestDatabase.connect();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT version FROM "
                    + schema
                    + ".flyway_schema_history WHERE success AND version IS NOT NULL"
                    + " ORDER BY installed_rank")) {
      while (rs.next()) {
        versions.add(rs.getString(1));
      }
    }
    return versions;
  }
}
