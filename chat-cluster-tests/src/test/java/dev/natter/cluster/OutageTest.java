package dev.natter.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.natter.client.Outbox;
import dev.natter.core.ChatException;
import dev.natter.core.model.Visibility;
import dev.natter.core.protocol.ServerEvent;
import io.lettuce.core.KillArgs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The engines behind the nodes fail: Redis's pub/sub connections are killed, Redis is paused,
 * PostgreSQL refuses the nodes. Every client converges within 2 s once Redis is back; sends fail
 * with a clear error while the database is away (never a false ack) and work again afterwards.
 */
@Timeout(300)
class OutageTest {
  @RegisterExtension static final Services.Postgres PG = new Services.Postgres();
  @RegisterExtension static final Services.Redis REDIS = new Services.Redis();
  @RegisterExtension static final Services.Nginx NGINX = new Services.Nginx();

  /** How soon after recovery every client must have every message (the figure). */
  private static final Duration CONVERGENCE = Duration.ofSeconds(2);

  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private static Cluster cluster;
  private final List<Chatter> chatters = new ArrayList<>();
  private String room;

  @BeforeAll
  static void startCluster() {
    cluster = new Cluster(3);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @AfterEach
  void closeClients() {
    chatters.forEach(Chatter::close);
    cluster.restoreDatabase();
  }

  /** One user on each node (directly, so that every message crosses the bus), in a new room. */
  private void usersOnEveryNode(String prefix) {
    for (int i = 0; i < 3; i++) {
      chatters.add(Chatter.connect(cluster.node(i).uri(), prefix + i));
    }
    room =
        chatters
            .get(0)
            .client
            .createRoom(prefix, Visibility.PUBLIC, List.of(prefix + "1", prefix + "2"))
            .join()
            .room()
            .id();
  }

  private void sendFromNode0(int count, String what) {
    List<CompletableFuture<ServerEvent.Ack>> acks = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      acks.add(chatters.get(0).send(room, what + " " + i));
    }
    CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
  }

  /** Every client has exactly the stored messages, in order. */
  private void assertConverged(Duration within) {
    for (Chatter c : chatters) {
      await()
          .atMost(within)
          .pollInterval(Duration.ofMillis(20))
          .untilAsserted(
              () ->
                  assertThat(c.messageIds(room))
                      .as(c.username)
                      .containsExactlyElementsOf(
                          cluster.messages(room).stream().map(Cluster.Stored::messageId).toList()));
    }
  }

  private long subscribers() {
    Map<String, Long> n = cluster.redis().pubsubNumsub(cluster.busPrefix + "events");
    return n.values().stream().mapToLong(Long::longValue).sum();
  }

  @Test
  void afterRedisPubSubConnectionsAreKilledEveryClientConvergesWithinTwoSeconds() {
    usersOnEveryNode("kill");
    sendFromNode0(10, "before");
    assertConverged(PATIENCE);

    long killed = cluster.redis().clientKill(KillArgs.Builder.typePubsub());
    assertThat(killed).isGreaterThanOrEqualTo(3);
    sendFromNode0(20, "while resubscribing"); // acked by the store; the bus may lose them
    await().atMost(PATIENCE).pollInterval(Duration.ofMillis(10)).until(() -> subscribers() >= 3);
    assertConverged(CONVERGENCE); // recovery: every node subscribed again
    sendFromNode0(5, "after");
    assertConverged(PATIENCE);
  }

  @Test
  void afterRedisIsPausedEveryClientConvergesWithinTwoSeconds() throws Exception {
    usersOnEveryNode("pause");
    sendFromNode0(10, "before");
    assertConverged(PATIENCE);

    long pauseMs = 3_000;
    long pausedAt = System.nanoTime();
    cluster.redis().clientPause(pauseMs); // every client of Redis waits, the nodes' too
    sendFromNode0(20, "while paused"); // acked by the store; published once Redis answers
    long left = pauseMs - (System.nanoTime() - pausedAt) / 1_000_000;
    if (left > 0) {
      Thread.sleep(left);
    }
    assertConverged(CONVERGENCE); // recovery: the pause is over
  }

  @Test
  void whilePostgresRefusesTheNodesSendsFailClearlyAndResumeAfterwards() {
    usersOnEveryNode("pg");
    sendFromNode0(5, "before");
    assertConverged(PATIENCE);

    cluster.cutDatabase();
    List<Outbox.Entry> attempts = new ArrayList<>();
    List<CompletableFuture<ServerEvent.Ack>> results = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Outbox.Entry e = new Outbox.Entry(UUID.randomUUID().toString(), room, "during " + i, null);
      attempts.add(e);
      results.add(chatters.get(1).send(e));
    }
    List<Outbox.Entry> failed = new ArrayList<>();
    List<ServerEvent.Ack> acked = new ArrayList<>();
    for (int i = 0; i < attempts.size(); i++) {
      try {
        acked.add(results.get(i).get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
      } catch (Exception ex) {
        Throwable cause =
            ex instanceof java.util.concurrent.ExecutionException ? ex.getCause() : ex;
        assertThat(cause).isInstanceOf(ChatException.class);
        assertThat(cause.getMessage())
            .as("a clear error, no SQL")
            .doesNotContainIgnoringCase("select")
            .doesNotContainIgnoringCase("insert")
            .doesNotContainIgnoringCase("jdbc");
        failed.add(attempts.get(i));
      }
    }
    assertThat(failed).as("sends while the database refuses the nodes fail").isNotEmpty();
    cluster.restoreDatabase();

    // never a false ack: what was acked is stored; what failed is resent with its clientMsgId
    await()
        .atMost(PATIENCE)
        .ignoreExceptions()
        .until(() -> chatters.get(1).send(room, "after").get(5, TimeUnit.SECONDS) != null);
    for (Outbox.Entry e : failed) {
      chatters.get(1).send(e).join();
    }
    List<Cluster.Stored> stored = cluster.messages(room);
    assertThat(stored)
        .extracting(Cluster.Stored::seq)
        .containsExactlyElementsOf(ClusterChatTest.oneTo(stored.size()));
    for (ServerEvent.Ack ack : acked) {
      assertThat(stored.get((int) ack.seq() - 1).clientMsgId()).isEqualTo(ack.clientMsgId());
    }
    for (Outbox.Entry e : attempts) {
      assertThat(stored).filteredOn(s -> e.clientMsgId().equals(s.clientMsgId())).hasSize(1);
    }
    assertConverged(PATIENCE);
  }

  @SuppressWarnings("unused")
  private static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }
}
