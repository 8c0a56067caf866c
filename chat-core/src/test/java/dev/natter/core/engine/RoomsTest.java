package dev.natter.core.engine;

import static dev.natter.core.engine.Fixture.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.natter.core.AuthResult;
import dev.natter.core.DmOpened;
import dev.natter.core.model.Role;
import dev.natter.core.model.RoomKind;
import dev.natter.core.model.RoomSummary;
import dev.natter.core.model.User;
import dev.natter.core.model.Visibility;
import dev.natter.core.protocol.ClientCommand;
import dev.natter.core.protocol.ErrorCode;
import dev.natter.core.protocol.ServerEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RoomsTest {
  private Fixture fx;
  private AuthResult alice;
  private AuthResult bob;
  private AuthResult carol;
  private AuthResult dave;
  private AuthResult erin;
  private Client a;
  private Client b;
  private Client c;
  private Client d;
  private Client e;
  private String lobby; // everyone, owned by erin: for control messages

  @BeforeEach
  void setUp() {
    fx = Fixture.start();
    alice = fx.register("alice");
    bob = fx.register("bob");
    carol = fx.register("carol");
    dave = fx.register("dave");
    erin = fx.register("erin");
    lobby = fx.group(erin, "lobby", alice, bob, carol, dave).room().id();
    a = fx.connect(alice);
    b = fx.connect(bob);
    c = fx.connect(carol);
    d = fx.connect(dave);
    e = fx.connect(erin);
  }

  @AfterEach
  void tearDown() {
    fx.close();
  }

  /** Proves fan-out is done up to here for everyone. */
  private void barrier() {
    String id = e.send(lobby, "barrier").messageId();
    for (Client x : List.of(a, b, c, d, e)) {
      x.conn.awaitMessage(id);
    }
  }

  private static List<RoomSummary> roomEvents(Client x, String roomId) {
    return x.conn.events(ServerEvent.RoomEvent.class).stream()
        .map(ServerEvent.RoomEvent::room)
        .filter(s -> s.room().id().equals(roomId))
        .toList();
  }

  private static List<User> users(AuthResult... accounts) {
    return java.util.Arrays.stream(accounts).map(AuthResult::user).toList();
  }

  private ClientCommand.Send send(String room, String body) {
    return new ClientCommand.Send(Client.newRequestId(), room, Client.newClientMsgId(), body, null);
  }

  @Test
  void createRoomMakesMeOwnerAndTellsTheMembers() {
    RoomSummary club = fx.group(alice, "  Book club ", Visibility.PUBLIC, bob, carol);
    String id = club.room().id();

    assertThat(club.room().name()).isEqualTo("Book club");
    assertThat(club.room().kind()).isEqualTo(RoomKind.GROUP);
    assertThat(club.room().visibility()).isEqualTo(Visibility.PUBLIC);
    assertThat(club.room().createdAt()).isEqualTo(fx.clock.now());
    assertThat(club.myRole()).isEqualTo(Role.OWNER);
    assertThat(club.members()).containsExactlyElementsOf(users(alice, bob, carol));
    assertThat(club.lastSeq()).isZero();
    assertThat(club.lastMessage()).isNull();
    assertThat(fx.memory.findMembership(id, alice.user().id()).orElseThrow().role())
        .isEqualTo(Role.OWNER);
    barrier();
    assertThat(roomEvents(a, id))
        .singleElement()
        .extracting(RoomSummary::myRole)
        .isEqualTo(Role.OWNER);
    assertThat(roomEvents(b, id))
        .singleElement()
        .extracting(RoomSummary::myRole)
        .isEqualTo(Role.MEMBER);
    assertThat(roomEvents(c, id))
        .singleElement()
        .extracting(RoomSummary::myRole)
        .isEqualTo(Role.MEMBER);
    assertThat(roomEvents(d, id)).isEmpty();
    // Members get its messages, others do not.
    String hello = a.send(id, "welcome").messageId();
    b.conn.awaitMessage(hello);
    barrier();
    assertThat(d.conn.messages(id)).isEmpty();
  }

  @Test
  void createRoomIgnoresDuplicateMembersAndKeepsMeOwner() {
    RoomSummary room =
        fx.engine.createRoom(
            alice.user(), "dupes", Visibility.PRIVATE, List.of("bob", "BOB", "Alice"));

    assertThat(room.members()).containsExactlyElementsOf(users(alice, bob));
    assertThat(room.myRole()).isEqualTo(Role.OWNER);
  }

  @Test
  void badRoomsAreRejectedAndNothingIsCreated() {
    int before = fx.engine.rooms(alice.user()).size();

    assertFails(ErrorCode.BAD_REQUEST, () -> fx.group(alice, "   "));
    assertFails(ErrorCode.BAD_REQUEST, () -> fx.group(alice, null));
    assertFails(ErrorCode.BAD_REQUEST, () -> fx.group(alice, "x".repeat(81)));
    assertFails(
        ErrorCode.BAD_REQUEST,
        () -> fx.engine.createRoom(alice.user(), "no visibility", null, List.of()));
    assertFails(
        ErrorCode.NOT_FOUND,
        () ->
            fx.engine.createRoom(
                alice.user(), "ghosts", Visibility.PRIVATE, List.of("bob", "nobody")));

    assertThat(fx.engine.rooms(alice.user())).hasSize(before);
    assertThat(fx.engine.rooms(bob.user())).hasSize(before);
    assertThat(fx.group(alice, "x".repeat(80)).room().name()).hasSize(80);
    assertThat(fx.group(alice, "be\u0007ll").room().name()).isEqualTo("bell");
  }

  @Test
  void anyoneMayJoinAPublicRoom() {
    String club = fx.group(alice, "club", Visibility.PUBLIC, bob).room().id();
    String hidden = fx.group(alice, "hidden", bob).room().id();
    assertThat(fx.engine.publicRooms(dave.user()))
        .extracting(s -> s.room().id())
        .containsExactly(club);

    RoomSummary joined = fx.engine.join(dave.user(), club);

    assertThat(joined.myRole()).isEqualTo(Role.MEMBER);
    assertThat(joined.members()).containsExactlyElementsOf(users(alice, bob, dave));
    assertThat(fx.engine.publicRooms(dave.user())).isEmpty();
    barrier();
    assertThat(roomEvents(d, club))
        .singleElement()
        .extracting(RoomSummary::myRole)
        .isEqualTo(Role.MEMBER);
    assertThat(roomEvents(b, club))
        .last()
        .extracting(RoomSummary::members)
        .isEqualTo(users(alice, bob, dave));
    d.conn.awaitMessage(a.send(club, "hi dave").messageId());
    assertThat(d.send(club, "hi all").seq()).isEqualTo(2);
    assertThat(hidden).isNotNull();

    // Joining again is a no-op.
    fx.engine.join(dave.user(), club);
    barrier();
    assertThat(roomEvents(d, club)).hasSize(1);
    assertThat(fx.engine.room(dave.user(), club).members()).hasSize(3);
  }

  @Test
  void privateRoomsAndDmsCannotBeJoined() {
    String hidden = fx.group(alice, "hidden", bob).room().id();
    String dm = fx.engine.openDm(alice.user(), "bob").room().room().id();

    assertFails(ErrorCode.FORBIDDEN, () -> fx.engine.join(dave.user(), hidden));
    assertFails(ErrorCode.FORBIDDEN, () -> fx.engine.join(dave.user(), dm));
    assertFails(ErrorCode.NOT_FOUND, () -> fx.engine.join(dave.user(), "no-such-room"));
    assertFails(ErrorCode.BAD_REQUEST, () -> fx.engine.join(dave.user(), null));

    assertFails(ErrorCode.FORBIDDEN, () -> fx.engine.room(dave.user(), hidden));
    assertFails(ErrorCode.FORBIDDEN, () -> fx.engine.room(dave.user(), dm));
    assertThat(fx.engine.room(alice.user(), dm).members()).hasSize(2);
    assertThat(d.error(send(hidden, "let me in")).code()).isEqualTo(ErrorCode.FORBIDDEN);
  }

  @Test
  void leavingARoom() {
    String club = fx.group(alice, "club", bob, carol).room().id();

    fx.engine.leave(bob.user(), club);

    assertThat(b.conn.events(ServerEvent.RoomLeft.class))
        .containsExactly(new ServerEvent.RoomLeft(club));
    assertThat(roomEvents(c, club))
        .last()
        .extracting(RoomSummary::members)
        .isEqualTo(users(alice, carol));
    assertThat(fx.engine.rooms(bob.user())).extracting(s -> s.room().id()).doesNotContain(club);
    assertThat(b.error(send(club, "still here?")).code()).isEqualTo(ErrorCode.FORBIDDEN);
    a.send(club, "after bob left");
    barrier();
    assertThat(b.conn.messages(club)).isEmpty();
    assertThat(c.conn.messages(club)).hasSize(1);
    assertFails(ErrorCode.FORBIDDEN, () -> fx.engine.leave(bob.user(), club));
    assertFails(ErrorCode.NOT_FOUND, () -> fx.engine.leave(bob.user(), "no-such-room"));
  }

  private Role roleOf(String room, AuthResult who) {
    return fx.memory.findMembership(room, who.user().id()).orElseThrow().role();
  }

  @Test
  void whenTheLastOwnerLeavesTheLongestStandingAdminBecomesOwner() {
    String club = fx.group(alice, "club", bob).room().id(); // bob: a member since the start
    fx.clock.advance(java.time.Duration.ofMinutes(1));
    fx.memory.addMember(club, erin.user().id(), Role.ADMIN, fx.clock.now());
    fx.clock.advance(java.time.Duration.ofMinutes(1));
    fx.memory.addMember(club, carol.user().id(), Role.ADMIN, fx.clock.now());
    java.time.Instant erinJoined =
        fx.memory.findMembership(club, erin.user().id()).orElseThrow().joinedAt();
    int before = roomEvents(e, club).size();

    fx.engine.leave(alice.user(), club);

    assertThat(roleOf(club, erin)).isEqualTo(Role.OWNER);
    assertThat(roleOf(club, carol)).isEqualTo(Role.ADMIN);
    assertThat(roleOf(club, bob)).isEqualTo(Role.MEMBER);
    assertThat(fx.memory.findMembership(club, erin.user().id()).orElseThrow().joinedAt())
        .isEqualTo(erinJoined);
    barrier();
    // Each remaining member hears of the change once, through the room event (myRole).
    assertThat(roomEvents(e, club)).hasSize(before + 1);
    assertThat(roomEvents(e, club).get(before).myRole()).isEqualTo(Role.OWNER);
    assertThat(roomEvents(c, club)).last().extracting(RoomSummary::myRole).isEqualTo(Role.ADMIN);
    assertThat(roomEvents(b, club))
        .last()
        .satisfies(
            s -> {
              assertThat(s.myRole()).isEqualTo(Role.MEMBER);
              assertThat(s.members()).isEqualTo(users(bob, carol, erin));
            });
    assertThat(a.conn.events(ServerEvent.RoomLeft.class))
        .containsExactly(new ServerEvent.RoomLeft(club));
    // The new owner rules: she may remove an admin, which only owners may.
    fx.engine.kick(erin.user(), club, "carol");
    assertThat(fx.engine.room(erin.user(), club).members()).isEqualTo(users(bob, erin));
  }

  @Test
  void whenTheLastOwnerLeavesARoomWithoutAdminsTheLongestStandingMemberBecomesOwner() {
    String club = fx.group(alice, "club").room().id();
    fx.clock.advance(java.time.Duration.ofMinutes(1));
    fx.engine.invite(alice.user(), club, "dave");
    fx.clock.advance(java.time.Duration.ofMinutes(1));
    fx.engine.invite(alice.user(), club, "bob"); // first by name, but joined last

    fx.engine.leave(alice.user(), club);

    assertThat(roleOf(club, dave)).isEqualTo(Role.OWNER);
    assertThat(roleOf(club, bob)).isEqualTo(Role.MEMBER);
    barrier();
    assertThat(roomEvents(d, club)).last().extracting(RoomSummary::myRole).isEqualTo(Role.OWNER);
    assertThat(roomEvents(b, club)).last().extracting(RoomSummary::myRole).isEqualTo(Role.MEMBER);
    fx.engine.kick(dave.user(), club, "bob");
  }

  @Test
  void membersWhoJoinedTogetherInheritInUsernameOrder() {
    String club = fx.group(alice, "club", dave, carol, bob).room().id(); // all joined at once

    fx.engine.leave(alice.user(), club);

    assertThat(roleOf(club, bob)).isEqualTo(Role.OWNER);
    assertThat(roleOf(club, carol)).isEqualTo(Role.MEMBER);
    assertThat(roleOf(club, dave)).isEqualTo(Role.MEMBER);
  }

  @Test
  void anOwnerLeavingWhileAnotherOwnerStaysChangesNoRole() {
    String club = fx.group(alice, "club", bob).room().id();
    fx.clock.advance(java.time.Duration.ofMinutes(1));
    fx.memory.addMember(club, carol.user().id(), Role.ADMIN, fx.clock.now());
    fx.memory.addMember(club, dave.user().id(), Role.OWNER, fx.clock.now());

    fx.engine.leave(alice.user(), club);

    assertThat(roleOf(club, dave)).isEqualTo(Role.OWNER);
    assertThat(roleOf(club, carol)).isEqualTo(Role.ADMIN);
    assertThat(roleOf(club, bob)).isEqualTo(Role.MEMBER);
  }

  @Test
  void aMemberLeavingChangesNoRole() {
    String club = fx.group(alice, "club", bob, carol).room().id();

    fx.engine.leave(bob.user(), club);

    assertThat(roleOf(club, alice)).isEqualTo(Role.OWNER);
    assertThat(roleOf(club, carol)).isEqualTo(Role.MEMBER);
  }

  @Test
  void theLastMemberLeavingLeavesAnEmptyRoom() {
    String club = fx.group(alice, "club").room().id();

    fx.engine.leave(alice.user(), club);

    assertThat(fx.memory.members(club)).isEmpty();
    assertThat(fx.memory.findRoom(club)).isPresent();
    assertThat(a.conn.events(ServerEvent.RoomLeft.class))
        .containsExactly(new ServerEvent.RoomLeft(club));
  }

  @Test
  void whoeverJoinsAPublicRoomItsLastOwnerLeftEmptyBecomesItsOwner() {
    String club = fx.group(alice, "club", Visibility.PUBLIC).room().id();
    fx.engine.leave(alice.user(), club);
    assertThat(fx.memory.members(club)).isEmpty();

    RoomSummary joined = fx.engine.join(dave.user(), club);

    assertThat(joined.myRole()).isEqualTo(Role.OWNER);
    assertThat(roleOf(club, dave)).isEqualTo(Role.OWNER);
    barrier();
    assertThat(roomEvents(d, club))
        .singleElement()
        .extracting(RoomSummary::myRole)
        .isEqualTo(Role.OWNER);
    // The next one to join is a member, and the new owner can moderate.
    assertThat(fx.engine.join(bob.user(), club).myRole()).isEqualTo(Role.MEMBER);
    assertThat(roleOf(club, dave)).isEqualTo(Role.OWNER);
    fx.engine.kick(dave.user(), club, "bob");
    assertThat(fx.engine.room(dave.user(), club).members()).isEqualTo(users(dave));
  }

  @Test
  void aDmCannotBeLeft() {
    String dm = fx.engine.openDm(alice.user(), "bob").room().room().id();

    assertFails(ErrorCode.BAD_REQUEST, () -> fx.engine.leave(alice.user(), dm));

    assertThat(fx.engine.room(alice.user(), dm).members()).hasSize(2);
    b.conn.awaitMessage(a.send(dm, "still together").messageId());
  }

  @Test
  void ownersAndAdminsInvite() {
    String club = fx.group(alice, "club", bob).room().id();
    fx.memory.addMember(club, erin.user().id(), Role.ADMIN, fx.clock.now());

    fx.engine.invite(alice.user(), club, "dave");
    fx.engine.invite(erin.user(), club, "CAROL");

    barrier();
    // dave: invited, then told that carol came in.
    assertThat(roomEvents(d, club))
        .extracting(s -> s.members().size(), RoomSummary::myRole)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(4, Role.MEMBER),
            org.assertj.core.groups.Tuple.tuple(5, Role.MEMBER));
    assertThat(roomEvents(c, club)).hasSize(1);
    assertThat(roomEvents(b, club))
        .last()
        .extracting(RoomSummary::members)
        .isEqualTo(users(alice, bob, carol, dave, erin));
    String hi = a.send(club, "hi newcomers").messageId();
    d.conn.awaitMessage(hi);
    c.conn.awaitMessage(hi);
    assertFails(ErrorCode.CONFLICT, () -> fx.engine.invite(alice.user(), club, "dave"));
  }

  @Test
  void membersAndOutsidersMayNotInvite() {
    String club = fx.group(alice, "club", bob).room().id();
    String dm = fx.engine.openDm(alice.user(), "bob").room().room().id();

    assertFails(ErrorCode.FORBIDDEN, () -> fx.engine.invite(bob.user(), club, "dave"));
    assertFails(ErrorCode.FORBIDDEN, () -> fx.engine.invite(carol.user(), club, "dave"));
    assertFails(ErrorCode.NOT_FOUND, () -> fx.engine.invite(alice.user(), club, "nobody"));
    assertFails(ErrorCode.BAD_REQUEST, () -> fx.engine.invite(alice.user(), club, " "));
    assertFails(ErrorCode.BAD_REQUEST, () -> fx.engine.invite(alice.user(), dm, "dave"));
    assertFails(ErrorCode.NOT_FOUND, () -> fx.engine.invite(alice.user(), "nope", "dave"));

    barrier();
    assertThat(roomEvents(d, club)).isEmpty();
    assertThat(roomEvents(d, dm)).isEmpty();
    assertThat(fx.engine.room(alice.user(), club).members()).hasSize(2);
    assertThat(fx.engine.room(alice.user(), dm).members()).hasSize(2);
  }

  @Test
  void aKickedMemberIsOutAndHearsNothingMore() {
    String club = fx.group(alice, "club", bob, carol).room().id();
    a.send(club, "before");

    fx.engine.kick(alice.user(), club, "bob");

    assertThat(b.conn.events(ServerEvent.RoomLeft.class))
        .containsExactly(new ServerEvent.RoomLeft(club));
    assertThat(roomEvents(c, club))
        .last()
        .extracting(RoomSummary::members)
        .isEqualTo(users(alice, carol));
    a.send(club, "after");
    b.handle(new ClientCommand.Typing(club, true));
    assertThat(b.error(send(club, "let me back")).code()).isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(b.error(new ClientCommand.History("h", club, null, 10)).code())
        .isEqualTo(ErrorCode.FORBIDDEN);
    b.handle(new ClientCommand.Sync("s", Map.of(club, 0L)));
    assertThat(b.conn.await(ServerEvent.Error.class, err -> "s".equals(err.id())).code())
        .isEqualTo(ErrorCode.FORBIDDEN);
    assertFails(ErrorCode.FORBIDDEN, () -> fx.engine.messages(bob.user(), club, null, null, 10));
    barrier();
    assertThat(b.conn.messages(club)).extracting(m -> m.body()).containsExactly("before");
    assertThat(c.conn.messages(club)).extracting(m -> m.body()).containsExactly("before", "after");
    assertThat(c.conn.events(ServerEvent.TypingEvent.class)).isEmpty();
    assertThat(fx.memory.lastSeq(club)).isEqualTo(2);
  }

  @Test
  void kickFollowsTheRoles() {
    String club = fx.group(alice, "club", bob, carol).room().id();
    fx.memory.addMember(club, dave.user().id(), Role.ADMIN, fx.clock.now());
    fx.memory.addMember(club, erin.user().id(), Role.ADMIN, fx.clock.now());
    String dm = fx.engine.openDm(alice.user(), "bob").room().room().id();

    assertFails(ErrorCode.FORBIDDEN, () -> fx.engine.kick(bob.user(), club, "carol"));
    assertFails(ErrorCode.FORBIDDEN, () -> fx.engine.kick(dave.user(), club, "alice"));
    assertFails(ErrorCode.FORBIDDEN, () -> fx.engine.kick(dave.user(), club, "erin"));
    assertFails(ErrorCode.BAD_REQUEST, () -> fx.engine.kick(alice.user(), club, "alice"));
    assertFails(ErrorCode.BAD_REQUEST, () -> fx.engine.kick(alice.user(), dm, "bob"));
    assertThat(fx.engine.room(alice.user(), club).members()).hasSize(5);

    fx.engine.kick(dave.user(), club, "carol"); // an admin kicks a member
    fx.engine.kick(alice.user(), club, "erin"); // the owner kicks an admin
    assertFails(ErrorCode.NOT_FOUND, () -> fx.engine.kick(alice.user(), club, "carol"));
    assertFails(ErrorCode.NOT_FOUND, () -> fx.engine.kick(alice.user(), club, "nobody"));

    assertThat(fx.engine.room(alice.user(), club).members())
        .containsExactlyElementsOf(users(alice, bob, dave));
    assertThat(e.conn.events(ServerEvent.RoomLeft.class))
        .containsExactly(new ServerEvent.RoomLeft(club));
  }

  @Test
  void aDmIsFoundOrCreatedOncePerPair() {
    DmOpened first = fx.engine.openDm(alice.user(), "bob");
    DmOpened again = fx.engine.openDm(alice.user(), "bob");
    DmOpened fromBob = fx.engine.openDm(bob.user(), "ALICE");

    String id = first.room().room().id();
    assertThat(first.created()).isTrue();
    assertThat(again.created()).isFalse();
    assertThat(fromBob.created()).isFalse();
    assertThat(again.room().room().id()).isEqualTo(id);
    assertThat(fromBob.room().room().id()).isEqualTo(id);
    assertThat(first.room().room().kind()).isEqualTo(RoomKind.DM);
    assertThat(first.room().room().visibility()).isEqualTo(Visibility.PRIVATE);
    assertThat(first.room().room().name()).isEqualTo("Bob");
    assertThat(fromBob.room().room().name()).isEqualTo("Alice");
    assertThat(first.room().members()).containsExactlyElementsOf(users(alice, bob));
    assertThat(first.room().myRole()).isEqualTo(Role.MEMBER);
    assertThat(fromBob.room().myRole()).isEqualTo(Role.MEMBER);
    barrier();
    assertThat(roomEvents(b, id))
        .singleElement()
        .satisfies(s -> assertThat(s.room().name()).isEqualTo("Alice"));
    assertThat(roomEvents(a, id))
        .singleElement()
        .satisfies(s -> assertThat(s.room().name()).isEqualTo("Bob"));
    assertThat(roomEvents(c, id)).isEmpty();
    // A different pair gets a different DM.
    assertThat(fx.engine.openDm(alice.user(), "carol").room().room().id()).isNotEqualTo(id);
  }

  @Test
  void aDmNeedsAnotherExistingUser() {
    int before = fx.engine.rooms(alice.user()).size();

    assertFails(ErrorCode.BAD_REQUEST, () -> fx.engine.openDm(alice.user(), "alice"));
    assertFails(ErrorCode.BAD_REQUEST, () -> fx.engine.openDm(alice.user(), "ALICE"));
    assertFails(ErrorCode.NOT_FOUND, () -> fx.engine.openDm(alice.user(), "nobody"));
    assertFails(ErrorCode.BAD_REQUEST, () -> fx.engine.openDm(alice.user(), null));

    assertThat(fx.engine.rooms(alice.user())).hasSize(before);
  }

  @Test
  void roomsAreListedMostRecentlyActiveFirst() {
    String older = fx.group(alice, "older").room().id();
    fx.clock.advance(java.time.Duration.ofMinutes(1));
    String newer = fx.group(alice, "newer").room().id();
    fx.clock.advance(java.time.Duration.ofMinutes(1));
    a.send(older, "bump");

    assertThat(fx.engine.rooms(alice.user()))
        .extracting(s -> s.room().id())
        .containsExactly(older, newer, lobby);
  }
}
