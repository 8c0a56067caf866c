package dev.natter.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.natter.core.model.Visibility;
import dev.natter.core.protocol.ServerEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code kill -9} of a node under load, twice (until one node is left): nothing acked is lost or
 * stored twice, and the killed nodes' clients resume on the others through nginx.
 */
@Timeout(300)
class NodeKillTest {
  @RegisterExtension static final Services.Postgres PG = new Services.Postgres();
  @RegisterExtension static final Services.Redis REDIS = new Services.Redis();
  @RegisterExtension static final Services.Nginx NGINX = new Services.Nginx();

  private static final Duration PATIENCE = Duration.ofSeconds(90);

  private static Cluster cluster;

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

  @Test
  void killingNodesUnderLoadLosesNothingAckedAndTheirClientsResumeElsewhere() throws Exception {
    List<Chatter> chatters = new ArrayList<>();
    try {
      for (int i = 0; i < 6; i++) { // least_conn spreads them over the three nodes
        chatters.add(Chatter.connect(cluster.proxy(), "user" + i));
      }
      List<String> others = chatters.stream().skip(1).map(c -> c.username).toList();
      String room =
          chatters.get(0).client.createRoom("load", Visibility.PUBLIC, others).join().room().id();
      Load load = new Load(chatters, room);
      try {
        for (int kill = 0; kill < 2; kill++) {
          Thread.sleep(1_500);
          int before = load.sent.size();
          cluster.node(kill).kill9();
          // the load goes on: acks come again once the clients have resumed elsewhere
          await().atMost(PATIENCE).until(() -> acked(load) > before + 20);
        }
        Thread.sleep(1_000);
      } finally {
        load.close();
      }
      CompletableFuture.allOf(load.sent.values().toArray(CompletableFuture[]::new))
          .get(PATIENCE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);

      // the database holds every message sent, once, in one gapless order
      List<Cluster.Stored> stored = cluster.messages(room);
      assertThat(stored)
          .extracting(Cluster.Stored::seq)
          .containsExactlyElementsOf(ClusterChatTest.oneTo(stored.size()));
      Set<String> storedIds = new HashSet<>();
      stored.forEach(s -> storedIds.add(s.clientMsgId()));
      assertThat(storedIds).hasSize(stored.size()).isEqualTo(load.sent.keySet());
      // every ack names the row it was stored as
      Map<Long, Cluster.Stored> bySeq = new java.util.HashMap<>();
      stored.forEach(s -> bySeq.put(s.seq(), s));
      for (CompletableFuture<ServerEvent.Ack> f : load.sent.values()) {
        ServerEvent.Ack ack = f.join();
        assertThat(bySeq.get(ack.seq()).messageId()).isEqualTo(ack.messageId());
        assertThat(bySeq.get(ack.seq()).clientMsgId()).isEqualTo(ack.clientMsgId());
      }
      // every client, wherever it resumed, saw every message once and in order
      List<String> ids = stored.stream().map(Cluster.Stored::messageId).toList();
      for (Chatter c : chatters) {
        await()
            .atMost(PATIENCE)
            .untilAsserted(
                () -> assertThat(c.messageIds(room)).as(c.username).containsExactlyElementsOf(ids));
      }
      assertThat(chatters.stream().mapToInt(c -> c.disconnects.get()).sum())
          .as("clients of the killed nodes reconnected")
          .isGreaterThan(0);
    } finally {
      chatters.forEach(Chatter::close);
    }
  }

  private static long acked(Load load) {
    return load.sent.values().stream()
        .filter(f -> f.isDone() && !f.isCompletedExceptionally())
        .count();
  }
}
