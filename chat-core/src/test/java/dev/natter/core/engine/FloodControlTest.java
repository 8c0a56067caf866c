package dev.natter.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.natter.core.AuthResult;
import dev.natter.core.ChatException;
import dev.natter.core.model.FileInfo;
import dev.natter.core.model.Message;
import dev.natter.core.model.Presence;
import dev.natter.core.model.StoredFile;
import dev.natter.core.model.User;
import dev.natter.core.protocol.ClientCommand;
import dev.natter.core.protocol.CloseCode;
import dev.natter.core.protocol.ErrorCode;
import dev.natter.core.protocol.ServerEvent;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Send rate limits, the strikes that close a flooding connection, and slow consumers. */
class FloodControlTest {
  private Fixture fx;
  private AuthResult alice;
  private AuthResult bob;
  private String general;

  private void start(Fixture fixture) {
    fx = fixture;
    alice = fx.register("alice");
    bob = fx.register("bob");
    general = fx.group(alice, "general", bob).room().id();
  }

  /** Three messages per 3 s (one per second refilled), closed after three rejections in a row. */
  private void startRateLimited() {
    start(
        Fixture.builder()
            .limits(Fixture.limits().withSendRate(3, Duration.ofSeconds(3)).withRateLimitStrikes(3))
            .start());
  }

  @AfterEach
  void tearDown() {
    fx.close();
  }

  private static ClientCommand.Send send(String room, String body) {
    return new ClientCommand.Send(Client.newRequestId(), room, Client.newClientMsgId(), body, null);
  }

  @Test
  void aBurstOverTheLimitIsRateLimitedAndNotStored() {
    startRateLimited();
    Client a = fx.connect(alice);
    Client b = fx.connect(bob);
    for (int i = 1; i <= 3; i++) {
      assertThat(a.send(general, "m" + i).seq()).isEqualTo(i);
    }

    ClientCommand.Send fourth = send(general, "m4");
    ServerEvent.Error error = a.error(fourth);

    assertThat(error.code()).isEqualTo(ErrorCode.RATE_LIMITED);
    assertThat(a.answersTo(fourth.id())).containsExactly(error);
    assertThat(fx.memory.lastSeq(general)).isEqualTo(3);
    assertThat(a.conn.closeCodes()).isEmpty();

    fx.clock.advance(Duration.ofMillis(1_001)); // one token back
    ServerEvent.Ack later = a.send(general, "m4 again");
    assertThat(later.seq()).isEqualTo(4);
    assertThat(b.conn.messages(general))
        .extracting(Message::body)
        .containsExactly("m1", "m2", "m3", "m4 again");
  }

  @Test
  void aResendFloodIsRateLimited() {
    startRateLimited();
    Client a = fx.connect(alice);
    ServerEvent.Ack first = a.send(general, "c-1", "m1");

    // Each resend still costs the store's writer an INSERT attempt and a read: it takes a token.
    for (int i = 0; i < 2; i++) {
      ServerEvent.Ack again = a.send(general, "c-1", "m1");
      assertThat(again.messageId()).isEqualTo(first.messageId());
      assertThat(again.seq()).isEqualTo(1);
    }
    ClientCommand.Send flood =
        new ClientCommand.Send(Client.newRequestId(), general, "c-1", "m1", null);
    assertThat(a.error(flood).code()).isEqualTo(ErrorCode.RATE_LIMITED);
    assertThat(a.error(send(general, "m2")).code()).isEqualTo(ErrorCode.RATE_LIMITED);
    assertThat(fx.memory.lastSeq(general)).isEqualTo(1);

    // A resend once the bucket has refilled still gets the original ack.
    fx.clock.advance(Duration.ofMillis(1_001));
    assertThat(a.send(general, "c-1", "m1").messageId()).isEqualTo(first.messageId());
  }

  @Test
  void theLimitIsPerUserAcrossConnectionsButNotAcrossUsers() {
    startRateLimited();
    Client laptop = fx.connect(alice);
    Client phone = fx.connect(fx.login(alice));
    Client b = fx.connect(bob);

    laptop.send(general, "1");
    phone.send(general, "2");
    laptop.send(general, "3");

    assertThat(phone.error(send(general, "4")).code()).isEqualTo(ErrorCode.RATE_LIMITED);
    assertThat(b.send(general, "bob's own budget").seq()).isEqualTo(4);
  }

  @Test
  void rejectedRequestsDoNotUseUpTheBudget() {
    startRateLimited();
    Client a = fx.connect(alice);
    for (int i = 0; i < 5; i++) {
      assertThat(a.error(send(general, "  ")).code()).isEqualTo(ErrorCode.BAD_REQUEST);
    }

    for (int i = 1; i <= 3; i++) {
      assertThat(a.send(general, "m" + i).seq()).isEqualTo(i);
    }
  }

  @Test
  void aRateLimitedSendLooksUpNeitherItsFilesNorItsReply() throws Exception {
    AtomicInteger fileLookUps = new AtomicInteger();
    AtomicInteger messageLookUps = new AtomicInteger();
    start(
        Fixture.builder()
            .limits(Fixture.limits().withSendRate(3, Duration.ofSeconds(3)))
            .store(
                s ->
                    new DelegatingStore(s) {
                      @Override
                      public Optional<StoredFile> findFile(String fileId) {
                        fileLookUps.incrementAndGet();
                        return super.findFile(fileId);
                      }

                      @Override
                      public Optional<Message> findMessage(String roomId, String messageId) {
                        messageLookUps.incrementAndGet();
                        return super.findMessage(roomId, messageId);
                      }
                    })
            .start());
    User me = alice.user();
    byte[] notes = "notes".getBytes(StandardCharsets.UTF_8);
    FileInfo file =
        fx.engine.uploadFile(me, general, "notes.txt", new ByteArrayInputStream(notes), 1024);
    Message first = fx.engine.send(me, general, "m1").join();
    fx.engine.send(me, general, "m2").join();
    fx.engine.send(me, general, "m3").join();
    fileLookUps.set(0);
    messageLookUps.set(0);

    CompletableFuture<Message> refused =
        fx.engine.send(me, general, "c-4", "m4", first.messageId(), List.of(file.id()));

    assertThatThrownBy(refused::join).hasCauseInstanceOf(ChatException.RateLimited.class);
    assertThat(fileLookUps).hasValue(0);
    assertThat(messageLookUps).hasValue(0);
    // Once the budget allows it, the same send looks both up and is stored.
    fx.clock.advance(Duration.ofMillis(1_001));
    Message sent =
        fx.engine.send(me, general, "c-4", "m4", first.messageId(), List.of(file.id())).join();
    assertThat(sent.files()).containsExactly(file);
    assertThat(sent.replyTo()).isEqualTo(first.messageId());
    assertThat(fileLookUps.get()).isPositive();
    assertThat(messageLookUps.get()).isPositive();
  }

  @Test
  void aConnectionIsClosedAfterTooManyRejectionsInARow() {
    startRateLimited();
    Client a = fx.connect(alice);
    Client other = fx.connect(fx.login(alice));
    for (int i = 1; i <= 3; i++) {
      a.send(general, "m" + i);
    }

    assertThat(a.error(send(general, "x")).code()).isEqualTo(ErrorCode.RATE_LIMITED);
    assertThat(a.error(send(general, "x")).code()).isEqualTo(ErrorCode.RATE_LIMITED);
    assertThat(a.conn.closeCodes()).isEmpty();
    assertThat(a.error(send(general, "x")).code()).isEqualTo(ErrorCode.RATE_LIMITED);

    assertThat(a.conn.closeCodes()).containsExactly(CloseCode.RATE_LIMITED);
    assertThat(CloseCode.RATE_LIMITED.code()).isEqualTo(4029);
    assertThat(fx.engine.connectionCount()).isEqualTo(1);
    assertThat(other.conn.closeCodes()).isEmpty();
    // A closed connection ignores what still arrives.
    int seen = a.conn.events().size();
    fx.clock.advance(Duration.ofSeconds(3));
    a.handle(send(general, "after close"));
    assertThat(a.conn.events()).hasSize(seen);
    assertThat(fx.memory.lastSeq(general)).isEqualTo(3);
  }

  @Test
  void anAcceptedSendResetsTheStrikes() {
    startRateLimited();
    Client a = fx.connect(alice);
    for (int i = 1; i <= 3; i++) {
      a.send(general, "m" + i);
    }
    a.error(send(general, "x"));
    a.error(send(general, "x"));

    fx.clock.advance(Duration.ofMillis(1_001));
    a.send(general, "accepted");
    a.error(send(general, "x"));
    a.error(send(general, "x"));

    assertThat(a.conn.closeCodes()).isEmpty();
    a.error(send(general, "x"));
    assertThat(a.conn.closeCodes()).containsExactly(CloseCode.RATE_LIMITED);
  }

  @Test
  void aSlowConsumerIsClosedAndDetachedWhileOthersKeepReceiving() {
    start(Fixture.start());
    AuthResult carol = fx.register("carol");
    fx.engine.invite(alice.user(), general, "carol");
    Client a = fx.connect(alice);
    Client b = fx.connect(bob);
    Client slow = fx.connect(carol, new FakeConnection(1)); // room for ready only
    assertThat(fx.engine.connectionCount()).isEqualTo(3);

    ServerEvent.Ack first = a.send(general, "one");

    assertThat(slow.conn.closeCodes()).containsExactly(CloseCode.SLOW_CONSUMER);
    assertThat(CloseCode.SLOW_CONSUMER.code()).isEqualTo(4008);
    assertThat(fx.engine.connectionCount()).isEqualTo(2);
    a.send(general, "two");
    a.send(general, "three");
    assertThat(b.conn.messages(general))
        .extracting(Message::body)
        .containsExactly("one", "two", "three");
    assertThat(slow.conn.events()).hasSize(1);
    assertThat(slow.conn.sendsAfterClose()).isZero();
    assertThat(first.seq()).isEqualTo(1);
    // Carol went offline with her only connection.
    assertThat(b.conn.events(ServerEvent.PresenceEvent.class))
        .extracting(ServerEvent.PresenceEvent::presence)
        .filteredOn(p -> p.user().equals(carol.user()))
        .extracting(Presence::status)
        .containsExactly(Presence.Status.ONLINE, Presence.Status.OFFLINE);

    // Nothing is lost: carol reconnects and syncs.
    Client back = fx.connect(carol);
    back.handle(new ClientCommand.Sync("s1", Map.of(general, 0L)));
    back.conn.await(ServerEvent.Synced.class, s -> s.id().equals("s1"));
    assertThat(back.conn.messages(general))
        .extracting(Message::body)
        .containsExactly("one", "two", "three");
  }

  @Test
  void aConnectionThatCannotTakeReadyIsClosedAndItsUserStaysOffline() {
    start(Fixture.start());
    Client b = fx.connect(bob);

    Client stuck = fx.connect(alice, new FakeConnection(0));

    assertThat(stuck.conn.closeCodes()).containsExactly(CloseCode.SLOW_CONSUMER);
    assertThat(fx.engine.connectionCount()).isEqualTo(1);
    List<Presence> aboutAlice =
        b.conn.events(ServerEvent.PresenceEvent.class).stream()
            .map(ServerEvent.PresenceEvent::presence)
            .filter(p -> p.user().equals(alice.user()))
            .toList();
    // Whatever bob was told, the last word must be that alice is offline.
    if (!aboutAlice.isEmpty()) {
      assertThat(aboutAlice.get(aboutAlice.size() - 1).status()).isEqualTo(Presence.Status.OFFLINE);
    }
    ServerEvent.Ready bobsView = fx.connect(bob).ready();
    assertThat(bobsView.presence())
        .singleElement()
        .satisfies(p -> assertThat(p.status()).isEqualTo(Presence.Status.OFFLINE));
  }
}
