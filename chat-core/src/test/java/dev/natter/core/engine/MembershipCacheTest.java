package dev.natter.core.engine;

import static dev.natter.core.engine.Fixture.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.natter.core.AuthResult;
import dev.natter.core.ChatEngine;
import dev.natter.core.ChatException;
import dev.natter.core.model.Membership;
import dev.natter.core.model.Role;
import dev.natter.core.model.Room;
import dev.natter.core.model.User;
import dev.natter.core.model.Visibility;
import dev.natter.core.protocol.ErrorCode;
import dev.natter.core.protocol.ServerEvent;
import dev.natter.core.spi.EventBus;
import dev.natter.core.store.memory.InMemoryChatStore;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine keeps rooms and memberships in memory for its checks: a warm send, typing, read or
 * history costs no room or membership look-up in the store, and every membership change is seen by
 * the very next check.
 */
class MembershipCacheTest {
  private final AtomicInteger findRoom = new AtomicInteger();
  private final AtomicInteger findMembership = new AtomicInteger();
  private Fixture fx;
  private AuthResult alice;
  private AuthResult bob;
  private AuthResult carol;

  @BeforeEach
  void setUp() {
    fx =
        Fixture.builder()
            .store(
                s ->
                    new DelegatingStore(s) {
                      @Override
                      public Optional<Room> findRoom(String roomId) {
                        findRoom.incrementAndGet();
                        return super.findRoom(roomId);
                      }

                      @Override
                      public Optional<Membership> findMembership(String roomId, String userId) {
                        findMembership.incrementAndGet();
                        return super.findMembership(roomId, userId);
                      }
                    })
            .start();
    alice = fx.register("alice");
    bob = fx.register("bob");
    carol = fx.register("carol");
  }

  @AfterEach
  void tearDown() {
    fx.close();
  }

  @Test
  void warmChecksCostNoStoreLookUp() {
    String room = fx.group(alice, "general", bob).room().id();
    fx.engine.send(bob.user(), room, "warm-up").join();
    findRoom.set(0);
    findMembership.set(0);

    for (int i = 0; i < 5; i++) {
      fx.engine.send(bob.user(), room, "hello " + i).join();
    }
    fx.engine.typing(bob.user(), room, true);
    fx.engine.markRead(bob.user(), room, 3);
    fx.engine.messages(bob.user(), room, null, null, 10);

    assertThat(findRoom.get()).as("findRoom calls").isZero();
    assertThat(findMembership.get()).as("findMembership calls").isZero();
  }

  @Test
  void aKickedMemberIsRefusedRightAfterTheKick() {
    String room = fx.group(alice, "general", bob).room().id();
    fx.engine.send(bob.user(), room, "I am in").join(); // bob's membership is cached now
    fx.engine.markRead(bob.user(), room, 1);

    fx.engine.kick(alice.user(), room, "bob");

    assertSendRefused(bob.user(), room, "still?");
    assertFails(ErrorCode.FORBIDDEN, () -> fx.engine.typing(bob.user(), room, true));
    assertFails(ErrorCode.FORBIDDEN, () -> fx.engine.markRead(bob.user(), room, 1));
    assertFails(ErrorCode.FORBIDDEN, () -> fx.engine.messages(bob.user(), room, null, null, 5));
  }

  @Test
  void aJoinedUserIsAcceptedRightAfterTheJoinAndRefusedAfterLeaving() {
    String room = fx.group(alice, "lobby", Visibility.PUBLIC).room().id();
    fx.engine.send(alice.user(), room, "welcome").join();
    assertSendRefused(carol.user(), room, "hi?");

    fx.engine.join(carol.user(), room);
    assertThat(fx.engine.send(carol.user(), room, "hi!").join().body()).isEqualTo("hi!");

    fx.engine.leave(carol.user(), room);
    assertSendRefused(carol.user(), room, "bye?");

    fx.engine.join(carol.user(), room);
    assertThat(fx.engine.send(carol.user(), room, "back").join().body()).isEqualTo("back");
  }

  @Test
  void anInvitedUserIsAcceptedRightAfterTheInvite() {
    String room = fx.group(alice, "private").room().id();
    assertFails(ErrorCode.FORBIDDEN, () -> fx.engine.typing(carol.user(), room, true));

    fx.engine.invite(alice.user(), room, "carol");

    fx.engine.typing(carol.user(), room, true);
    assertThat(fx.engine.send(carol.user(), room, "thanks").join().body()).isEqualTo("thanks");
  }

  @Test
  void theHeirOfALeavingOwnerModeratesRightAway() {
    String room = fx.group(alice, "general", bob, carol).room().id();
    fx.engine.send(bob.user(), room, "member").join(); // bob's MEMBER role is cached
    assertFails(ErrorCode.FORBIDDEN, () -> fx.engine.kick(bob.user(), room, "carol"));

    fx.engine.leave(alice.user(), room);

    assertThat(fx.engine.room(bob.user(), room).myRole()).isEqualTo(Role.OWNER);
    fx.engine.kick(bob.user(), room, "carol");
    assertSendRefused(carol.user(), room, "x");
  }

  @Test
  void aReadMarkerIsAnnouncedOnlyWhenItMoves() {
    String room = fx.group(alice, "general", bob).room().id();
    for (int i = 0; i < 3; i++) {
      fx.engine.send(alice.user(), room, "m" + i).join();
    }
    Client a = fx.connect(alice);

    fx.engine.markRead(bob.user(), room, 2);
    fx.engine.markRead(bob.user(), room, 2);
    fx.engine.markRead(bob.user(), room, 1);
    fx.engine.markRead(bob.user(), room, 3);

    assertThat(a.conn.await(ServerEvent.ReadEvent.class, e -> e.seq() == 3)).isNotNull();
    assertThat(a.conn.events(ServerEvent.ReadEvent.class))
        .extracting(ServerEvent.ReadEvent::seq)
        .containsExactly(2L, 3L);
  }

  /** The send's future fails with {@code forbidden} (a rejected send never throws). */
  private void assertSendRefused(User me, String room, String body) {
    assertFails(ErrorCode.FORBIDDEN, () -> unwrap(fx.engine.send(me, room, body)));
  }

  private static void unwrap(CompletableFuture<?> future) throws Throwable {
    try {
      future.join();
    } catch (CompletionException e) {
      throw e.getCause();
    }
  }

  @Test
  void withABusThatSpansNodesAMembershipRemovedElsewhereIsSeenAtOnce() {
    InMemoryChatStore shared = new InMemoryChatStore();
    EventBus otherNodesToo =
        new EventBus() { // delivers here like the in-process bus, but says other nodes publish too
          private volatile Consumer<Envelope> subscriber = e -> {};

          @Override
          public void publish(Envelope envelope) {
            subscriber.accept(envelope);
          }

          @Override
          public void subscribe(Consumer<Envelope> s) {
            subscriber = s;
          }
        };
    try (ChatEngine engine = ChatEngine.builder(shared).eventBus(otherNodesToo).build()) {
      User dave = engine.createUser("dave", "correct horse battery", "Dave");
      User erin = engine.createUser("erin", "correct horse battery", "Erin");
      String room =
          engine.createRoom(dave, "ops", Visibility.PUBLIC, java.util.List.of("erin")).room().id();
      engine.send(erin, room, "warm").join();

      shared.removeMember(room, erin.id()); // another node kicked erin: only the store knows

      CompletionException refused =
          org.assertj.core.api.Assertions.catchThrowableOfType(
              CompletionException.class, () -> engine.send(erin, room, "still here?").join());
      assertThat(refused.getCause()).isInstanceOf(ChatException.class);
    }
  }
}
