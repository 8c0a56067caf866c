package dev.natter.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.natter.core.AuthResult;
import dev.natter.core.model.Message;
import dev.natter.core.model.NotifyLevel;
import dev.natter.core.model.RoomSummary;
import dev.natter.core.model.User;
import dev.natter.core.protocol.ClientCommand;
import dev.natter.core.protocol.ErrorCode;
import dev.natter.core.protocol.ServerEvent;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Mentions resolved at send and edit, counted in summaries; notification levels per member. */
class MentionsAndNotifyTest {
  private Fixture fx;
  private AuthResult alice;
  private AuthResult bob;
  private AuthResult carol;
  private AuthResult dave; // not a member of general
  private String general;
  private Client alices;
  private Client bobs;
  private Client bobsPhone;
  private Client carols;

  @BeforeEach
  void setUp() {
    fx = Fixture.start();
    alice = fx.register("alice");
    bob = fx.register("bob");
    carol = fx.register("carol");
    dave = fx.register("dave");
    general = fx.group(alice, "general", bob, carol).room().id();
    alices = fx.connect(alice);
    bobs = fx.connect(bob);
    bobsPhone = fx.connect(fx.login(bob));
    carols = fx.connect(carol);
  }

  @AfterEach
  void tearDown() {
    fx.close();
  }

  private String id(AuthResult a) {
    return a.user().id();
  }

  private Message sent(Client from, String body) {
    String messageId = from.send(general, body).messageId();
    return carols.conn.awaitMessage(messageId).message();
  }

  private RoomSummary summary(AuthResult who) {
    return fx.engine.room(who.user(), general);
  }

  @Test
  void aSendMentionsTheMembersItNamesAndEveryoneSeesThem() {
    Message m = sent(alices, "@Bob and @dave (not here) and email@carol.org");

    assertThat(m.mentions()).containsExactly(id(bob));
    assertThat(bobs.conn.awaitMessage(m.messageId()).message().mentions()).containsExactly(id(bob));
    assertThat(fx.memory.findMessage(general, m.messageId()).orElseThrow().mentions())
        .containsExactly(id(bob));
    assertThat(fx.engine.messages(bob.user(), general, null, null, 10).messages().get(0))
        .isEqualTo(m);
  }

  @Test
  void atRoomMentionsEveryMemberButTheSender() {
    Message m = sent(bobs, "@room lunch?");

    assertThat(m.mentions()).containsExactly(id(alice), id(carol));
  }

  @Test
  void anEditRecomputesTheMentionsAndTheUpdateCarriesThem() {
    Message m = sent(alices, "hi @bob");
    ClientCommand.Edit toCarol =
        new ClientCommand.Edit(Client.newRequestId(), general, m.messageId(), "hi @carol");

    alices.request(toCarol, ServerEvent.Ok.class);

    ServerEvent.MessageUpdated update =
        bobs.conn.await(ServerEvent.MessageUpdated.class, u -> u.body().equals("hi @carol"));
    assertThat(update.mentions()).containsExactly(id(carol));
    assertThat(summary(bob).mentions()).isZero();
    assertThat(summary(carol).mentions()).isEqualTo(1);

    alices.request(
        new ClientCommand.Edit(Client.newRequestId(), general, m.messageId(), "hi all"),
        ServerEvent.Ok.class);
    assertThat(carols.conn.await(ServerEvent.MessageUpdated.class, u -> u.body().equals("hi all")))
        .extracting(ServerEvent.MessageUpdated::mentions)
        .isEqualTo(List.of());
    assertThat(summary(carol).mentions()).isZero();
  }

  @Test
  void theMentionCountIsForTheMentionedMemberOnlyAndDropsAfterReadOrDelete() {
    Message first = sent(alices, "@bob one");
    sent(alices, "two");
    Message third = sent(carols, "@bob three");

    assertThat(summary(bob).mentions()).isEqualTo(2);
    assertThat(summary(bob).unread()).isEqualTo(3);
    assertThat(summary(carol).mentions()).isZero();
    assertThat(summary(alice).mentions()).isZero();
    assertThat(fx.engine.rooms(bob.user()))
        .filteredOn(s -> s.room().id().equals(general))
        .singleElement()
        .extracting(RoomSummary::mentions)
        .isEqualTo(2L);
    assertThat(fx.connect(bob).ready().rooms())
        .filteredOn(s -> s.room().id().equals(general))
        .singleElement()
        .extracting(RoomSummary::mentions)
        .isEqualTo(2L);

    fx.engine.markRead(bob.user(), general, first.seq());
    assertThat(summary(bob).mentions()).isEqualTo(1);
    fx.engine.delete(carol.user(), general, third.messageId());
    assertThat(summary(bob).mentions()).isZero();
  }

  @Test
  void theLevelIsSetForMeOnlyAndEveryDeviceOfMineHearsIt() {
    assertThat(summary(bob).notifyLevel()).isEqualTo(NotifyLevel.ALL);

    RoomSummary set = fx.engine.setNotifyLevel(bob.user(), general, NotifyLevel.MENTIONS);

    assertThat(set.notifyLevel()).isEqualTo(NotifyLevel.MENTIONS);
    assertThat(set.room().id()).isEqualTo(general);
    for (Client device : List.of(bobs, bobsPhone)) {
      ServerEvent.RoomEvent told =
          device.conn.await(
              ServerEvent.RoomEvent.class, e -> e.room().notifyLevel() == NotifyLevel.MENTIONS);
      assertThat(told.room()).isEqualTo(set);
    }
    assertThat(summary(bob).notifyLevel()).isEqualTo(NotifyLevel.MENTIONS);
    assertThat(summary(alice).notifyLevel()).isEqualTo(NotifyLevel.ALL);
    assertThat(fx.connect(bob).ready().rooms())
        .filteredOn(s -> s.room().id().equals(general))
        .extracting(RoomSummary::notifyLevel)
        .containsExactly(NotifyLevel.MENTIONS);
    sent(alices, "barrier");
    assertThat(alices.conn.events(ServerEvent.RoomEvent.class))
        .noneMatch(e -> e.room().notifyLevel() == NotifyLevel.MENTIONS);

    fx.engine.setNotifyLevel(bob.user(), general, NotifyLevel.NONE);
    assertThat(summary(bob).notifyLevel()).isEqualTo(NotifyLevel.NONE);
  }

  @Test
  void theLevelOfADmIsAllUntilSet() {
    String dm = fx.engine.openDm(alice.user(), "bob").room().room().id();
    User me = bob.user();

    assertThat(fx.engine.room(me, dm).notifyLevel()).isEqualTo(NotifyLevel.ALL);
    assertThat(fx.engine.setNotifyLevel(me, dm, NotifyLevel.NONE).notifyLevel())
        .isEqualTo(NotifyLevel.NONE);
    assertThat(fx.engine.room(me, dm).notifyLevel()).isEqualTo(NotifyLevel.NONE);
    assertThat(fx.engine.room(me, dm).room().name()).isEqualTo("Alice");
  }

  @Test
  void onlyMembersSetALevel() {
    Fixture.assertFails(
        ErrorCode.FORBIDDEN,
        () -> fx.engine.setNotifyLevel(dave.user(), general, NotifyLevel.NONE));
    Fixture.assertFails(
        ErrorCode.NOT_FOUND,
        () -> fx.engine.setNotifyLevel(bob.user(), "no-such-room", NotifyLevel.NONE));
    Fixture.assertFails(
        ErrorCode.BAD_REQUEST, () -> fx.engine.setNotifyLevel(bob.user(), general, null));
    assertThat(fx.memory.findMembership(general, id(dave))).isEmpty();
  }
}
