package dev.natter.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.natter.core.model.Visibility;
import dev.natter.core.protocol.ServerEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three nodes on one database and one Redis, nginx in front: users on different nodes chat in one
 * order that matches the database, and a client resumes on another node missing nothing.
 */
@Timeout(300)
class ClusterChatTest {
  @RegisterExtension static final Services.Postgres PG = new Services.Postgres();
  @RegisterExtension static final Services.Redis REDIS = new Services.Redis();
  @RegisterExtension static final Services.Nginx NGINX = new Services.Nginx();

  /** Bounds every wait; far above what the machine needs, never a claim about speed. */
  static final Duration PATIENCE = Duration.ofSeconds(60);

  private static Cluster cluster;
  private final List<Chatter> chatters = new ArrayList<>();

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
  }

  private Chatter chatter(java.net.URI server, String username) {
    Chatter c = Chatter.connect(server, username);
    chatters.add(c);
    return c;
  }

  static List<Long> oneTo(long n) {
    return LongStream.rangeClosed(1, n).boxed().toList();
  }

  @Test
  void usersOnDifferentNodesChatInOneOrderThatMatchesTheDatabase() {
    Chatter alice = chatter(cluster.node(0).uri(), "alice");
    Chatter bob = chatter(cluster.node(1).uri(), "bob");
    Chatter carol = chatter(cluster.node(2).uri(), "carol");
    Chatter dave = chatter(cluster.proxy(), "dave"); // wherever nginx sends him
    String room =
        alice
            .client
            .createRoom("general", Visibility.PUBLIC, List.of("bob", "carol", "dave"))
            .join()
            .room()
            .id();
    int perSender = 40;
    List<CompletableFuture<ServerEvent.Ack>> sent = new ArrayList<>();
    for (int i = 0; i < perSender; i++) {
      for (Chatter c : List.of(alice, bob, carol)) {
        sent.add(c.send(room, c.username + " " + i));
      }
    }
    CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
    long total = 3L * perSender;

    for (Chatter c : List.of(alice, bob, carol, dave)) {
      await()
          .atMost(PATIENCE)
          .untilAsserted(() -> assertThat(c.seqs(room)).as(c.username).hasSize((int) total));
    }
    List<Cluster.Stored> stored = cluster.messages(room);
    assertThat(stored).extracting(Cluster.Stored::seq).containsExactlyElementsOf(oneTo(total));
    List<String> storedIds = stored.stream().map(Cluster.Stored::messageId).toList();
    for (Chatter c : List.of(alice, bob, carol, dave)) {
      assertThat(c.seqs(room)).as(c.username).containsExactlyElementsOf(oneTo(total));
      assertThat(c.messageIds(room)).as(c.username).containsExactlyElementsOf(storedIds);
    }
    // every ack names the stored message it was stored as
    for (Chatter c : List.of(alice, bob, carol)) {
      for (ServerEvent.Ack ack : c.acks) {
        Cluster.Stored s = stored.get((int) ack.seq() - 1);
        assertThat(s.messageId()).isEqualTo(ack.messageId());
        assertThat(s.clientMsgId()).isEqualTo(ack.clientMsgId());
      }
    }
  }

  @Test
  void aClientResumesOnAnotherNodeMissingNothing() {
    Chatter erin = chatter(cluster.node(0).uri(), "erin");
    Chatter frank = chatter(cluster.node(1).uri(), "frank");
    String room =
        frank.client.createRoom("resume", Visibility.PRIVATE, List.of("erin")).join().room().id();
    for (int i = 0; i < 10; i++) {
      frank.send(room, "before " + i).join();
    }
    await().atMost(PATIENCE).until(() -> erin.seqs(room).size() == 10);
    Map<String, Long> lastSeen = erin.client.lastSeen();
    erin.close();

    for (int i = 0; i < 25; i++) {
      frank.send(room, "while away " + i).join();
    }
    Chatter erinAgain = Chatter.connect(cluster.node(2).uri(), "erin", lastSeen);
    chatters.add(erinAgain);
    frank.send(room, "welcome back").join();

    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () -> assertThat(erinAgain.seqs(room)).containsExactlyElementsOf(oneToFrom(11, 36)));
    List<String> storedIds =
        cluster.messages(room).stream().skip(10).map(Cluster.Stored::messageId).toList();
    assertThat(erinAgain.messageIds(room)).containsExactlyElementsOf(storedIds);
  }

  private static List<Long> oneToFrom(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }
}
