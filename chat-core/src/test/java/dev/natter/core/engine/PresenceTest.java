package dev.natter.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.natter.core.AuthResult;
import dev.natter.core.model.Presence;
import dev.natter.core.protocol.ServerEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PresenceTest {
  private Fixture fx;
  private AuthResult alice;
  private AuthResult bob;
  private AuthResult dave;
  private String general; // alice and bob
  private String backroom; // bob and dave: dave never shares a room with alice
  private Client bobby;
  private Client davey;

  @BeforeEach
  void setUp() {
    fx = Fixture.start();
    alice = fx.register("alice");
    bob = fx.register("bob");
    dave = fx.register("dave");
    general = fx.group(alice, "general", bob).room().id();
    backroom = fx.group(bob, "backroom", dave).room().id();
    bobby = fx.connect(bob);
    davey = fx.connect(dave);
  }

  @AfterEach
  void tearDown() {
    fx.close();
  }

  private List<Presence> aboutAlice(Client c) {
    return c.conn.events(ServerEvent.PresenceEvent.class).stream()
        .map(ServerEvent.PresenceEvent::presence)
        .filter(p -> p.user().equals(alice.user()))
        .toList();
  }

  /** Proves that fan-out is done up to here, for bob and dave. */
  private void barrier() {
    String id = bobby.send(backroom, "barrier").messageId();
    davey.conn.awaitMessage(id);
    bobby.conn.awaitMessage(id);
  }

  @Test
  void theFirstConnectionIsAnnouncedToContactsOnly() {
    fx.clock.advance(Duration.ofMinutes(5));
    Instant at = fx.clock.now();

    Client laptop = fx.connect(alice);
    fx.clock.advance(Duration.ofMinutes(1));
    Client phone = fx.connect(fx.login(alice));

    barrier();
    assertThat(aboutAlice(bobby))
        .containsExactly(new Presence(alice.user(), Presence.Status.ONLINE, at));
    assertThat(aboutAlice(davey)).isEmpty();
    assertThat(fx.engine.connectionCount()).isEqualTo(4);
    // Alice's own devices are not told about alice.
    assertThat(aboutAlice(laptop)).isEmpty();
    assertThat(aboutAlice(phone)).isEmpty();
  }

  @Test
  void goingOfflineIsAnnouncedWhenTheLastConnectionEndsWithLastSeen() {
    Client laptop = fx.connect(alice);
    Client phone = fx.connect(fx.login(alice));
    Instant online = fx.clock.now();
    fx.clock.advance(Duration.ofMinutes(3));

    phone.cc.disconnected();
    bobby.conn.awaitMessage(laptop.send(general, "still here").messageId());
    assertThat(aboutAlice(bobby))
        .containsExactly(new Presence(alice.user(), Presence.Status.ONLINE, online));

    fx.clock.advance(Duration.ofMinutes(2));
    Instant gone = fx.clock.now();
    laptop.cc.disconnected();

    barrier();
    assertThat(aboutAlice(bobby))
        .containsExactly(
            new Presence(alice.user(), Presence.Status.ONLINE, online),
            new Presence(alice.user(), Presence.Status.OFFLINE, gone));
    assertThat(aboutAlice(davey)).isEmpty();
    assertThat(fx.memory.lastSeen(alice.user().id())).contains(gone);
    assertThat(fx.engine.connectionCount()).isEqualTo(2);
    // A later ready shows her offline since then.
    assertThat(fx.connect(bob).ready().presence())
        .filteredOn(p -> p.user().equals(alice.user()))
        .containsExactly(new Presence(alice.user(), Presence.Status.OFFLINE, gone));
  }

  @Test
  void disconnectingTwiceIsHarmless() {
    Client laptop = fx.connect(alice);

    laptop.cc.disconnected();
    laptop.cc.disconnected();

    barrier();
    assertThat(aboutAlice(bobby))
        .extracting(Presence::status)
        .containsExactly(Presence.Status.ONLINE, Presence.Status.OFFLINE);
  }

  @Test
  void aNewContactLearnsThePresenceOfTheRoomsMembers() {
    Client laptop = fx.connect(alice);
    // dave and alice have never shared a room; now alice invites dave into general.
    fx.engine.invite(alice.user(), general, "dave");

    barrier();
    assertThat(aboutAlice(davey))
        .extracting(Presence::status)
        .contains(Presence.Status.ONLINE)
        .doesNotContain(Presence.Status.OFFLINE);
    assertThat(laptop.conn.events(ServerEvent.PresenceEvent.class))
        .extracting(e -> e.presence().user())
        .contains(dave.user());
    // From now on dave hears when alice goes offline.
    laptop.cc.disconnected();
    barrier();
    assertThat(aboutAlice(davey))
        .last()
        .extracting(Presence::status)
        .isEqualTo(Presence.Status.OFFLINE);
  }

  /** Presence events a client received after its {@code mark}-th event: count per username. */
  private static Map<String, Integer> presenceCountsSince(Client c, int mark) {
    Map<String, Integer> counts = new TreeMap<>();
    for (ServerEvent e : c.conn.events().subList(mark, c.conn.events().size())) {
      if (e instanceof ServerEvent.PresenceEvent p) {
        counts.merge(p.presence().user().username(), 1, Integer::sum);
      }
    }
    return counts;
  }

  @Test
  void aNewGroupTellsEachOnlineMemberAboutEveryOtherMemberOnce() {
    AuthResult carol = fx.register("carol"); // stays offline
    Client laptop = fx.connect(alice);
    barrier();
    int aliceMark = laptop.conn.events().size();
    int bobMark = bobby.conn.events().size();
    int daveMark = davey.conn.events().size();

    fx.group(alice, "club", bob, carol, dave);

    barrier();
    assertThat(presenceCountsSince(laptop, aliceMark))
        .isEqualTo(Map.of("bob", 1, "carol", 1, "dave", 1));
    assertThat(presenceCountsSince(bobby, bobMark))
        .isEqualTo(Map.of("alice", 1, "carol", 1, "dave", 1));
    assertThat(presenceCountsSince(davey, daveMark))
        .isEqualTo(Map.of("alice", 1, "bob", 1, "carol", 1));
    assertThat(laptop.conn.events(ServerEvent.PresenceEvent.class))
        .filteredOn(e -> e.presence().user().equals(carol.user()))
        .extracting(e -> e.presence().status())
        .containsExactly(Presence.Status.OFFLINE);
  }

  @Test
  void aNewcomerAndEachMemberHearOfEachOtherOnce() {
    Client laptop = fx.connect(alice);
    barrier();
    int aliceMark = laptop.conn.events().size();
    int bobMark = bobby.conn.events().size();
    int daveMark = davey.conn.events().size();

    fx.engine.invite(alice.user(), general, "dave");

    barrier();
    assertThat(presenceCountsSince(laptop, aliceMark)).isEqualTo(Map.of("dave", 1));
    assertThat(presenceCountsSince(bobby, bobMark)).isEqualTo(Map.of("dave", 1));
    assertThat(presenceCountsSince(davey, daveMark)).isEqualTo(Map.of("alice", 1, "bob", 1));
  }
}
