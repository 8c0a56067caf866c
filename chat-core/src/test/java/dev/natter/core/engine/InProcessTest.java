package dev.natter.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.natter.core.AuthResult;
import dev.natter.core.ChatEngine;
import dev.natter.core.ChatException;
import dev.natter.core.ConnectedClient;
import dev.natter.core.UserListener;
import dev.natter.core.model.Message;
import dev.natter.core.model.Presence;
import dev.natter.core.model.User;
import dev.natter.core.model.Visibility;
import dev.natter.core.protocol.ClientCommand;
import dev.natter.core.protocol.CloseCode;
import dev.natter.core.protocol.ErrorCode;
import dev.natter.core.protocol.ServerEvent;
import dev.natter.core.security.Pbkdf2PasswordHasher;
import dev.natter.core.store.memory.InMemoryChatStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The engine without a transport: {@code send} and friends, and {@code listen}. */
class InProcessTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  private Fixture fx;
  private ChatEngine engine;
  private User alice;
  private AuthResult bobAccount;
  private User bob;
  private User dave;
  private String general; // alice (owner) and bob

  /** Records what a listener receives. */
  static class Recorder implements UserListener {
    final List<ServerEvent> events = new CopyOnWriteArrayList<>();
    final List<CloseCode> closes = new CopyOnWriteArrayList<>();
    final List<String> threads = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(ServerEvent event) {
      threads.add(Thread.currentThread().getName());
      events.add(event);
    }

    @Override
    public void onClosed(CloseCode code) {
      closes.add(code);
    }

    <T extends ServerEvent> T await(Class<T> type, Predicate<T> test) {
      Awaitility.await().atMost(WAIT).until(() -> find(type, test) != null);
      return find(type, test);
    }

    private <T extends ServerEvent> T find(Class<T> type, Predicate<T> test) {
      return events.stream()
          .filter(type::isInstance)
          .map(type::cast)
          .filter(test)
          .findFirst()
          .orElse(null);
    }

    void awaitClosed(CloseCode code) {
      Awaitility.await().atMost(WAIT).until(() -> closes.contains(code));
    }
  }

  @BeforeEach
  void setUp() {
    fx = Fixture.start();
    engine = fx.engine;
    alice = fx.register("alice").user();
    bobAccount = fx.register("bob");
    bob = bobAccount.user();
    dave = fx.register("dave").user();
    general = engine.createRoom(alice, "general", Visibility.PRIVATE, List.of("bob")).room().id();
  }

  @AfterEach
  void tearDown() {
    fx.close();
  }

  @Test
  void sendCompletesWithTheStoredMessageAndTheRoomHearsIt() {
    Recorder bobs = new Recorder();
    try (ConnectedClient inbox = engine.listen(bob, bobs)) {
      Message stored = engine.send(alice, general, "hello bob").join();

      assertThat(stored.seq()).isEqualTo(1);
      assertThat(stored.sender()).isEqualTo(alice);
      assertThat(stored.body()).isEqualTo("hello bob");
      assertThat(fx.memory.lastSeq(general)).isEqualTo(1);
      ServerEvent.MessageEvent heard =
          bobs.await(ServerEvent.MessageEvent.class, e -> e.message().room().equals(general));
      assertThat(heard.message()).isEqualTo(stored);
      assertThat(heard.clientMsgId()).isNull(); // only the sender's own clients see it
      assertThat(bobs.threads).allMatch(name -> name.startsWith("natter-listener"));
    }
  }

  @Test
  void aResendWithTheSameClientMsgIdYieldsTheOriginal() {
    Message first = engine.send(alice, general, "once", "hello", null).join();
    Message again = engine.send(alice, general, "once", "hello again", null).join();

    assertThat(again).isEqualTo(first);
    assertThat(fx.memory.lastSeq(general)).isEqualTo(1);
  }

  @Test
  void aRejectedSendFailsTheFutureAndStoresNothing() {
    Throwable notMember = catchThrowable(() -> engine.send(dave, general, "let me in").join());
    Throwable empty = catchThrowable(() -> engine.send(alice, general, "   ").join());

    assertThat(notMember).isInstanceOf(CompletionException.class);
    assertThat(((ChatException) notMember.getCause()).code()).isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(((ChatException) empty.getCause()).code()).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(fx.memory.lastSeq(general)).isZero();
  }

  @Test
  void aListenerGetsReadyFirstAndMakesItsUserOnline() {
    Recorder alices = new Recorder();
    Recorder bobs = new Recorder();
    try (ConnectedClient aliceInbox = engine.listen(alice, alices)) {
      ServerEvent.Ready ready = alices.await(ServerEvent.Ready.class, r -> true);
      assertThat(alices.events.get(0)).isSameAs(ready);
      assertThat(ready.user()).isEqualTo(alice);
      assertThat(ready.rooms()).extracting(s -> s.room().id()).containsExactly(general);
      assertThat(engine.connectionCount()).isEqualTo(1);

      try (ConnectedClient bobInbox = engine.listen(bob, bobs)) {
        ServerEvent.PresenceEvent online =
            alices.await(ServerEvent.PresenceEvent.class, p -> p.presence().user().equals(bob));
        assertThat(online.presence().status()).isEqualTo(Presence.Status.ONLINE);
      }
      ServerEvent.PresenceEvent offline =
          alices.await(
              ServerEvent.PresenceEvent.class,
              p ->
                  p.presence().user().equals(bob)
                      && p.presence().status() == Presence.Status.OFFLINE);
      assertThat(offline).isNotNull();
      bobs.awaitClosed(CloseCode.NORMAL);
      assertThat(bobs.closes).containsExactly(CloseCode.NORMAL);
    }
    assertThat(engine.connectionCount()).isZero();
  }

  @Test
  void theOtherConveniencesReachTheRoom() {
    Recorder bobs = new Recorder();
    try (ConnectedClient inbox = engine.listen(bob, bobs)) {
      Message m = engine.send(alice, general, "first draft").join();

      Message edited = engine.edit(alice, general, m.messageId(), "final");
      Message reacted = engine.react(bob, general, m.messageId(), "👍", true);
      engine.typing(alice, general, true);
      engine.markRead(alice, general, m.seq());
      Message deleted = engine.delete(alice, general, m.messageId());

      assertThat(edited.body()).isEqualTo("final");
      assertThat(reacted.reactions()).containsEntry("👍", List.of(bob.id()));
      assertThat(deleted.deleted()).isTrue();
      bobs.await(ServerEvent.MessageUpdated.class, u -> "final".equals(u.body()));
      bobs.await(ServerEvent.MessageUpdated.class, u -> u.deleted());
      bobs.await(ServerEvent.TypingEvent.class, t -> t.user().equals(alice) && t.active());
      bobs.await(ServerEvent.ReadEvent.class, r -> r.user().equals(alice) && r.seq() == m.seq());
    }
  }

  @Test
  void commandsGivenToTheListenersClientAreAnsweredToTheListener() {
    Recorder alices = new Recorder();
    try (ConnectedClient inbox = engine.listen(alice, alices)) {
      inbox.handle(new ClientCommand.Send("r1", general, "c1", "via a command", null));
      inbox.handle(new ClientCommand.Send("r2", "no-such-room", "c2", "lost", null));

      ServerEvent.Ack ack = alices.await(ServerEvent.Ack.class, a -> a.id().equals("r1"));
      assertThat(ack.seq()).isEqualTo(1);
      ServerEvent.MessageEvent own =
          alices.await(ServerEvent.MessageEvent.class, e -> e.message().seq() == 1);
      assertThat(own.clientMsgId()).isEqualTo("c1");
      ServerEvent.Error error = alices.await(ServerEvent.Error.class, e -> "r2".equals(e.id()));
      assertThat(error.code()).isEqualTo(ErrorCode.NOT_FOUND);
    }
  }

  @Test
  void eventsArriveInOrderEvenWhenTheListenerIsSlow() throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    Recorder bobs =
        new Recorder() {
          @Override
          public void onEvent(ServerEvent event) {
            try {
              go.await(5, TimeUnit.SECONDS); // holds the first event: the rest queue up
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            super.onEvent(event);
          }
        };
    try (ConnectedClient inbox = engine.listen(bob, bobs)) {
      for (int i = 1; i <= 20; i++) {
        engine.send(alice, general, "m" + i).join(); // not held up by bob's listener
      }
      go.countDown();
      bobs.await(ServerEvent.MessageEvent.class, e -> e.message().seq() == 20);
      assertThat(
              bobs.events.stream()
                  .filter(ServerEvent.MessageEvent.class::isInstance)
                  .map(e -> ((ServerEvent.MessageEvent) e).message().seq()))
          .containsExactlyElementsOf(
              java.util.stream.LongStream.rangeClosed(1, 20).boxed().toList());
    }
  }

  @Test
  void aListenerThatFallsTooFarBehindIsClosedAsASlowConsumer() throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    Recorder bobs =
        new Recorder() {
          @Override
          public void onEvent(ServerEvent event) {
            try {
              go.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            super.onEvent(event);
          }
        };
    ConnectedClient inbox = engine.listen(bob, bobs);
    for (int i = 0; i < 6_000; i++) { // two typing events each: more than 10,000 queued
      engine.typing(alice, general, true);
      engine.typing(alice, general, false);
    }
    go.countDown();

    bobs.awaitClosed(CloseCode.SLOW_CONSUMER);
    assertThat(engine.connectionCount()).isZero();
    // the event in hand when the listener stalled, then a full queue, then nothing more
    assertThat(bobs.events.size()).isLessThanOrEqualTo(1 + 10_000);
    inbox.close(); // closing again changes nothing
    assertThat(bobs.closes).containsExactly(CloseCode.SLOW_CONSUMER);
  }

  @Test
  void aListenerOutlivesLogoutAndPasswordResetButNotTheEngine() {
    Recorder bobs = new Recorder();
    Client phone = fx.connect(fx.login(bobAccount));
    ConnectedClient inbox = engine.listen(bob, bobs);
    bobs.await(ServerEvent.Ready.class, r -> true);

    engine.resetPassword("bob", "another long password");
    assertThat(phone.conn.closeCodes()).containsExactly(CloseCode.SESSION_REVOKED);
    engine.send(alice, general, "still there?").join();
    bobs.await(ServerEvent.MessageEvent.class, e -> e.message().body().equals("still there?"));
    assertThat(bobs.closes).isEmpty();

    engine.close();
    bobs.awaitClosed(CloseCode.GOING_AWAY);
    assertThat(inbox.sessionId()).isNull();
  }

  @Test
  void usersAreFoundByNameAndUnknownOnesCannotListen() {
    assertThat(engine.user("BOB")).isEqualTo(bob);
    Throwable thrown = catchThrowable(() -> engine.user("nobody"));
    assertThat(((ChatException) thrown).code()).isEqualTo(ErrorCode.NOT_FOUND);
    User ghost = new User("ghost-id", "ghost", "Ghost");
    thrown = catchThrowable(() -> engine.listen(ghost, e -> {}));
    assertThat(((ChatException) thrown).code()).isEqualTo(ErrorCode.NOT_FOUND);
  }

  @Test
  void theJavadocRecipeWorks() throws Exception {
    try (InMemoryChatStore store = new InMemoryChatStore();
        ChatEngine own =
            ChatEngine.builder(store).passwordHasher(new Pbkdf2PasswordHasher(1000)).build()) {
      User a = own.createUser("alice", "correct horse battery", "Alice");
      User b = own.createUser("bob", "correct horse battery", "Bob");
      String dm = own.openDm(a, "bob").room().room().id();
      Recorder inbox = new Recorder();
      try (ConnectedClient listening = own.listen(b, inbox)) {
        Message stored = own.send(a, dm, "hello").join();
        assertThat(inbox.await(ServerEvent.MessageEvent.class, e -> true).message())
            .isEqualTo(stored);
      }
    }
  }
}
