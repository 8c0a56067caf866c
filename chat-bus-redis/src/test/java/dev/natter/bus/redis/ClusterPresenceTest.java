package dev.natter.bus.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.natter.core.ConnectedClient;
import dev.natter.core.model.Presence;
import dev.natter.core.model.User;
import dev.natter.core.model.Visibility;
import dev.natter.core.protocol.ServerEvent;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Presence and the room-member caches across three nodes on a real Redis: online while any node
 * holds a connection, one event per real change, a halted node stops counting within its TTL.
 */
class ClusterPresenceTest {
  @RegisterExtension static final RedisTestServer REDIS = new RedisTestServer();

  private static final Duration PATIENCE = Duration.ofSeconds(10);
  private static final Duration TTL = Duration.ofMillis(900);

  private Cluster cluster;
  private User alice;
  private User bob;
  private String room;

  @BeforeEach
  void start() {
    cluster = new Cluster(REDIS, 3, Duration.ofMinutes(10), TTL, Duration.ZERO);
    alice = cluster.user("alice");
    bob = cluster.user("bob");
    room =
        cluster
            .engine(0)
            .createRoom(alice, "general", Visibility.PUBLIC, List.of("bob"))
            .room()
            .id();
  }

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static List<Presence.Status> presenceOf(Inbox inbox, User who) {
    return inbox.events.stream()
        .filter(ServerEvent.PresenceEvent.class::isInstance)
        .map(e -> ((ServerEvent.PresenceEvent) e).presence())
        .filter(p -> p.user().id().equals(who.id()))
        .map(Presence::status)
        .toList();
  }

  private ConnectedClient listen(int node, User user, Inbox inbox) {
    return cluster.engine(node).listen(user, inbox);
  }

  /** Lets every node settle (heartbeats, sweeps, bus deliveries) before asserting an absence. */
  private static void settle() throws InterruptedException {
    Thread.sleep(TTL.toMillis() * 2);
  }

  @Test
  void aUserOnTwoNodesIsToldOnlineOnceAndOfflineOnlyWhenTheLastConnectionCloses() throws Exception {
    Inbox aliceInbox = new Inbox();
    listen(0, alice, aliceInbox);

    ConnectedClient bobOn1 = listen(1, bob, new Inbox());
    await()
        .atMost(PATIENCE)
        .until(() -> presenceOf(aliceInbox, bob), s -> s.equals(List.of(Presence.Status.ONLINE)));
    ConnectedClient bobOn2 = listen(2, bob, new Inbox());
    Inbox late = new Inbox();
    listen(0, cluster.user("carol"), late); // not a contact: hears nothing of bob
    bobOn1.close();
    settle();
    assertThat(presenceOf(aliceInbox, bob)).containsExactly(Presence.Status.ONLINE);
    assertThat(cluster.node(0).bus().presence().orElseThrow().isOnline(bob.id())).isTrue();

    bobOn2.close();
    await()
        .atMost(PATIENCE)
        .until(
            () -> presenceOf(aliceInbox, bob),
            s -> s.equals(List.of(Presence.Status.ONLINE, Presence.Status.OFFLINE)));
    settle();
    assertThat(presenceOf(aliceInbox, bob))
        .containsExactly(Presence.Status.ONLINE, Presence.Status.OFFLINE);
    assertThat(cluster.node(1).bus().presence().orElseThrow().isOnline(bob.id())).isFalse();
  }

  @Test
  void theReadySnapshotOnOneNodeSeesUsersOnlineOnAnother() {
    listen(2, bob, new Inbox());
    Inbox aliceInbox = new Inbox();
    listen(0, alice, aliceInbox);
    await().atMost(PATIENCE).until(() -> !aliceInbox.events.isEmpty());
    ServerEvent.Ready ready = (ServerEvent.Ready) aliceInbox.events.get(0);
    assertThat(ready.presence())
        .filteredOn(p -> p.user().id().equals(bob.id()))
        .extracting(Presence::status)
        .containsExactly(Presence.Status.ONLINE);
  }

  @Test
  void aNodeThatDiesStopsCountingWithinItsTtlAndItsUsersContactsAreToldOnce() throws Exception {
    Inbox aliceInbox = new Inbox();
    listen(0, alice, aliceInbox);
    listen(2, bob, new Inbox());
    await()
        .atMost(PATIENCE)
        .until(() -> presenceOf(aliceInbox, bob), s -> s.equals(List.of(Presence.Status.ONLINE)));

    cluster.node(2).bus().redisPresence().haltAsIfKilled(); // no heartbeat, no clean-up of its own
    long halted = System.nanoTime();
    await()
        .atMost(PATIENCE)
        .until(() -> !cluster.node(0).bus().presence().orElseThrow().isOnline(bob.id()));
    long tookMs = (System.nanoTime() - halted) / 1_000_000;
    assertThat(tookMs).as("stopped counting after %d ms", tookMs).isLessThan(TTL.toMillis() * 3);
    await()
        .atMost(PATIENCE)
        .until(
            () -> presenceOf(aliceInbox, bob),
            s -> s.equals(List.of(Presence.Status.ONLINE, Presence.Status.OFFLINE)));
    settle();
    assertThat(presenceOf(aliceInbox, bob))
        .containsExactly(Presence.Status.ONLINE, Presence.Status.OFFLINE);
  }

  @Test
  void membershipChangesOnOneNodeReachTheFanOutOfTheOthers() throws Exception {
    User dave = cluster.user("dave");
    Inbox daveOn1 = new Inbox();
    listen(1, dave, daveOn1);
    Inbox bobOn1 = new Inbox();
    listen(1, bob, bobOn1);
    cluster.engine(2).send(alice, room, "before dave").join(); // node 1 caches the members
    await().atMost(PATIENCE).until(() -> bobOn1.messages(room).size(), n -> n == 1);

    cluster.engine(0).join(dave, room);
    await()
        .atMost(PATIENCE)
        .until(() -> daveOn1.events.stream().anyMatch(ServerEvent.RoomEvent.class::isInstance));
    cluster.engine(2).send(alice, room, "welcome dave").join();
    await().atMost(PATIENCE).until(() -> daveOn1.messages(room).size(), n -> n == 1);
    assertThat(daveOn1.messages(room).get(0).message().body()).isEqualTo("welcome dave");

    cluster.engine(0).kick(alice, room, "dave");
    await()
        .atMost(PATIENCE)
        .until(() -> daveOn1.events.stream().anyMatch(ServerEvent.RoomLeft.class::isInstance));
    cluster.engine(2).send(alice, room, "dave is gone").join();
    cluster.engine(2).send(alice, room, "still here, bob?").join();
    // node 1 delivers the room in seq order: once bob has the later one, the earlier one is done
    await()
        .atMost(PATIENCE)
        .until(
            () -> bobOn1.messages(room).stream().map(m -> m.message().body()).toList(),
            bodies -> bodies.contains("still here, bob?"));
    assertThat(daveOn1.messages(room))
        .extracting(m -> m.message().body())
        .containsExactly("welcome dave");
  }
}
