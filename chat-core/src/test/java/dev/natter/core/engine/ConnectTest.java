package dev.natter.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.natter.core.AuthResult;
import dev.natter.core.model.Presence;
import dev.natter.core.model.Role;
import dev.natter.core.model.RoomKind;
import dev.natter.core.model.RoomSummary;
import dev.natter.core.model.User;
import dev.natter.core.protocol.ServerEvent;
import dev.natter.core.spi.HeartbeatPolicy;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConnectTest {
  private Fixture fx;

  @AfterEach
  void tearDown() {
    fx.close();
  }

  @Test
  void readyComesFirstWithMyRoomsAndMyContactsPresence() {
    fx = Fixture.builder().heartbeat(HeartbeatPolicy.of(1_000, 3_000)).start();
    AuthResult alice = fx.register("alice");
    AuthResult bob = fx.register("bob");
    AuthResult carol = fx.register("carol");
    AuthResult dave = fx.register("dave");
    String general = fx.group(alice, "general", bob).room().id();
    String dm = fx.engine.openDm(alice.user(), "carol").room().room().id();
    fx.group(dave, "dave's den"); // a room alice is not in
    Client bobby = fx.connect(bob);
    fx.connect(dave);

    Client a = fx.connect(alice);

    assertThat(a.conn.events()).hasSize(1);
    ServerEvent.Ready ready = a.ready();
    assertThat(ready.user()).isEqualTo(alice.user());
    assertThat(ready.heartbeat()).isEqualTo(new ServerEvent.HeartbeatSettings(1_000, 3_000));
    Map<String, RoomSummary> rooms =
        ready.rooms().stream().collect(Collectors.toMap(s -> s.room().id(), s -> s));
    assertThat(rooms).containsOnlyKeys(general, dm);
    assertThat(rooms.get(general).room().name()).isEqualTo("general");
    assertThat(rooms.get(general).room().kind()).isEqualTo(RoomKind.GROUP);
    assertThat(rooms.get(general).myRole()).isEqualTo(Role.OWNER);
    assertThat(rooms.get(general).members()).containsExactly(alice.user(), bob.user());
    assertThat(rooms.get(dm).room().kind()).isEqualTo(RoomKind.DM);
    assertThat(rooms.get(dm).room().name()).isEqualTo("Carol");
    assertThat(rooms.get(dm).myRole()).isEqualTo(Role.MEMBER);
    assertThat(rooms.get(dm).members()).containsExactly(alice.user(), carol.user());
    Map<String, Presence.Status> presence =
        ready.presence().stream()
            .collect(Collectors.toMap(p -> p.user().username(), Presence::status));
    assertThat(presence)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("bob", Presence.Status.ONLINE, "carol", Presence.Status.OFFLINE));
    // The DM is named after the other member for each of them.
    assertThat(fx.engine.rooms(carol.user()))
        .singleElement()
        .satisfies(s -> assertThat(s.room().name()).isEqualTo("Alice"));
    assertThat(bobby.conn.events(ServerEvent.PresenceEvent.class))
        .extracting(ServerEvent.PresenceEvent::presence)
        .containsExactly(new Presence(alice.user(), Presence.Status.ONLINE, fx.clock.now()));
  }

  @Test
  void readyLoadsTheContactsInOneStoreCall() {
    List<String> findUser = new CopyOnWriteArrayList<>();
    List<Collection<String>> findUsers = new CopyOnWriteArrayList<>();
    fx =
        Fixture.builder()
            .store(
                s ->
                    new DelegatingStore(s) {
                      @Override
                      public Optional<User> findUser(String userId) {
                        findUser.add(userId);
                        return super.findUser(userId);
                      }

                      @Override
                      public List<User> findUsers(Collection<String> userIds) {
                        findUsers.add(List.copyOf(userIds));
                        return super.findUsers(userIds);
                      }
                    })
            .start();
    AuthResult alice = fx.register("alice");
    AuthResult bob = fx.register("bob");
    AuthResult carol = fx.register("carol");
    AuthResult dave = fx.register("dave");
    fx.group(alice, "general", bob, carol);
    fx.group(alice, "other", carol, dave);
    findUser.clear();
    findUsers.clear();

    ServerEvent.Ready ready = fx.connect(alice).ready();

    assertThat(ready.presence())
        .extracting(p -> p.user().username())
        .containsExactlyInAnyOrder("bob", "carol", "dave");
    assertThat(findUser)
        .as("findUser calls (authenticate looks up alice)")
        .containsOnly(alice.user().id());
    assertThat(findUsers)
        .singleElement()
        .satisfies(
            ids ->
                assertThat(ids)
                    .containsExactlyInAnyOrder(
                        bob.user().id(), carol.user().id(), dave.user().id()));
  }

  @Test
  void readyLoadsTheOfflineContactsLastSeenInOneStoreCall() {
    List<String> lastSeenOne = new CopyOnWriteArrayList<>();
    List<Collection<String>> lastSeenMany = new CopyOnWriteArrayList<>();
    fx =
        Fixture.builder()
            .store(
                s ->
                    new DelegatingStore(s) {
                      @Override
                      public Optional<Instant> lastSeen(String userId) {
                        lastSeenOne.add(userId);
                        return super.lastSeen(userId);
                      }

                      @Override
                      public Map<String, Instant> lastSeen(Collection<String> userIds) {
                        lastSeenMany.add(List.copyOf(userIds));
                        return super.lastSeen(userIds);
                      }
                    })
            .start();
    AuthResult alice = fx.register("alice");
    AuthResult bob = fx.register("bob");
    AuthResult carol = fx.register("carol");
    AuthResult dave = fx.register("dave");
    fx.group(alice, "general", bob, carol, dave);
    fx.connect(bob);
    Client c = fx.connect(carol);
    Instant carolLeft = fx.clock.now();
    c.cc.close();
    await().until(() -> fx.memory.lastSeen(carol.user().id()).isPresent());
    lastSeenOne.clear();
    lastSeenMany.clear();

    ServerEvent.Ready ready = fx.connect(alice).ready();

    assertThat(ready.presence())
        .extracting(p -> p.user().username(), Presence::status, Presence::lastSeen)
        .containsExactlyInAnyOrder(
            tuple("bob", Presence.Status.ONLINE, fx.clock.now()),
            tuple("carol", Presence.Status.OFFLINE, carolLeft),
            tuple("dave", Presence.Status.OFFLINE, null));
    assertThat(lastSeenOne).as("lastSeen calls one by one").isEmpty();
    assertThat(lastSeenMany)
        .singleElement()
        .satisfies(
            ids -> assertThat(ids).containsExactlyInAnyOrder(carol.user().id(), dave.user().id()));
  }

  @Test
  void readyOfAUserWithoutRoomsIsEmpty() {
    fx = Fixture.start();
    AuthResult loner = fx.register("loner");

    ServerEvent.Ready ready = fx.connect(loner).ready();

    assertThat(ready.rooms()).isEmpty();
    assertThat(ready.presence()).isEmpty();
    assertThat(ready.heartbeat()).isEqualTo(new ServerEvent.HeartbeatSettings(25_000, 60_000));
  }

  @Test
  void eventsThatHappenWhileConnectingFollowReady() {
    AtomicReference<Runnable> duringConnect = new AtomicReference<>();
    fx =
        Fixture.builder()
            .store(
                s ->
                    new DelegatingStore(s) {
                      @Override
                      public List<String> contactsOf(String userId) {
                        Runnable hook = duringConnect.getAndSet(null);
                        if (hook != null) {
                          hook.run();
                        }
                        return super.contactsOf(userId);
                      }
                    })
            .start();
    AuthResult alice = fx.register("alice");
    AuthResult bob = fx.register("bob");
    String general = fx.group(bob, "general", alice).room().id();
    Client bobby = fx.connect(bob);
    AtomicReference<ServerEvent.Ack> ack = new AtomicReference<>();
    AtomicReference<String> newRoom = new AtomicReference<>();
    // Runs inside connect(), after alice's connection is registered and before ready is sent.
    duringConnect.set(
        () -> {
          ack.set(bobby.send(general, "you are connecting"));
          newRoom.set(fx.group(bob, "fresh", alice).room().id());
        });

    Client a = fx.connect(alice);

    assertThat(ack.get()).as("the hook ran during connect").isNotNull();
    List<ServerEvent> events = a.conn.events();
    assertThat(events.get(0)).isInstanceOf(ServerEvent.Ready.class);
    assertThat(events.subList(1, events.size()))
        .anySatisfy(
            e ->
                assertThat(e)
                    .isInstanceOfSatisfying(
                        ServerEvent.MessageEvent.class,
                        m -> assertThat(m.message().messageId()).isEqualTo(ack.get().messageId())))
        .anySatisfy(
            e ->
                assertThat(e)
                    .isInstanceOfSatisfying(
                        ServerEvent.RoomEvent.class,
                        r -> assertThat(r.room().room().id()).isEqualTo(newRoom.get())));
    assertThat(a.conn.events(ServerEvent.Ready.class)).hasSize(1);
    // Later events keep flowing after the buffered ones.
    ServerEvent.Ack later = bobby.send(general, "and now you are here");
    assertThat(a.conn.messages(general)).extracting(m -> m.seq()).containsExactly(1L, 2L);
    assertThat(a.conn.messages(general).get(1).messageId()).isEqualTo(later.messageId());
  }

  @Test
  void readyShowsLastMessageAndUnreadCount() {
    fx = Fixture.start();
    AuthResult alice = fx.register("alice");
    AuthResult bob = fx.register("bob");
    String general = fx.group(alice, "general", bob).room().id();
    Client a = fx.connect(alice);
    a.send(general, "one");
    ServerEvent.Ack two = a.send(general, "two");

    ServerEvent.Ready ready = fx.connect(bob).ready();

    RoomSummary s = ready.rooms().get(0);
    assertThat(s.lastSeq()).isEqualTo(2);
    assertThat(s.unread()).isEqualTo(2);
    assertThat(s.lastReadSeq()).isZero();
    assertThat(s.lastMessage().messageId()).isEqualTo(two.messageId());
    assertThat(s.lastMessage().body()).isEqualTo("two");
    User sender = s.lastMessage().sender();
    assertThat(sender).isEqualTo(alice.user());
  }
}
