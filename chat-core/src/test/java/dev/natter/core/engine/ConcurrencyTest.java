package dev.natter.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.natter.core.AuthResult;
import dev.natter.core.DmOpened;
import dev.natter.core.model.AppendResult;
import dev.natter.core.model.Message;
import dev.natter.core.model.NewMessage;
import dev.natter.core.model.User;
import dev.natter.core.protocol.ClientCommand;
import dev.natter.core.protocol.ServerEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConcurrencyTest {
  private static final int SENDERS = 8;
  private static final int PER_SENDER = 100;
  private static final int TOTAL = SENDERS * PER_SENDER;

  private Fixture fx;
  private final List<Thread> threads = new ArrayList<>();

  @AfterEach
  void tearDown() {
    threads.forEach(Thread::interrupt);
    // A deadlocked worker holds the store's lock: closing the engine would hang on it too.
    if (threads.stream().noneMatch(Thread::isAlive)) {
      fx.close();
    }
  }

  /** Runs each task on its own daemon thread, all released at once. */
  private void runTogether(List<Runnable> tasks) throws Exception {
    CyclicBarrier start = new CyclicBarrier(tasks.size());
    List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    for (Runnable task : tasks) {
      Thread t =
          new Thread(
              () -> {
                try {
                  start.await();
                  task.run();
                } catch (Throwable e) {
                  failures.add(e);
                }
              });
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(10));
      assertThat(t.isAlive()).as("a worker is stuck").isFalse();
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void manySendersIntoOneRoomGetGaplessSeqsAndEveryoneSeesOneOrder() throws Exception {
    fx = Fixture.start();
    List<AuthResult> senders = new ArrayList<>();
    for (int i = 0; i < SENDERS; i++) {
      senders.add(fx.register("sender" + i));
    }
    List<AuthResult> watchers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      watchers.add(fx.register("watcher" + i));
    }
    List<AuthResult> members = new ArrayList<>(senders.subList(1, SENDERS));
    members.addAll(watchers);
    String room = fx.group(senders.get(0), "busy", members.toArray(AuthResult[]::new)).room().id();
    List<Client> senderClients = senders.stream().map(fx::connect).toList();
    List<Client> observers = watchers.stream().map(fx::connect).toList();

    List<Runnable> tasks = new ArrayList<>();
    for (int i = 0; i < SENDERS; i++) {
      Client sender = senderClients.get(i);
      int n = i;
      tasks.add(
          () -> {
            for (int k = 0; k < PER_SENDER; k++) {
              sender.handle(
                  new ClientCommand.Send(
                      "req-" + n + "-" + k, room, "cm-" + n + "-" + k, n + ":" + k, null));
            }
          });
    }
    runTogether(tasks);

    for (Client sender : senderClients) {
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> sender.conn.events(ServerEvent.Ack.class).size() == PER_SENDER);
      assertThat(sender.conn.events(ServerEvent.Error.class)).isEmpty();
    }
    List<Long> ackedSeqs = new ArrayList<>();
    for (int i = 0; i < SENDERS; i++) {
      List<ServerEvent.Ack> acks = senderClients.get(i).conn.events(ServerEvent.Ack.class);
      List<Long> seqs = acks.stream().map(ServerEvent.Ack::seq).toList();
      ackedSeqs.addAll(seqs);
      // One connection's messages keep the order they were sent in.
      assertThat(seqs).isSorted();
      int n = i;
      assertThat(acks)
          .extracting(ServerEvent.Ack::clientMsgId)
          .containsExactlyElementsOf(
              LongStream.range(0, PER_SENDER).mapToObj(k -> "cm-" + n + "-" + k).toList());
      for (ServerEvent.Ack ack : acks) {
        Message stored = fx.memory.findMessage(room, ack.messageId()).orElseThrow();
        assertThat(stored.seq()).isEqualTo(ack.seq());
        assertThat(stored.sender()).isEqualTo(senders.get(i).user());
      }
    }
    assertThat(ackedSeqs)
        .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, TOTAL).boxed().toList());
    assertThat(fx.memory.lastSeq(room)).isEqualTo(TOTAL);

    List<String> storedOrder =
        fx.memory.messagesAfter(room, 0, TOTAL + 1).stream().map(Message::messageId).toList();
    List<Client> everyone = new ArrayList<>(observers);
    everyone.addAll(senderClients);
    for (Client c : everyone) {
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> c.conn.messages(room).size() >= TOTAL);
      List<Message> seen = c.conn.messages(room);
      assertThat(seen).as("%s", c).hasSize(TOTAL);
      assertThat(seen)
          .extracting(Message::seq)
          .containsExactlyElementsOf(LongStream.rangeClosed(1, TOTAL).boxed().toList());
      assertThat(seen).extracting(Message::messageId).containsExactlyElementsOf(storedOrder);
    }
    // clientMsgId only on the sender's own messages.
    for (int i = 0; i < SENDERS; i++) {
      User me = senders.get(i).user();
      for (ServerEvent.MessageEvent e : senderClients.get(i).conn.messageEvents(room)) {
        assertThat(e.clientMsgId() != null).isEqualTo(e.message().sender().equals(me));
      }
    }
    assertThat(observers.get(0).conn.messageEvents(room))
        .allSatisfy(e -> assertThat(e.clientMsgId()).isNull());
  }

  @Test
  void concurrentResendsOfOneClientMsgIdStoreOneMessage() throws Exception {
    fx = Fixture.start();
    AuthResult alice = fx.register("alice");
    AuthResult bob = fx.register("bob");
    String room = fx.group(alice, "general", bob).room().id();
    List<Client> devices = new ArrayList<>();
    for (int i = 0; i < SENDERS; i++) {
      devices.add(fx.connect(i == 0 ? alice : fx.login(alice)));
    }
    Client b = fx.connect(bob);

    List<Runnable> tasks = new ArrayList<>();
    for (Client device : devices) {
      tasks.add(
          () -> {
            for (int k = 0; k < 20; k++) {
              device.handle(new ClientCommand.Send("r" + k, room, "the-one", "hello", null));
            }
          });
    }
    runTogether(tasks);

    Set<String> messageIds = new HashSet<>();
    Set<Long> seqs = new HashSet<>();
    for (Client device : devices) {
      Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> device.conn.events(ServerEvent.Ack.class).size() == 20);
      device.conn.events(ServerEvent.Ack.class).forEach(a -> messageIds.add(a.messageId()));
      device.conn.events(ServerEvent.Ack.class).forEach(a -> seqs.add(a.seq()));
      assertThat(device.conn.messages(room)).hasSize(1);
    }
    assertThat(messageIds).hasSize(1);
    assertThat(seqs).containsExactly(1L);
    assertThat(fx.memory.lastSeq(room)).isEqualTo(1);
    b.conn.awaitMessage(devices.get(0).send(room, "next").messageId());
    assertThat(b.conn.messages(room)).extracting(Message::seq).containsExactly(1L, 2L);
  }

  @Test
  void concurrentDmOpensFindOneRoom() throws Exception {
    fx = Fixture.start();
    AuthResult alice = fx.register("alice");
    AuthResult bob = fx.register("bob");
    List<DmOpened> results = new java.util.concurrent.CopyOnWriteArrayList<>();

    List<Runnable> tasks = new ArrayList<>();
    for (int i = 0; i < SENDERS; i++) {
      boolean fromAlice = i % 2 == 0;
      tasks.add(
          () ->
              results.add(
                  fromAlice
                      ? fx.engine.openDm(alice.user(), "bob")
                      : fx.engine.openDm(bob.user(), "alice")));
    }
    runTogether(tasks);

    assertThat(results).hasSize(SENDERS);
    assertThat(results.stream().map(r -> r.room().room().id()).distinct()).hasSize(1);
    assertThat(results.stream().filter(DmOpened::created)).hasSize(1);
    assertThat(fx.engine.rooms(alice.user())).hasSize(1);
  }

  /**
   * The first look-up of a room's members (for a typing event, say) must not deadlock with a
   * message being committed in that room. The store widens the race window: the member look-up
   * waits (up to a second) until the commit is under way.
   */
  @Test
  void aCommitDoesNotDeadlockWithTheFirstLookUpOfTheRoomsMembers() throws Exception {
    AtomicBoolean armed = new AtomicBoolean();
    CountDownLatch lookingUp = new CountDownLatch(1);
    CountDownLatch committing = new CountDownLatch(1);
    fx =
        Fixture.builder()
            .store(
                s ->
                    new DelegatingStore(s) {
                      @Override
                      public List<User> members(String roomId) {
                        if (armed.compareAndSet(true, false)) {
                          lookingUp.countDown();
                          try {
                            committing.await(1, TimeUnit.SECONDS);
                          } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                          }
                        }
                        return super.members(roomId);
                      }

                      @Override
                      public CompletableFuture<AppendResult> append(
                          NewMessage message, Consumer<Message> onCommitted) {
                        return super.append(
                            message,
                            m -> {
                              committing.countDown();
                              onCommitted.accept(m);
                            });
                      }
                    })
            .start();
    AuthResult alice = fx.register("alice");
    AuthResult bob = fx.register("bob");
    String room = fx.group(alice, "general", bob).room().id();
    Client a = fx.connect(alice);
    Client b = fx.connect(bob);
    armed.set(true);

    Thread typist = new Thread(() -> b.handle(new ClientCommand.Typing(room, true)));
    typist.setDaemon(true);
    threads.add(typist);
    typist.start();
    assertThat(lookingUp.await(5, TimeUnit.SECONDS)).isTrue();
    Thread sender =
        new Thread(() -> a.handle(new ClientCommand.Send("r1", room, "c1", "hi", null)));
    sender.setDaemon(true);
    threads.add(sender);
    sender.start();

    sender.join(5_000);
    typist.join(5_000);
    assertThat(sender.isAlive()).as("the sender is deadlocked").isFalse();
    assertThat(typist.isAlive()).as("the typist is deadlocked").isFalse();
    assertThat(a.conn.events(ServerEvent.Ack.class)).hasSize(1);
    assertThat(b.conn.messages(room)).hasSize(1);
    // Bob's typing reached alice (the expiry being short, its end may even have overtaken it
    // while the typist was held inside the member look-up).
    assertThat(a.conn.events(ServerEvent.TypingEvent.class))
        .contains(new ServerEvent.TypingEvent(room, bob.user(), true));
  }

  @Test
  void concurrentReactionsToOneMessageReachMembersInTheOrderTheStoreAppliedThem() throws Exception {
    // The store records the order it applies reactions in, and returns a little late, widening
    // the gap between applying and publishing.
    List<java.util.Map<String, List<String>>> applied =
        java.util.Collections.synchronizedList(new ArrayList<>());
    fx =
        Fixture.builder()
            .store(
                s ->
                    new DelegatingStore(s) {
                      @Override
                      public Message react(
                          String roomId,
                          String messageId,
                          String userId,
                          String emoji,
                          boolean on) {
                        Message m;
                        synchronized (applied) {
                          m = super.react(roomId, messageId, userId, emoji, on);
                          applied.add(m.reactions());
                        }
                        java.util.concurrent.locks.LockSupport.parkNanos(
                            java.util.concurrent.ThreadLocalRandom.current().nextLong(200_000));
                        return m;
                      }
                    })
            .start();
    AuthResult alice = fx.register("alice");
    List<AuthResult> reactors = new ArrayList<>();
    for (int i = 0; i < SENDERS; i++) {
      reactors.add(fx.register("reactor" + i));
    }
    String room = fx.group(alice, "general", reactors.toArray(AuthResult[]::new)).room().id();
    Client observer = fx.connect(alice);
    ServerEvent.Ack target = observer.send(room, "react to me");
    List<Runnable> tasks = new ArrayList<>();
    for (int i = 0; i < SENDERS; i++) {
      Client reactor = fx.connect(reactors.get(i));
      tasks.add(
          () -> {
            for (int n = 0; n < 50; n++) {
              reactor.handle(
                  new ClientCommand.React(
                      Client.newRequestId(), room, target.messageId(), "+1", n % 2 == 0));
            }
          });
    }
    runTogether(tasks);

    Message stored = fx.memory.findMessage(room, target.messageId()).orElseThrow();
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              List<ServerEvent.MessageUpdated> updates =
                  observer.conn.events(ServerEvent.MessageUpdated.class);
              assertThat(updates).hasSize(SENDERS * 50);
              assertThat(updates.get(updates.size() - 1).reactions()).isEqualTo(stored.reactions());
              assertThat(updates.stream().map(ServerEvent.MessageUpdated::reactions).toList())
                  .as("messageUpdated events in the order the store applied the reactions")
                  .isEqualTo(List.copyOf(applied));
            });
  }
}
