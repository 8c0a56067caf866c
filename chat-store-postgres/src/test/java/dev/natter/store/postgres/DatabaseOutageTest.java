package dev.natter.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.natter.core.ChatException;
import dev.natter.core.model.AppendResult;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.Driver;

/**
 * The database goes away under a store (a proxy between them is cut) and comes back: meanwhile
 * every call fails with a clear {@link ChatException.StoreFailure} and no append is acked; after,
 * the store works again without a restart, and resending the failed appends stores each once.
 */
class DatabaseOutageTest {
  @RegisterExtension static final PgTestDatabase PG = new PgTestDatabase();

  private static final Instant T0 = Instant.parse("2024-03-01T10:00:00Z");
  private static final User ALICE = new User("u-alice", "alice", "Alice");

  @Test
  void whileTheDatabaseIsUnreachableNothingIsAckedAndAfterwardsTheStoreWorksAgain()
      throws Exception {
    PgUrl direct = PgUrl.parse(PgTestDatabase.url());
    Properties where = Driver.parseURL(direct.jdbcUrl(), null);
    try (TcpProxy proxy =
            new TcpProxy(
                where.getProperty("PGHOST"), Integer.parseInt(where.getProperty("PGPORT")));
        PostgresChatStore store =
            PostgresChatStore.open(
                PostgresStoreOptions.builder(throughProxy(direct, proxy.port()))
                    .schema(PG.schema())
                    .poolSize(4)
                    .connectionTimeout(Duration.ofSeconds(1))
                    .build())) {
      store.createUser(ALICE, "hash", T0);
      store.createRoom(
          new NewRoom(
              new Room("r-1", RoomKind.GROUP, "one", Visibility.PRIVATE, null, T0),
              Map.of(ALICE.id(), Role.OWNER)));
      for (int i = 0; i < 3; i++) {
        assertThat(join(store.append(message("before-" + i), m -> {})).message().seq())
            .isEqualTo(i + 1);
      }

      proxy.cut();
      List<String> failed = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        String clientMsgId = "during-" + i;
        Throwable thrown =
            catchThrowable(() -> join(store.append(message(clientMsgId), m -> fail())));
        assertThat(thrown)
            .as("append %s while the database is unreachable", clientMsgId)
            .isInstanceOf(CompletionException.class)
            .cause()
            .isExactlyInstanceOf(ChatException.StoreFailure.class)
            .hasMessage(PgErrors.UNREACHABLE);
        failed.add(clientMsgId);
      }
      assertThatThrownBy(() -> store.lastSeq("r-1"))
          .isExactlyInstanceOf(ChatException.StoreFailure.class)
          .hasMessage(PgErrors.UNREACHABLE);

      proxy.resume();
      await()
          .atMost(Duration.ofSeconds(20))
          .ignoreExceptions()
          .until(() -> !join(store.append(message("after"), m -> {})).duplicate());
      for (String clientMsgId : failed) {
        assertThat(join(store.append(message(clientMsgId), m -> {})).duplicate())
            .as("%s was not stored while it failed", clientMsgId)
            .isFalse();
      }
    }
    assertThat(storedSeqs())
        .as("gapless, each message once")
        .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
  }

  private static NewMessage message(String clientMsgId) {
    return new NewMessage("r-1", "m-" + clientMsgId, ALICE, clientMsgId, clientMsgId, null, T0);
  }

  private static AppendResult join(CompletableFuture<AppendResult> f) {
    return f.orTimeout(30, TimeUnit.SECONDS).join();
  }

  private static void fail() {
    throw new AssertionError("onCommitted ran for an append that failed");
  }

  /** The test database's URL with the proxy's port (and the user and password as parameters). */
  private static String throughProxy(PgUrl direct, int port) {
    String url = direct.jdbcUrl().replaceFirst("//[^/]*/", "//127.0.0.1:" + port + "/");
    String sep = url.contains("?") ? "&" : "?";
    if (direct.user() != null) {
      url += sep + "user=" + direct.user();
      sep = "&";
    }
    if (direct.password() != null) {
      url += sep + "password=" + direct.password();
    }
    return url;
  }

  private static List<Long> storedSeqs() throws Exception {
    List<Long> seqs = new ArrayList<>();
    try (Connection c = PgTestDatabase.connect();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT seq FROM " + PG.schema() + ".messages ORDER BY seq")) {
      while (rs.next()) {
        seqs.add(rs.getLong(1));
      }
    }
    return seqs;
  }
}
