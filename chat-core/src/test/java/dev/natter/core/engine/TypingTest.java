package dev.natter.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.natter.core.AuthResult;
import dev.natter.core.protocol.ClientCommand;
import dev.natter.core.protocol.ErrorCode;
import dev.natter.core.protocol.ServerEvent;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Typing indicators, on the real clock: the expiry timers run in real time. */
class TypingTest {
  private Fixture fx;
  private AuthResult alice;
  private String general;
  private String lounge;
  private Client laptop;
  private Client phone;
  private Client bobby;
  private Client carrie;
  private Client davey;

  private void start(Duration expiry, Duration throttle) {
    fx =
        Fixture.builder()
            .systemClock()
            .limits(Fixture.limits().withTyping(expiry, throttle))
            .start();
    alice = fx.register("alice");
    AuthResult bob = fx.register("bob");
    AuthResult carol = fx.register("carol");
    AuthResult dave = fx.register("dave");
    general = fx.group(alice, "general", bob, carol).room().id();
    lounge = fx.group(alice, "lounge", dave).room().id();
    laptop = fx.connect(alice);
    phone = fx.connect(fx.login(alice));
    bobby = fx.connect(bob);
    carrie = fx.connect(carol);
    davey = fx.connect(dave);
  }

  @AfterEach
  void tearDown() {
    fx.close();
  }

  private ServerEvent.TypingEvent typing(boolean active) {
    return new ServerEvent.TypingEvent(general, alice.user(), active);
  }

  private static List<ServerEvent.TypingEvent> typingSeenBy(Client c) {
    return c.conn.events(ServerEvent.TypingEvent.class);
  }

  @Test
  void typingReachesTheOtherMembersOnly() {
    start(Duration.ofSeconds(5), Duration.ofMillis(100));

    laptop.handle(new ClientCommand.Typing(general, true));

    assertThat(bobby.conn.await(ServerEvent.TypingEvent.class, e -> true)).isEqualTo(typing(true));
    assertThat(carrie.conn.await(ServerEvent.TypingEvent.class, e -> true)).isEqualTo(typing(true));
    // Control: a later message in the lounge reaches dave and alice's devices.
    String control = laptop.send(lounge, "control").messageId();
    davey.conn.awaitMessage(control);
    phone.conn.awaitMessage(control);
    assertThat(typingSeenBy(davey)).isEmpty();
    assertThat(typingSeenBy(laptop)).isEmpty();
    assertThat(typingSeenBy(phone)).isEmpty();
    assertThat(typingSeenBy(bobby)).containsExactly(typing(true));
    assertThat(laptop.conn.events(ServerEvent.Error.class)).isEmpty();
  }

  @Test
  void twoStartsWithinTheThrottleAreBroadcastOnce() throws InterruptedException {
    start(Duration.ofSeconds(5), Duration.ofMillis(200));

    laptop.handle(new ClientCommand.Typing(general, true));
    phone.handle(new ClientCommand.Typing(general, true));
    laptop.handle(new ClientCommand.Typing(general, false));
    assertThat(typingSeenBy(bobby)).containsExactly(typing(true), typing(false));

    laptop.handle(new ClientCommand.Typing(general, true));
    Thread.sleep(300); // past the throttle: the next start is broadcast again
    laptop.handle(new ClientCommand.Typing(general, true));
    laptop.handle(new ClientCommand.Typing(general, false));

    assertThat(typingSeenBy(bobby))
        .containsExactly(typing(true), typing(false), typing(true), typing(true), typing(false));
  }

  @Test
  void typingExpiresByItself() throws InterruptedException {
    start(Duration.ofMillis(300), Duration.ofMillis(100));
    long started = System.nanoTime();

    laptop.handle(new ClientCommand.Typing(general, true));
    bobby.conn.await(ServerEvent.TypingEvent.class, e -> !e.active());

    long elapsedMs = (System.nanoTime() - started) / 1_000_000;
    assertThat(elapsedMs).isGreaterThanOrEqualTo(290);
    assertThat(typingSeenBy(bobby)).containsExactly(typing(true), typing(false));
    assertThat(typingSeenBy(carrie)).containsExactly(typing(true), typing(false));
    Thread.sleep(400);
    bobby.conn.awaitMessage(laptop.send(general, "control").messageId());
    assertThat(typingSeenBy(bobby)).containsExactly(typing(true), typing(false));
  }

  @Test
  void anotherStartRenewsTheExpiry() throws InterruptedException {
    start(Duration.ofMillis(1_000), Duration.ofMillis(100));

    laptop.handle(new ClientCommand.Typing(general, true));
    Thread.sleep(600);
    laptop.handle(new ClientCommand.Typing(general, true));
    Thread.sleep(600); // the first start alone would have expired 200 ms ago

    assertThat(typingSeenBy(bobby)).containsExactly(typing(true), typing(true));
    bobby.conn.await(ServerEvent.TypingEvent.class, e -> !e.active());
    assertThat(typingSeenBy(bobby)).containsExactly(typing(true), typing(true), typing(false));
  }

  @Test
  void sendingAMessageStopsTyping() throws InterruptedException {
    start(Duration.ofMillis(300), Duration.ofMillis(100));
    laptop.handle(new ClientCommand.Typing(general, true));

    String sent = laptop.send(general, "done typing").messageId();

    List<ServerEvent> seen =
        bobby.conn.events().stream()
            .filter(
                e -> e instanceof ServerEvent.TypingEvent || e instanceof ServerEvent.MessageEvent)
            .toList();
    assertThat(seen).hasSize(3);
    assertThat(seen.get(0)).isEqualTo(typing(true));
    assertThat(seen.get(1)).isEqualTo(typing(false));
    assertThat(((ServerEvent.MessageEvent) seen.get(2)).message().messageId()).isEqualTo(sent);
    Thread.sleep(500); // past the expiry: the cancelled timer sends no second stop
    bobby.conn.awaitMessage(laptop.send(general, "control").messageId());
    assertThat(typingSeenBy(bobby)).containsExactly(typing(true), typing(false));
  }

  @Test
  void stoppingWhenNotTypingBroadcastsNothing() {
    start(Duration.ofSeconds(5), Duration.ofMillis(100));

    laptop.handle(new ClientCommand.Typing(general, false));

    bobby.conn.awaitMessage(laptop.send(general, "control").messageId());
    assertThat(typingSeenBy(bobby)).isEmpty();
  }

  @Test
  void nonMembersAndUnknownRoomsAreRejected() {
    start(Duration.ofSeconds(5), Duration.ofMillis(100));

    davey.handle(new ClientCommand.Typing(general, true));
    davey.handle(new ClientCommand.Typing("no-such-room", true));
    davey.handle(new ClientCommand.Typing(null, true));

    assertThat(davey.conn.events(ServerEvent.Error.class))
        .extracting(ServerEvent.Error::id, ServerEvent.Error::code)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(null, ErrorCode.FORBIDDEN),
            org.assertj.core.groups.Tuple.tuple(null, ErrorCode.NOT_FOUND),
            org.assertj.core.groups.Tuple.tuple(null, ErrorCode.BAD_REQUEST));
    bobby.conn.awaitMessage(laptop.send(general, "control").messageId());
    assertThat(typingSeenBy(bobby)).isEmpty();
    assertThat(typingSeenBy(laptop)).isEmpty();
  }

  @Test
  void typingStopsWhenTheUsersLastConnectionEnds() {
    start(Duration.ofSeconds(5), Duration.ofMillis(100));
    laptop.handle(new ClientCommand.Typing(general, true));

    laptop.cc.disconnected();
    assertThat(typingSeenBy(bobby)).containsExactly(typing(true));

    phone.cc.disconnected();
    // Going offline is handled off the caller's thread.
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> assertThat(typingSeenBy(bobby)).containsExactly(typing(true), typing(false)));
  }
}
