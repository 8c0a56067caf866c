package dev.natter.bus.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.natter.core.ConnectedClient;
import dev.natter.core.model.User;
import dev.natter.core.model.Visibility;
import dev.natter.core.protocol.ServerEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Three nodes on one Redis and one store, with users listening on different nodes. */
class RedisEventBusTest {
  @RegisterExtension static final RedisTestServer REDIS = new RedisTestServer();

  /** Bounds every wait; far above what the machine needs, never a claim about speed. */
  private static final Duration PATIENCE = Duration.ofSeconds(10);

  /** Long enough that no periodic head check runs during a test that must not rely on one. */
  private static final Duration NO_PERIODIC_CHECK = Duration.ofMinutes(10);

  private Cluster cluster;
  private User alice;
  private User bob;
  private User carol;
  private String room;

  private void start(Duration headCheckPeriod) {
    cluster = new Cluster(REDIS, 3, headCheckPeriod);
    alice = cluster.user("alice");
    bob = cluster.user("bob");
    carol = cluster.user("carol");
    room =
        cluster
            .engine(0)
            .createRoom(alice, "general", Visibility.PUBLIC, List.of("bob", "carol"))
            .room()
            .id();
  }

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private Inbox listen(int node, User user) {
    Inbox inbox = new Inbox();
    ConnectedClient unused = cluster.engine(node).listen(user, inbox);
    return inbox;
  }

  private void send(int node, User from, int count) {
    CompletableFuture<?> last = null;
    for (int i = 0; i < count; i++) {
      last = cluster.engine(node).send(from, room, "hello " + i);
    }
    last.join();
  }

  private static List<Long> seqsUpTo(long last) {
    return LongStream.rangeClosed(1, last).boxed().toList();
  }

  private void awaitSeqs(Inbox inbox, long last) {
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () -> assertThat(inbox.seqs(room)).containsExactlyElementsOf(seqsUpTo(last)));
  }

  @Test
  void messagesSentOnOneNodeReachEveryNodeInOrderOnce() {
    start(NO_PERIODIC_CHECK);
    Inbox carolOnA = listen(0, carol);
    Inbox bobOnB = listen(1, bob);
    Inbox carolOnC = listen(2, carol);

    send(0, alice, 100);
    send(2, bob, 1); // seq 101, from another node: whatever was duplicated would come before it

    awaitSeqs(bobOnB, 101);
    awaitSeqs(carolOnA, 101);
    awaitSeqs(carolOnC, 101);
  }

  @Test
  void sendersOtherNodesGetTheirOwnMessageWithItsClientMsgIdOnce() {
    start(NO_PERIODIC_CHECK);
    Inbox aliceOnB = listen(1, alice);
    Inbox bobOnB = listen(1, bob);

    cluster.engine(0).send(alice, room, "c-1", "hello", null).join();
    send(0, alice, 1);

    awaitSeqs(aliceOnB, 2);
    awaitSeqs(bobOnB, 2);
    assertThat(aliceOnB.messages(room).get(0).clientMsgId()).isEqualTo("c-1");
    assertThat(bobOnB.messages(room)).allSatisfy(m -> assertThat(m.clientMsgId()).isNull());
  }

  @Test
  void aLostPublishIsFilledFromTheStoreWhenTheNextMessageComes() {
    start(NO_PERIODIC_CHECK);
    Inbox bobOnB = listen(1, bob);
    Inbox carolOnC = listen(2, carol);
    send(0, alice, 1);
    awaitSeqs(bobOnB, 1);

    cluster.node(0).bus().dropNextPublishes(2); // both parts of seq 2 never reach Redis
    send(0, alice, 1);
    send(0, alice, 1);

    awaitSeqs(bobOnB, 3);
    awaitSeqs(carolOnC, 3);
  }

  @Test
  void aLostRoomPartIsDeliveredFromTheSendersCopy() {
    start(NO_PERIODIC_CHECK);
    Inbox aliceOnB = listen(1, alice);
    Inbox bobOnB = listen(1, bob);

    cluster.node(0).bus().dropNextPublishes(1); // the room part of seq 1; the sender copy goes
    cluster.engine(0).send(alice, room, "c-1", "hello", null).join();

    awaitSeqs(bobOnB, 1);
    awaitSeqs(aliceOnB, 1);
    assertThat(aliceOnB.messages(room).get(0).clientMsgId()).isEqualTo("c-1");
  }

  @Test
  void aLostLastPublishIsFilledByThePeriodicHeadCheck() {
    start(Duration.ofMillis(200));
    Inbox bobOnB = listen(1, bob);
    send(0, alice, 1);
    awaitSeqs(bobOnB, 1);

    cluster.node(0).bus().dropNextPublishes(2);
    send(0, alice, 1); // nothing follows it: only the head check can reveal it

    awaitSeqs(bobOnB, 2);
  }

  @Test
  void afterThePubSubConnectionsAreKilledEveryNodeConverges() {
    start(NO_PERIODIC_CHECK);
    Inbox bobOnB = listen(1, bob);
    Inbox carolOnC = listen(2, carol);
    send(0, alice, 1);
    awaitSeqs(bobOnB, 1);
    awaitSeqs(carolOnC, 1);

    assertThat(REDIS.killPubSubConnections()).isGreaterThanOrEqualTo(3);
    send(0, alice, 5); // published while the subscribers are away: filled after they resubscribe

    awaitSeqs(bobOnB, 6);
    awaitSeqs(carolOnC, 6);
    send(1, bob, 1); // and the bus carries new messages again, in every direction
    awaitSeqs(carolOnC, 7);
  }

  @Test
  void typingReachesTheOtherNodes() {
    start(NO_PERIODIC_CHECK);
    Inbox bobOnB = listen(1, bob);

    cluster.engine(0).typing(alice, room, true);

    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(bobOnB.typing(room))
                    .extracting(ServerEvent.TypingEvent::user, ServerEvent.TypingEvent::active)
                    .contains(org.assertj.core.groups.Tuple.tuple(alice, true)));
  }
}
