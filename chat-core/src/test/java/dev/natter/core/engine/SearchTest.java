package dev.natter.core.engine;

import static dev.natter.core.engine.Fixture.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.natter.core.AuthResult;
import dev.natter.core.model.SearchHit;
import dev.natter.core.model.User;
import dev.natter.core.protocol.ClientCommand;
import dev.natter.core.protocol.ErrorCode;
import dev.natter.core.protocol.ServerEvent;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SearchTest {
  private Fixture fx;
  private AuthResult alice;
  private AuthResult bob;
  private AuthResult dave;
  private String general; // alice, bob
  private String secret; // bob, dave
  private ServerEvent.Ack inGeneral;
  private ServerEvent.Ack inSecret;

  @BeforeEach
  void setUp() {
    fx = Fixture.start();
    alice = fx.register("alice");
    bob = fx.register("bob");
    dave = fx.register("dave");
    general = fx.group(alice, "general", bob).room().id();
    secret = fx.group(bob, "secret", dave).room().id();
    Client a = fx.connect(alice);
    Client b = fx.connect(bob);
    inGeneral = a.send(general, "I like banana bread");
    a.send(general, "and apples");
    inSecret = b.send(secret, "the BANANA plan is on");
  }

  @AfterEach
  void tearDown() {
    fx.close();
  }

  private List<String> found(AuthResult who, String query, String room) {
    return fx.engine.search(who.user(), query, room).stream()
        .map(h -> h.message().messageId())
        .toList();
  }

  @Test
  void searchFindsOnlyMessagesOfMyRooms() {
    assertThat(found(alice, "banana", null)).containsExactly(inGeneral.messageId());
    assertThat(found(dave, "banana", null)).containsExactly(inSecret.messageId());
    assertThat(found(bob, "banana", null))
        .containsExactlyInAnyOrder(inGeneral.messageId(), inSecret.messageId());
    assertThat(found(bob, "banana", secret)).containsExactly(inSecret.messageId());
    SearchHit hit = fx.engine.search(alice.user(), "banana", general).get(0);
    assertThat(hit.message().body()).isEqualTo("I like banana bread");
    assertThat(hit.snippet()).contains("[banana]");
  }

  @Test
  void searchingARoomIAmNotInIsForbidden() {
    assertFails(ErrorCode.FORBIDDEN, () -> fx.engine.search(alice.user(), "banana", secret));
    assertFails(ErrorCode.FORBIDDEN, () -> fx.engine.search(dave.user(), "banana", general));
    assertFails(ErrorCode.NOT_FOUND, () -> fx.engine.search(alice.user(), "banana", "nope"));
  }

  @Test
  void aUserWithoutRoomsFindsNothing() {
    AuthResult loner = fx.register("loner");

    assertThat(found(loner, "banana", null)).isEmpty();
  }

  @Test
  void badQueriesAreRejected() {
    assertFails(ErrorCode.BAD_REQUEST, () -> fx.engine.search(alice.user(), null, null));
    assertFails(ErrorCode.BAD_REQUEST, () -> fx.engine.search(alice.user(), "  ", null));
    assertFails(ErrorCode.BAD_REQUEST, () -> fx.engine.search(alice.user(), "b".repeat(201), null));
    assertThat(fx.engine.search(alice.user(), "b".repeat(200), null)).isEmpty();
  }

  @Test
  void afterBeingKickedTheRoomIsNoLongerSearched() {
    fx.engine.kick(alice.user(), general, "bob");

    assertThat(found(bob, "banana", null)).containsExactly(inSecret.messageId());
    assertFails(ErrorCode.FORBIDDEN, () -> fx.engine.search(bob.user(), "banana", general));
  }

  @Test
  void deletedMessagesAreNotFound() {
    Client a = fx.connect(alice);
    a.request(
        new ClientCommand.Delete(Client.newRequestId(), general, inGeneral.messageId()),
        ServerEvent.Ok.class);

    assertThat(found(alice, "banana", null)).isEmpty();
  }

  @Test
  void usersAreFoundByUsernameOrDisplayName() {
    fx.engine.register("zoe", Fixture.PASSWORD, "Banana Queen");

    assertThat(fx.engine.searchUsers(alice.user(), "BANANA"))
        .extracting(User::username)
        .containsExactly("zoe");
    assertThat(fx.engine.searchUsers(alice.user(), "o"))
        .extracting(User::username)
        .containsExactly("bob", "zoe");
    assertFails(ErrorCode.BAD_REQUEST, () -> fx.engine.searchUsers(alice.user(), "x".repeat(201)));
  }
}
