package dev.natter.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.natter.core.AuthResult;
import dev.natter.core.ChatException;
import dev.natter.core.model.Message;
import dev.natter.core.protocol.ClientCommand;
import dev.natter.core.protocol.ErrorCode;
import dev.natter.core.protocol.ServerEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SendTest {
  private Fixture fx;
  private AuthResult alice;
  private AuthResult bob;
  private AuthResult carol;
  private AuthResult dave;
  private String general;
  private String lounge;
  private Client laptop;
  private Client phone;
  private Client bobby;
  private Client carrie;
  private Client davey;

  @BeforeEach
  void setUp() {
    start(Fixture.start());
  }

  private void start(Fixture fixture) {
    if (fx != null) {
      fx.close();
    }
    fx = fixture;
    alice = fx.register("alice");
    bob = fx.register("bob");
    carol = fx.register("carol");
    dave = fx.register("dave");
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

  private ClientCommand.Send send(String room, String clientMsgId, String body) {
    return new ClientCommand.Send(Client.newRequestId(), room, clientMsgId, body, null);
  }

  /** Proves that fan-out has happened up to now: a message in the lounge reaches dave. */
  private void daveBarrier() {
    davey.conn.awaitMessage(laptop.send(lounge, "barrier").messageId());
  }

  private void assertNothingStored(String room) {
    assertThat(fx.memory.lastSeq(room)).isZero();
    assertThat(bobby.conn.messages(room)).isEmpty();
    assertThat(laptop.conn.messages(room)).isEmpty();
  }

  @Test
  void theAckComesAfterTheCommitWithTheSeq() {
    List<String> problems = new CopyOnWriteArrayList<>();
    laptop.conn.onSend(
        e -> {
          if (e instanceof ServerEvent.Ack a
              && fx.memory.findMessage(a.room(), a.messageId()).isEmpty()) {
            problems.add("acked before stored: " + a);
          }
        });

    ServerEvent.Ack first = laptop.send(general, "c-1", "hello");
    ServerEvent.Ack second = laptop.send(general, "c-2", "again");

    assertThat(problems).isEmpty();
    assertThat(first.clientMsgId()).isEqualTo("c-1");
    assertThat(first.room()).isEqualTo(general);
    assertThat(first.seq()).isEqualTo(1);
    assertThat(first.ts()).isEqualTo(fx.clock.now());
    assertThat(second.seq()).isEqualTo(2);
    assertThat(second.messageId()).isNotEqualTo(first.messageId());
    Message stored = fx.memory.findMessage(general, first.messageId()).orElseThrow();
    assertThat(stored.seq()).isEqualTo(1);
    assertThat(stored.body()).isEqualTo("hello");
    assertThat(stored.sender()).isEqualTo(alice.user());
    assertThat(laptop.answersTo(first.id())).containsExactly(first);
  }

  @Test
  void theMessageReachesEveryConnectionOfEveryMemberAndNoOneElse() {
    ServerEvent.Ack ack = laptop.send(general, "c-1", "hello");
    daveBarrier();

    for (Client member : List.of(laptop, phone, bobby, carrie)) {
      assertThat(member.conn.messageEvents(general)).as("%s", member).hasSize(1);
      Message m = member.conn.messageEvents(general).get(0).message();
      assertThat(m.messageId()).isEqualTo(ack.messageId());
      assertThat(m.seq()).isEqualTo(1);
      assertThat(m.room()).isEqualTo(general);
      assertThat(m.sender()).isEqualTo(alice.user());
      assertThat(m.body()).isEqualTo("hello");
      assertThat(m.ts()).isEqualTo(ack.ts());
      assertThat(m.deleted()).isFalse();
    }
    // clientMsgId only on the sender's own connections, including her other device.
    assertThat(laptop.conn.messageEvents(general).get(0).clientMsgId()).isEqualTo("c-1");
    assertThat(phone.conn.messageEvents(general).get(0).clientMsgId()).isEqualTo("c-1");
    assertThat(bobby.conn.messageEvents(general).get(0).clientMsgId()).isNull();
    assertThat(carrie.conn.messageEvents(general).get(0).clientMsgId()).isNull();
    assertThat(davey.conn.messages(general)).isEmpty();
    // The other device gets no ack: only the connection that asked.
    assertThat(phone.conn.events(ServerEvent.Ack.class)).isEmpty();
  }

  @Test
  void aResendOfTheSameClientMsgIdGetsTheSameAckAndCreatesNothing() {
    ServerEvent.Ack first = laptop.send(general, "c-1", "hello");
    ServerEvent.Ack resent = laptop.send(general, "c-1", "hello, edited in between?");
    // From another device and after a reconnect, too.
    ServerEvent.Ack fromPhone = phone.send(general, "c-1", "hello");
    laptop.cc.disconnected();
    ServerEvent.Ack afterReconnect = fx.connect(alice).send(general, "c-1", "hello");
    ServerEvent.Ack next = phone.send(general, "c-2", "next");

    for (ServerEvent.Ack a : List.of(resent, fromPhone, afterReconnect)) {
      assertThat(a.clientMsgId()).isEqualTo("c-1");
      assertThat(a.room()).isEqualTo(first.room());
      assertThat(a.seq()).isEqualTo(first.seq());
      assertThat(a.messageId()).isEqualTo(first.messageId());
      assertThat(a.ts()).isEqualTo(first.ts());
    }
    assertThat(next.seq()).isEqualTo(2);
    assertThat(bobby.conn.messages(general))
        .extracting(Message::messageId)
        .containsExactly(first.messageId(), next.messageId());
    assertThat(fx.memory.messagesAfter(general, 0, 10))
        .extracting(Message::body)
        .containsExactly("hello", "next");
  }

  @Test
  void theSameClientMsgIdFromAnotherUserIsANewMessage() {
    ServerEvent.Ack mine = laptop.send(general, "c-1", "from alice");
    ServerEvent.Ack theirs = bobby.send(general, "c-1", "from bob");

    assertThat(theirs.seq()).isEqualTo(2);
    assertThat(theirs.messageId()).isNotEqualTo(mine.messageId());
  }

  @Test
  void aResendIntoAnotherRoomGetsTheOriginalAckAndCreatesNothing() {
    ServerEvent.Ack first = laptop.send(general, "c-1", "hello");

    ServerEvent.Ack resent = laptop.send(lounge, "c-1", "hello");

    assertThat(fx.memory.lastSeq(lounge)).isZero();
    // "A resend returns the original ack": the room and seq must describe the stored message.
    assertThat(resent.room()).isEqualTo(general);
    assertThat(resent.seq()).isEqualTo(first.seq());
    assertThat(resent.messageId()).isEqualTo(first.messageId());
  }

  @Test
  void theBodyIsTrimmed() {
    ServerEvent.Ack ack = laptop.send(general, "c-1", " \n\t hello there \t\n ");

    assertThat(bobby.conn.messages(general).get(0).body()).isEqualTo("hello there");
    assertThat(fx.memory.findMessage(general, ack.messageId()).orElseThrow().body())
        .isEqualTo("hello there");
  }

  @Test
  void anEmptyOrMissingBodyIsABadRequest() {
    for (String body : new String[] {"", "   ", "\n\t", null}) {
      ClientCommand.Send cmd = send(general, Client.newClientMsgId(), body);
      ServerEvent.Error error = laptop.error(cmd);
      assertThat(error.code()).isEqualTo(ErrorCode.BAD_REQUEST);
      assertThat(laptop.answersTo(cmd.id())).containsExactly(error);
    }
    daveBarrier();
    assertNothingStored(general);
  }

  @Test
  void aBodyOverTheLimitIsTooLarge() {
    start(Fixture.builder().limits(Fixture.limits().withMaxBodyChars(10)).start());

    assertThat(laptop.send(general, "ten", "0123456789").seq()).isEqualTo(1);
    assertThat(laptop.send(general, "padded", "  0123456789  ").seq()).isEqualTo(2);
    // Counted in characters (code points), not UTF-16 units.
    assertThat(laptop.send(general, "emoji", "\uD83D\uDE00".repeat(10)).seq()).isEqualTo(3);
    ServerEvent.Error error = laptop.error(send(general, "eleven", "01234567890"));

    assertThat(error.code()).isEqualTo(ErrorCode.TOO_LARGE);
    assertThat(fx.memory.lastSeq(general)).isEqualTo(3);
    assertThat(bobby.conn.messages(general)).hasSize(3);
    // The rejected clientMsgId was not consumed.
    assertThat(laptop.send(general, "eleven", "short").seq()).isEqualTo(4);
  }

  @Test
  void aNonMemberIsForbidden() {
    ClientCommand.Send cmd = send(general, "c-1", "let me in");
    ServerEvent.Error error = davey.error(cmd);

    assertThat(error.code()).isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(error.id()).isEqualTo(cmd.id());
    bobby.conn.awaitMessage(bobby.send(general, "control").messageId());
    assertThat(fx.memory.lastSeq(general)).isEqualTo(1);
    assertThat(bobby.conn.messages(general)).hasSize(1);
  }

  @Test
  void anUnknownRoomIsNotFound() {
    assertThat(laptop.error(send("no-such-room", "c-1", "hi")).code())
        .isEqualTo(ErrorCode.NOT_FOUND);
  }

  @Test
  void missingOrOverlongIdsAreBadRequests() {
    assertThat(laptop.error(send(null, "c-1", "hi")).code()).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(laptop.error(send(" ", "c-1", "hi")).code()).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(laptop.error(send(general, null, "hi")).code()).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(laptop.error(send(general, "x".repeat(65), "hi")).code())
        .isEqualTo(ErrorCode.BAD_REQUEST);
    daveBarrier();
    assertNothingStored(general);
  }

  @Test
  void replyToMustBeAMessageOfTheSameRoom() {
    ServerEvent.Ack original = bobby.send(general, "first");
    ServerEvent.Ack elsewhere = laptop.send(lounge, "in the lounge");

    ClientCommand.Send unknown =
        new ClientCommand.Send(Client.newRequestId(), general, "r-1", "re", "no-such-message");
    ClientCommand.Send otherRoom =
        new ClientCommand.Send(Client.newRequestId(), general, "r-2", "re", elsewhere.messageId());
    assertThat(laptop.error(unknown).code()).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(laptop.error(otherRoom).code()).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(fx.memory.lastSeq(general)).isEqualTo(1);

    ServerEvent.Ack reply =
        laptop.request(
            new ClientCommand.Send(
                Client.newRequestId(), general, "r-3", "re", original.messageId()),
            ServerEvent.Ack.class);
    assertThat(reply.seq()).isEqualTo(2);
    assertThat(bobby.conn.messages(general).get(1).replyTo()).isEqualTo(original.messageId());
  }

  @Test
  void aFailingStoreGivesInternalAndNoAckAndNoMessage() {
    AtomicBoolean failing = new AtomicBoolean(true);
    start(
        Fixture.builder()
            .store(
                s ->
                    new DelegatingStore(s) {
                      @Override
                      public CompletableFuture<dev.natter.core.model.AppendResult> append(
                          dev.natter.core.model.NewMessage message,
                          java.util.function.Consumer<Message> onCommitted) {
                        if (failing.get()) {
                          return CompletableFuture.failedFuture(
                              new ChatException.StoreFailure("disk full", null));
                        }
                        return super.append(message, onCommitted);
                      }
                    })
            .start());

    ClientCommand.Send cmd = send(general, "c-1", "will it stick?");
    ServerEvent.Error error = laptop.error(cmd);

    assertThat(error.code()).isEqualTo(ErrorCode.INTERNAL);
    assertThat(laptop.answersTo(cmd.id())).containsExactly(error);
    assertThat(laptop.conn.closeCodes()).isEmpty();
    assertThat(fx.memory.lastSeq(general)).isZero();

    // Once the store is back, the client resends with the same clientMsgId: one message.
    failing.set(false);
    ServerEvent.Ack ack = laptop.send(general, "c-1", "will it stick?");
    assertThat(ack.seq()).isEqualTo(1);
    for (Client c : List.of(laptop, phone, bobby, carrie)) {
      assertThat(c.conn.messages(general))
          .as("%s", c)
          .extracting(Message::messageId)
          .containsExactly(ack.messageId());
    }
  }

  @Test
  void sendsOfDifferentRoomsHaveTheirOwnSeq() {
    assertThat(laptop.send(general, "a").seq()).isEqualTo(1);
    assertThat(laptop.send(lounge, "b").seq()).isEqualTo(1);
    assertThat(laptop.send(general, "c").seq()).isEqualTo(2);
    fx.clock.advance(Duration.ofSeconds(1));
    assertThat(davey.send(lounge, "d").seq()).isEqualTo(2);
  }
}
