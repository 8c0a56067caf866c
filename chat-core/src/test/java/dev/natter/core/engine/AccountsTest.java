package dev.natter.core.engine;

import static dev.natter.core.engine.Fixture.PASSWORD;
import static dev.natter.core.engine.Fixture.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.natter.core.AuthResult;
import dev.natter.core.Limits;
import dev.natter.core.model.User;
import dev.natter.core.protocol.ClientCommand;
import dev.natter.core.protocol.CloseCode;
import dev.natter.core.protocol.ErrorCode;
import dev.natter.core.protocol.ServerEvent;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class AccountsTest {
  private Fixture fx = Fixture.start();

  @AfterEach
  void tearDown() {
    fx.close();
  }

  private List<String> allUsernames() {
    return fx.memory.searchUsers("", 100).stream().map(User::username).toList();
  }

  @Test
  void registerCreatesTheUserAndSignsItIn() {
    AuthResult alice = fx.engine.register("alice", PASSWORD, "  Alice Liddell ");

    assertThat(alice.user().username()).isEqualTo("alice");
    assertThat(alice.user().displayName()).isEqualTo("Alice Liddell");
    assertThat(alice.token()).hasSize(43);
    assertThat(alice.session().userId()).isEqualTo(alice.user().id());
    assertThat(alice.session().expiresAt())
        .isEqualTo(fx.clock.now().plus(fx.engine.limits().sessionTtl()));
    assertThat(fx.engine.authenticate(alice.token()).user()).isEqualTo(alice.user());
  }

  @Test
  void displayNameDefaultsToTheUsername() {
    assertThat(fx.engine.register("bob", PASSWORD, null).user().displayName()).isEqualTo("bob");
    assertThat(fx.engine.register("carol", PASSWORD, " \t").user().displayName())
        .isEqualTo("carol");
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "ab",
        "abcdefghijklmnopqrstuvwxyz1234567",
        "has space",
        "émile",
        "semi;colon",
        "new\nline",
        "<script>"
      })
  void registerRejectsUsernamesOutsideThePattern(String username) {
    assertFails(ErrorCode.BAD_REQUEST, () -> fx.engine.register(username, PASSWORD, null));

    assertThat(allUsernames()).isEmpty();
  }

  @Test
  void usernamePatternBoundariesAreAccepted() {
    fx.engine.register("abc", PASSWORD, null);
    fx.engine.register("abcdefghijklmnopqrstuvwxyz123456", PASSWORD, null);
    fx.engine.register("A.b_c-9", PASSWORD, null);

    assertThat(allUsernames())
        .containsExactlyInAnyOrder("abc", "abcdefghijklmnopqrstuvwxyz123456", "A.b_c-9");
  }

  @Test
  void registerRejectsShortMissingAndHugePasswords() {
    assertFails(ErrorCode.BAD_REQUEST, () -> fx.engine.register("alice", "1234567", null));
    assertFails(ErrorCode.BAD_REQUEST, () -> fx.engine.register("alice", null, null));
    assertFails(ErrorCode.TOO_LARGE, () -> fx.engine.register("alice", "x".repeat(1025), null));
    assertThat(allUsernames()).isEmpty();

    fx.engine.register("alice", "12345678", null); // exactly the minimum
    assertThat(fx.engine.login("alice", "12345678", null).user().username()).isEqualTo("alice");
  }

  @Test
  void aTakenUsernameIsAConflictIgnoringCase() {
    AuthResult alice = fx.register("alice");

    assertFails(ErrorCode.CONFLICT, () -> fx.engine.register("ALICE", "another password", null));
    assertFails(ErrorCode.CONFLICT, () -> fx.engine.register("alice", "another password", null));

    assertThat(fx.engine.login("Alice", PASSWORD, null).user()).isEqualTo(alice.user());
    assertFails(ErrorCode.UNAUTHORIZED, () -> fx.engine.login("ALICE", "another password", null));
    assertThat(allUsernames()).containsExactly("alice");
  }

  @Test
  void loginIgnoresUsernameCaseAndOpensANewSession() {
    AuthResult alice = fx.register("alice");

    AuthResult again = fx.engine.login("ALICE", PASSWORD, "10.0.0.1");

    assertThat(again.user()).isEqualTo(alice.user());
    assertThat(again.token()).isNotEqualTo(alice.token());
    assertThat(again.session().id()).isNotEqualTo(alice.session().id());
    assertThat(fx.engine.authenticate(alice.token()).session()).isEqualTo(alice.session());
    assertThat(fx.engine.authenticate(again.token()).session()).isEqualTo(again.session());
  }

  @Test
  void wrongPasswordAndUnknownUserAreUnauthorizedAlike() {
    fx.register("alice");

    var wrong =
        assertFails(ErrorCode.UNAUTHORIZED, () -> fx.engine.login("alice", "nope!nope!", null));
    var unknown =
        assertFails(ErrorCode.UNAUTHORIZED, () -> fx.engine.login("nobody", PASSWORD, null));

    assertThat(wrong.getMessage()).isEqualTo(unknown.getMessage());
    assertFails(ErrorCode.BAD_REQUEST, () -> fx.engine.login(null, PASSWORD, null));
    assertFails(ErrorCode.BAD_REQUEST, () -> fx.engine.login("alice", null, null));
  }

  @Test
  void loginIsRateLimitedPerUsernameFromOneAddress() {
    fx.close();
    fx =
        Fixture.builder()
            .limits(Fixture.limits().withLoginAttempts(3, Duration.ofMinutes(1)))
            .start();
    fx.register("alice");
    fx.register("bob");

    assertFails(ErrorCode.UNAUTHORIZED, () -> fx.engine.login("alice", "wrong one!", null));
    assertFails(ErrorCode.UNAUTHORIZED, () -> fx.engine.login("ALICE", "wrong two!", null));
    assertFails(ErrorCode.UNAUTHORIZED, () -> fx.engine.login("Alice", "wrong three", null));
    // The right password does not help any more: the username's attempts are used up.
    assertFails(ErrorCode.RATE_LIMITED, () -> fx.engine.login("alice", PASSWORD, null));
    assertFails(ErrorCode.RATE_LIMITED, () -> fx.engine.login("aLiCe", PASSWORD, null));
    // Another username is not affected.
    assertThat(fx.engine.login("bob", PASSWORD, null).user().username()).isEqualTo("bob");

    fx.clock.advance(Duration.ofSeconds(21)); // a third of the window: one attempt back
    assertThat(fx.engine.login("alice", PASSWORD, null).user().username()).isEqualTo("alice");
    assertFails(ErrorCode.RATE_LIMITED, () -> fx.engine.login("alice", PASSWORD, null));
    fx.clock.advance(Duration.ofMinutes(1));
    assertThat(fx.engine.login("alice", PASSWORD, null).user().username()).isEqualTo("alice");
  }

  @Test
  void loginIsRateLimitedPerAddress() {
    fx.close();
    fx =
        Fixture.builder()
            .limits(
                Fixture.limits().toBuilder()
                    .loginAttempts(3, Duration.ofMinutes(1))
                    .loginBackstops(3, 1_000)
                    .build())
            .start();
    fx.register("alice");

    for (String name : List.of("x1x", "x2x", "x3x")) {
      assertFails(ErrorCode.UNAUTHORIZED, () -> fx.engine.login(name, PASSWORD, "10.0.0.1"));
    }

    assertFails(ErrorCode.RATE_LIMITED, () -> fx.engine.login("alice", PASSWORD, "10.0.0.1"));
    assertThat(fx.engine.login("alice", PASSWORD, "10.0.0.2").user().username()).isEqualTo("alice");
  }

  @Test
  void authenticateRejectsMissingAndUnknownTokens() {
    AuthResult alice = fx.register("alice");

    assertFails(ErrorCode.UNAUTHORIZED, () -> fx.engine.authenticate(null));
    assertFails(ErrorCode.UNAUTHORIZED, () -> fx.engine.authenticate(" "));
    assertFails(ErrorCode.UNAUTHORIZED, () -> fx.engine.authenticate("not-a-token"));
    assertFails(ErrorCode.UNAUTHORIZED, () -> fx.engine.authenticate(alice.token() + "x"));
    // The stored session id is not a token either.
    assertFails(ErrorCode.UNAUTHORIZED, () -> fx.engine.authenticate(alice.session().id()));
  }

  @Test
  void aLoggedOutTokenIsUnauthorized() {
    AuthResult alice = fx.register("alice");
    AuthResult phone = fx.login(alice);

    fx.engine.logout(alice.token());

    assertFails(ErrorCode.UNAUTHORIZED, () -> fx.engine.authenticate(alice.token()));
    assertThat(fx.engine.authenticate(phone.token()).user()).isEqualTo(alice.user());
    assertThat(fx.memory.findSession(alice.session().id())).isEmpty();
  }

  @Test
  void aSessionExpiresWhenTheClockPassesItsTtl() {
    fx.close();
    fx = Fixture.builder().limits(Fixture.limits().withSessionTtl(Duration.ofHours(1))).start();
    AuthResult alice = fx.register("alice");

    fx.clock.advance(Duration.ofMinutes(59));
    assertThat(fx.engine.authenticate(alice.token()).user()).isEqualTo(alice.user());

    fx.clock.advance(Duration.ofMinutes(1));
    assertFails(ErrorCode.UNAUTHORIZED, () -> fx.engine.authenticate(alice.token()));
    assertThat(fx.memory.findSession(alice.session().id())).isEmpty();
    // A fresh login works.
    assertThat(fx.engine.authenticate(fx.login(alice).token()).user()).isEqualTo(alice.user());
  }

  @Test
  void logoutClosesThatSessionsConnectionsOnly() {
    AuthResult alice = fx.register("alice");
    AuthResult aliceTablet = fx.login(alice);
    AuthResult bob = fx.register("bob");
    String room = fx.group(alice, "general", bob).room().id();
    Client laptop = fx.connect(alice);
    Client laptop2 = fx.connect(alice);
    Client tablet = fx.connect(aliceTablet);
    Client bobby = fx.connect(bob);
    assertThat(fx.engine.connectionCount()).isEqualTo(4);

    fx.engine.logout(alice.token());

    assertThat(laptop.conn.closeCodes()).containsExactly(CloseCode.SESSION_REVOKED);
    assertThat(laptop2.conn.closeCodes()).containsExactly(CloseCode.SESSION_REVOKED);
    assertThat(tablet.conn.closeCodes()).isEmpty();
    assertThat(bobby.conn.closeCodes()).isEmpty();
    assertThat(fx.engine.connectionCount()).isEqualTo(2);

    ServerEvent.Ack ack = bobby.send(room, "still there?");
    tablet.conn.awaitMessage(ack.messageId());
    assertThat(laptop.conn.messages(room)).isEmpty();
    assertThat(laptop2.conn.messages(room)).isEmpty();
    // A closed connection ignores commands.
    int before = laptop.conn.events().size();
    laptop.handle(
        new dev.natter.core.protocol.ClientCommand.Send("r", room, "c-closed", "hi", null));
    assertThat(laptop.conn.events()).hasSize(before);
    assertThat(fx.memory.lastSeq(room)).isEqualTo(1);
  }

  @Test
  void aConnectionWhoseSessionExpiredIsClosedAtItsNextCommandAndStoresNothing() {
    AuthResult alice = fx.register("alice");
    AuthResult bob = fx.register("bob");
    String room = fx.group(alice, "general", bob).room().id();
    Client laptop = fx.connect(alice);
    Client bobby = fx.connect(bob);

    fx.clock.advance(Limits.defaults().sessionTtl().plusSeconds(1));
    laptop.handle(new ClientCommand.Send("r1", room, "c-late", "too late", null));

    assertThat(laptop.conn.closeCodes()).containsExactly(CloseCode.SESSION_REVOKED);
    assertThat(fx.memory.lastSeq(room)).isZero();
    assertThat(bobby.conn.closeCodes()).isEmpty();
  }

  @Test
  void emptyCommandsAndEmptySyncsAreAnswered() {
    AuthResult alice = fx.register("alice");
    Client laptop = fx.connect(alice);

    laptop.handle(null);
    laptop.handle(new ClientCommand.Sync("s1", java.util.Map.of()));

    assertThat(laptop.conn.events())
        .filteredOn(e -> !(e instanceof ServerEvent.Ready))
        .containsExactly(
            new ServerEvent.Error(null, ErrorCode.BAD_REQUEST, "empty command"),
            new ServerEvent.Ok("s1"));
  }

  @Test
  void logoutOfAnUnknownTokenIsANoOp() {
    AuthResult alice = fx.register("alice");
    Client laptop = fx.connect(alice);

    fx.engine.logout("unknown-token");
    fx.engine.logout(null);
    fx.engine.logout("");

    assertThat(laptop.conn.closeCodes()).isEmpty();
    assertThat(fx.engine.authenticate(alice.token()).user()).isEqualTo(alice.user());
  }

  @Test
  void resetPasswordEndsEverySessionOfTheUser() {
    AuthResult alice = fx.register("alice");
    AuthResult phone = fx.login(alice);
    AuthResult bob = fx.register("bob");
    Client laptop = fx.connect(alice);
    Client mobile = fx.connect(phone);
    Client bobby = fx.connect(bob);

    fx.engine.resetPassword("ALICE", "a brand new password");

    assertThat(laptop.conn.closeCodes()).containsExactly(CloseCode.SESSION_REVOKED);
    assertThat(mobile.conn.closeCodes()).containsExactly(CloseCode.SESSION_REVOKED);
    assertThat(bobby.conn.closeCodes()).isEmpty();
    assertFails(ErrorCode.UNAUTHORIZED, () -> fx.engine.authenticate(alice.token()));
    assertFails(ErrorCode.UNAUTHORIZED, () -> fx.engine.authenticate(phone.token()));
    assertThat(fx.engine.authenticate(bob.token()).user()).isEqualTo(bob.user());
    assertFails(ErrorCode.UNAUTHORIZED, () -> fx.engine.login("alice", PASSWORD, null));
    assertThat(fx.engine.login("alice", "a brand new password", null).user())
        .isEqualTo(alice.user());
  }

  @Test
  void resetPasswordValidatesBeforeChangingAnything() {
    AuthResult alice = fx.register("alice");
    Client laptop = fx.connect(alice);

    assertFails(ErrorCode.NOT_FOUND, () -> fx.engine.resetPassword("nobody", "long enough pw"));
    assertFails(ErrorCode.BAD_REQUEST, () -> fx.engine.resetPassword("alice", "short"));

    assertThat(laptop.conn.closeCodes()).isEmpty();
    assertThat(fx.engine.authenticate(alice.token()).user()).isEqualTo(alice.user());
    assertThat(fx.engine.login("alice", PASSWORD, null).user()).isEqualTo(alice.user());
  }
}
