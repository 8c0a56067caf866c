package dev.natter.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.natter.core.model.AppendResult;
import dev.natter.core.model.Message;
import dev.natter.core.model.NewMessage;
import dev.natter.core.model.NewRoom;
import dev.natter.core.model.Role;
import dev.natter.core.model.Room;
import dev.natter.core.model.RoomKind;
import dev.natter.core.model.User;
import dev.natter.core.model.Visibility;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Batched appends on a real PostgreSQL: a resend inside a batch stores nothing and leaves no gap;
 * many senders to one hot room, through one store or two (two nodes), get gapless seqs.
 */
class AppendBatchTest {
  @RegisterExtension static final PgTestDatabase PG = new PgTestDatabase();

  private static final Instant T0 = Instant.parse("2024-03-01T10:00:00Z");
  private static final String ROOM = "r-hot";

  private final List<PostgresChatStore> stores = new ArrayList<>();
  private PostgresChatStore store;

  @BeforeEach
  void open() {
    store = PG.openEmptyStore();
    stores.add(store);
  }

  @AfterEach
  void close() {
    stores.forEach(PostgresChatStore::close);
  }

  private List<User> usersInTheRoom(int count) {
    List<User> users = new ArrayList<>();
    Map<String, Role> roles = new HashMap<>();
    for (int i = 0; i < count; i++) {
      User u = new User("u-" + i, "user" + i, "User " + i);
      store.createUser(u, "hash", T0);
      users.add(u);
      roles.put(u.id(), i == 0 ? Role.OWNER : Role.MEMBER);
    }
    store.createRoom(
        new NewRoom(new Room(ROOM, RoomKind.GROUP, "hot", Visibility.PUBLIC, null, T0), roles));
    return users;
  }

  private static NewMessage message(User sender, String messageId, String clientMsgId) {
    return new NewMessage(ROOM, messageId, sender, clientMsgId, "body of " + messageId, null, T0);
  }

  private static AppendResult join(CompletableFuture<AppendResult> f) {
    return f.orTimeout(30, TimeUnit.SECONDS).join();
  }

  @Test
  void resendsInsideABatchStoreNothingAndLeaveNoGap() throws Exception {
    List<User> users = usersInTheRoom(2);
    User alice = users.get(0);
    User bob = users.get(1);
    List<Long> committed = Collections.synchronizedList(new ArrayList<>());
    Consumer<Message> recorder = m -> committed.add(m.seq());
    Message first = join(store.append(message(alice, "m-first", "c-0"), recorder)).message();

    CompletableFuture<AppendResult> a;
    List<CompletableFuture<AppendResult>> batch = new ArrayList<>();
    try (Connection other = PgTestDatabase.connect();
        Statement st = other.createStatement()) {
      // Another transaction holds the room's row: the lane's next transaction waits for it, and
      // what is sent meanwhile gathers into the batch after it.
      other.setAutoCommit(false);
      st.execute("SELECT 1 FROM " + PG.schema() + ".rooms WHERE id = '" + ROOM + "' FOR UPDATE");
      a = store.append(message(alice, "m-a", "c-1"), recorder);
      await().atMost(Duration.ofSeconds(10)).until(() -> store.stats().queuedAppends() == 0);
      batch.add(store.append(message(alice, "m-b", "c-2"), recorder));
      batch.add(store.append(message(alice, "m-c", "c-1"), recorder)); // resend of m-a
      batch.add(store.append(message(alice, "m-d", "c-0"), recorder)); // resend of m-first
      batch.add(store.append(message(bob, "m-e", "c-1"), recorder)); // same id, other sender
      batch.add(store.append(message(alice, "m-f", "c-2"), recorder)); // resend within the batch
      assertThat(store.stats().queuedAppends()).isEqualTo(5);
      other.commit();
    }

    AppendResult stored = join(a);
    List<AppendResult> results = batch.stream().map(AppendBatchTest::join).toList();
    assertThat(stored.duplicate()).isFalse();
    assertThat(stored.message().seq()).isEqualTo(2);
    assertThat(results)
        .extracting(r -> r.message().messageId(), AppendResult::duplicate)
        .containsExactly(
            tuple("m-b", false),
            tuple("m-a", true),
            tuple("m-first", true),
            tuple("m-e", false),
            tuple("m-b", true));
    assertThat(results.get(1).message()).isEqualTo(stored.message());
    assertThat(results.get(2).message()).isEqualTo(first);
    assertThat(store.lastSeq(ROOM)).isEqualTo(4);
    assertThat(store.messagesAfter(ROOM, 0, 10))
        .extracting(Message::seq, Message::messageId)
        .containsExactly(
            tuple(1L, "m-first"), tuple(2L, "m-a"), tuple(3L, "m-b"), tuple(4L, "m-e"));
    assertThat(committed).containsExactly(1L, 2L, 3L, 4L);
    assertThat(store.stats().retriedBatches()).as("the batch of five was retried once").isOne();
  }

  @Test
  void manySendersToOneHotRoomGetGaplessSeqs() throws Exception {
    int threads = 32;
    int perThread = 100;
    List<User> users = usersInTheRoom(threads);
    CallbackOrder order = new CallbackOrder();

    List<AppendResult> results = sendConcurrently(users, perThread, t -> store, t -> order);

    assertGapless(results, threads * perThread);
    assertThat(order.seqs).containsExactlyElementsOf(seqs(threads * perThread));
    PostgresChatStore.Stats stats = store.stats();
    assertThat(stats.appended()).isEqualTo(threads * perThread + 0L);
    assertThat(stats.transactions()).as("appends shared transactions").isLessThan(stats.appended());
  }

  @Test
  void twoNodesAppendingToOneRoomShareOneGaplessOrderAndOneCopyOfEachResend() throws Exception {
    PostgresChatStore otherNode = PostgresChatStore.open(PG.options().build());
    stores.add(otherNode);
    int threads = 16;
    int perThread = 100;
    List<User> users = usersInTheRoom(threads);
    CallbackOrder onFirst = new CallbackOrder();
    CallbackOrder onSecond = new CallbackOrder();

    // Each sender sends through one node and resends every fifth message through the other.
    List<AppendResult> results =
        sendConcurrently(
            users,
            perThread,
            t -> t % 2 == 0 ? store : otherNode,
            t -> t % 2 == 0 ? onFirst : onSecond);
    List<AppendResult> resends = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      PostgresChatStore elsewhere = t % 2 == 0 ? otherNode : store;
      for (int i = 0; i < perThread; i += 5) {
        resends.add(join(elsewhere.append(message(users.get(t), "again", "c-" + i), m -> {})));
      }
    }

    assertGapless(results, threads * perThread);
    assertThat(resends).allSatisfy(r -> assertThat(r.duplicate()).isTrue());
    assertThat(store.lastSeq(ROOM)).isEqualTo(threads * perThread);
    assertThat(onFirst.inOrder && onSecond.inOrder)
        .as("callbacks in seq order on each node")
        .isTrue();
  }

  /** Each user sends {@code perThread} messages on a thread of its own, all started at once. */
  private List<AppendResult> sendConcurrently(
      List<User> users,
      int perThread,
      IntFunction<PostgresChatStore> nodeOf,
      IntFunction<Consumer<Message>> callbackOf)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(users.size());
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<List<CompletableFuture<AppendResult>>>> senders = new ArrayList<>();
      for (int t = 0; t < users.size(); t++) {
        int sender = t;
        senders.add(
            pool.submit(
                () -> {
                  go.await();
                  List<CompletableFuture<AppendResult>> mine = new ArrayList<>();
                  for (int i = 0; i < perThread; i++) {
                    mine.add(
                        nodeOf
                            .apply(sender)
                            .append(
                                message(users.get(sender), "m-" + sender + "-" + i, "c-" + i),
                                callbackOf.apply(sender)));
                  }
                  return mine;
                }));
      }
      go.countDown();
      List<AppendResult> results = new ArrayList<>();
      for (Future<List<CompletableFuture<AppendResult>>> f : senders) {
        for (CompletableFuture<AppendResult> append : f.get(60, TimeUnit.SECONDS)) {
          results.add(join(append));
        }
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Every append is new, the seqs are 1..total, and the room holds exactly what was acked. */
  private void assertGapless(List<AppendResult> results, int total) {
    assertThat(results).allSatisfy(r -> assertThat(r.duplicate()).isFalse());
    assertThat(results.stream().map(r -> r.message().seq()).sorted().toList())
        .containsExactlyElementsOf(seqs(total));
    List<Message> stored = new ArrayList<>();
    for (long after = 0; after < total; after += 500) {
      stored.addAll(store.messagesAfter(ROOM, after, 500));
    }
    assertThat(stored).extracting(Message::seq).containsExactlyElementsOf(seqs(total));
    assertThat(stored)
        .containsExactlyInAnyOrderElementsOf(results.stream().map(AppendResult::message).toList());
  }

  private static List<Long> seqs(int total) {
    return LongStream.rangeClosed(1, total).boxed().toList();
  }

  /** Records the seqs of the callbacks and whether each came after the one before it. */
  private static final class CallbackOrder implements Consumer<Message> {
    final List<Long> seqs = Collections.synchronizedList(new ArrayList<>());
    volatile boolean inOrder = true;

    @Override
    public synchronized void accept(Message m) {
      if (!seqs.isEmpty() && seqs.get(seqs.size() - 1) >= m.seq()) {
        inOrder = false;
      }
      seqs.add(m.seq());
    }
  }
}
