package dev.natter.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.natter.core.AuthResult;
import dev.natter.core.model.Message;
import dev.natter.core.model.Role;
import dev.natter.core.protocol.ClientCommand;
import dev.natter.core.protocol.ErrorCode;
import dev.natter.core.protocol.ServerEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Edit, delete and react: who may, what everyone sees, and what a deleted message allows. */
class MessageUpdatesTest {
  private Fixture fx;
  private AuthResult alice; // owner
  private AuthResult bob; // member, author of the message under test
  private AuthResult carol; // member
  private AuthResult erin; // admin
  private AuthResult dave; // not a member
  private String general;
  private Client owner;
  private Client author;
  private Client authorsPhone;
  private Client member;
  private Client admin;
  private Client outsider;
  private ServerEvent.Ack bobsMessage;

  @BeforeEach
  void setUp() {
    fx = Fixture.start();
    alice = fx.register("alice");
    bob = fx.register("bob");
    carol = fx.register("carol");
    erin = fx.register("erin");
    dave = fx.register("dave");
    general = fx.group(alice, "general", bob, carol).room().id();
    fx.memory.addMember(general, erin.user().id(), Role.ADMIN, fx.clock.now());
    owner = fx.connect(alice);
    author = fx.connect(bob);
    authorsPhone = fx.connect(fx.login(bob));
    member = fx.connect(carol);
    admin = fx.connect(erin);
    outsider = fx.connect(dave);
    bobsMessage = author.send(general, "helo wrld");
  }

  @AfterEach
  void tearDown() {
    fx.close();
  }

  private ClientCommand.Edit edit(String messageId, String body) {
    return new ClientCommand.Edit(Client.newRequestId(), general, messageId, body);
  }

  private ClientCommand.Delete delete(String messageId) {
    return new ClientCommand.Delete(Client.newRequestId(), general, messageId);
  }

  private ClientCommand.React react(String messageId, String emoji, boolean on) {
    return new ClientCommand.React(Client.newRequestId(), general, messageId, emoji, on);
  }

  private Message stored() {
    return fx.memory.findMessage(general, bobsMessage.messageId()).orElseThrow();
  }

  private List<ServerEvent.MessageUpdated> updates(Client c) {
    return c.conn.events(ServerEvent.MessageUpdated.class);
  }

  /** A fresh message by alice, seen by everyone: proves fan-out is done up to here. */
  private void barrier() {
    String id = owner.send(general, "barrier").messageId();
    for (Client c : List.of(owner, author, authorsPhone, member, admin)) {
      c.conn.awaitMessage(id);
    }
  }

  @Test
  void theAuthorEditsAndEveryMemberSeesIt() {
    fx.clock.advance(Duration.ofMinutes(2));
    Instant editedAt = fx.clock.now();
    ClientCommand.Edit cmd = edit(bobsMessage.messageId(), "  hello world ");

    ServerEvent.Ok ok = author.request(cmd, ServerEvent.Ok.class);

    assertThat(ok.id()).isEqualTo(cmd.id());
    ServerEvent.MessageUpdated expected =
        new ServerEvent.MessageUpdated(
            general, 1, bobsMessage.messageId(), "hello world", editedAt, false, Map.of());
    for (Client c : List.of(owner, author, authorsPhone, member, admin)) {
      assertThat(updates(c)).as("%s", c).containsExactly(expected);
    }
    assertThat(authorsPhone.conn.events(ServerEvent.Ok.class)).isEmpty();
    assertThat(stored().body()).isEqualTo("hello world");
    assertThat(stored().editedAt()).isEqualTo(editedAt);
    assertThat(stored().seq()).isEqualTo(1);
    barrier();
    assertThat(updates(outsider)).isEmpty();
  }

  @Test
  void nobodyElseMayEditEvenTheOwner() {
    for (Client c : List.of(owner, admin, member)) {
      ServerEvent.Error e = c.error(edit(bobsMessage.messageId(), "hacked"));
      assertThat(e.code()).as("%s", c).isEqualTo(ErrorCode.FORBIDDEN);
    }
    assertThat(outsider.error(edit(bobsMessage.messageId(), "hacked")).code())
        .isEqualTo(ErrorCode.FORBIDDEN);
    barrier();
    assertThat(stored().body()).isEqualTo("helo wrld");
    assertThat(stored().editedAt()).isNull();
    assertThat(updates(author)).isEmpty();
  }

  @Test
  void badEditsChangeNothing() {
    assertThat(fx.engine.limits().maxBodyChars()).isEqualTo(16_000);
    assertThat(author.error(edit(bobsMessage.messageId(), "   ")).code())
        .isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(author.error(edit(bobsMessage.messageId(), null)).code())
        .isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(author.error(edit(bobsMessage.messageId(), "x".repeat(16_001))).code())
        .isEqualTo(ErrorCode.TOO_LARGE);
    assertThat(author.error(edit("no-such-message", "hello")).code())
        .isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(author.error(edit(null, "hello")).code()).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(
            author
                .error(
                    new ClientCommand.Edit(
                        Client.newRequestId(), "no-such-room", bobsMessage.messageId(), "x"))
                .code())
        .isEqualTo(ErrorCode.NOT_FOUND);
    barrier();
    assertThat(stored().body()).isEqualTo("helo wrld");
    assertThat(updates(member)).isEmpty();
  }

  @Test
  void aMessageIdOfAnotherRoomIsNotFound() {
    String lounge = fx.group(bob, "lounge").room().id();
    ServerEvent.Ack elsewhere = author.send(lounge, "in the lounge");

    assertThat(author.error(edit(elsewhere.messageId(), "moved?")).code())
        .isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(author.error(delete(elsewhere.messageId())).code()).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(author.error(react(elsewhere.messageId(), "+1", true)).code())
        .isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(fx.memory.findMessage(lounge, elsewhere.messageId()).orElseThrow().body())
        .isEqualTo("in the lounge");
  }

  @Test
  void theAuthorDeletesAndTheMessageKeepsItsSeqWithAnEmptyBody() {
    member.request(react(bobsMessage.messageId(), "+1", true), ServerEvent.Ok.class);
    ClientCommand.Delete cmd = delete(bobsMessage.messageId());

    ServerEvent.Ok ok = author.request(cmd, ServerEvent.Ok.class);

    assertThat(ok.id()).isEqualTo(cmd.id());
    ServerEvent.MessageUpdated deleted =
        new ServerEvent.MessageUpdated(
            general, 1, bobsMessage.messageId(), "", null, true, Map.of());
    for (Client c : List.of(owner, author, authorsPhone, member, admin)) {
      assertThat(updates(c)).as("%s", c).last().isEqualTo(deleted);
    }
    assertThat(stored().deleted()).isTrue();
    assertThat(stored().body()).isEmpty();
    assertThat(stored().seq()).isEqualTo(1);
    assertThat(fx.memory.lastSeq(general)).isEqualTo(1);
    assertThat(fx.engine.messages(carol.user(), general, null, null, null).messages())
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.seq()).isEqualTo(1);
              assertThat(m.deleted()).isTrue();
              assertThat(m.body()).isEmpty();
            });
    assertThat(author.send(general, "next").seq()).isEqualTo(2);
  }

  @Test
  void aMemberMayNotDeleteSomeoneElsesMessage() {
    ServerEvent.Error e = member.error(delete(bobsMessage.messageId()));

    assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(outsider.error(delete(bobsMessage.messageId())).code())
        .isEqualTo(ErrorCode.FORBIDDEN);
    barrier();
    assertThat(stored().deleted()).isFalse();
    assertThat(stored().body()).isEqualTo("helo wrld");
    assertThat(updates(author)).isEmpty();
  }

  @Test
  void ownersAndAdminsMayDeleteAnyMessage() {
    ServerEvent.Ack carols = member.send(general, "carol's");

    owner.request(delete(bobsMessage.messageId()), ServerEvent.Ok.class);
    admin.request(delete(carols.messageId()), ServerEvent.Ok.class);

    assertThat(stored().deleted()).isTrue();
    assertThat(fx.memory.findMessage(general, carols.messageId()).orElseThrow().deleted()).isTrue();
    assertThat(updates(member))
        .extracting(ServerEvent.MessageUpdated::seq, ServerEvent.MessageUpdated::deleted)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1L, true),
            org.assertj.core.groups.Tuple.tuple(2L, true));
  }

  @Test
  void anAdminMayNotDeleteTheOwnersMessageButTheOwnerMayDeleteTheAdmins() {
    ServerEvent.Ack ownersMessage = owner.send(general, "owner speaking");
    ServerEvent.Ack adminsMessage = admin.send(general, "admin speaking");

    // Deleting messages is a moderation right of admins over any message.
    admin.request(delete(ownersMessage.messageId()), ServerEvent.Ok.class);
    owner.request(delete(adminsMessage.messageId()), ServerEvent.Ok.class);

    assertThat(fx.memory.findMessage(general, ownersMessage.messageId()).orElseThrow().deleted())
        .isTrue();
    assertThat(fx.memory.findMessage(general, adminsMessage.messageId()).orElseThrow().deleted())
        .isTrue();
  }

  @Test
  void deletingTwiceIsOkWithoutASecondUpdate() {
    author.request(delete(bobsMessage.messageId()), ServerEvent.Ok.class);
    author.request(delete(bobsMessage.messageId()), ServerEvent.Ok.class);

    barrier();
    assertThat(updates(member)).hasSize(1);
  }

  @Test
  void aDeletedMessageCannotBeEditedOrReactedTo() {
    author.request(delete(bobsMessage.messageId()), ServerEvent.Ok.class);

    assertThat(author.error(edit(bobsMessage.messageId(), "undo")).code())
        .isEqualTo(ErrorCode.CONFLICT);
    assertThat(member.error(react(bobsMessage.messageId(), "+1", true)).code())
        .isEqualTo(ErrorCode.CONFLICT);
    barrier();
    assertThat(stored().body()).isEmpty();
    assertThat(stored().reactions()).isEmpty();
    assertThat(updates(member)).hasSize(1);
  }

  @Test
  void reactionsAreAddedAndRemovedPerUserAndIdempotent() {
    member.request(react(bobsMessage.messageId(), "\uD83D\uDC4D", true), ServerEvent.Ok.class);
    owner.request(react(bobsMessage.messageId(), "\uD83D\uDC4D", true), ServerEvent.Ok.class);
    owner.request(react(bobsMessage.messageId(), "\uD83D\uDC4D", true), ServerEvent.Ok.class);
    author.request(react(bobsMessage.messageId(), "party", true), ServerEvent.Ok.class);
    member.request(react(bobsMessage.messageId(), "\uD83D\uDC4D", false), ServerEvent.Ok.class);
    // Removing a reaction one never made changes nothing.
    member.request(react(bobsMessage.messageId(), "party", false), ServerEvent.Ok.class);

    String carolId = carol.user().id();
    String aliceId = alice.user().id();
    String bobId = bob.user().id();
    assertThat(updates(authorsPhone))
        .extracting(ServerEvent.MessageUpdated::reactions)
        .containsExactly(
            Map.of("\uD83D\uDC4D", List.of(carolId)),
            Map.of("\uD83D\uDC4D", List.of(carolId, aliceId)),
            Map.of("\uD83D\uDC4D", List.of(carolId, aliceId)),
            Map.of("\uD83D\uDC4D", List.of(carolId, aliceId), "party", List.of(bobId)),
            Map.of("\uD83D\uDC4D", List.of(aliceId), "party", List.of(bobId)),
            Map.of("\uD83D\uDC4D", List.of(aliceId), "party", List.of(bobId)));
    assertThat(stored().reactions())
        .isEqualTo(Map.of("\uD83D\uDC4D", List.of(aliceId), "party", List.of(bobId)));
    assertThat(stored().body()).isEqualTo("helo wrld");
    assertThat(stored().editedAt()).isNull();
  }

  @Test
  void badReactionsChangeNothing() {
    for (String emoji : new String[] {"", " ", "a b", "tab\there", null, "x".repeat(33)}) {
      assertThat(member.error(react(bobsMessage.messageId(), emoji, true)).code())
          .as("emoji %s", emoji)
          .isEqualTo(ErrorCode.BAD_REQUEST);
    }
    assertThat(outsider.error(react(bobsMessage.messageId(), "+1", true)).code())
        .isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(member.error(react("no-such-message", "+1", true)).code())
        .isEqualTo(ErrorCode.NOT_FOUND);
    barrier();
    assertThat(stored().reactions()).isEmpty();
    assertThat(updates(author)).isEmpty();
  }
}
