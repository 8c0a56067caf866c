package dev.natter.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

import dev.natter.core.ChatException;
import dev.natter.core.model.AppendResult;
import dev.natter.core.model.Message;
import dev.natter.core.model.NewMessage;
import dev.natter.core.model.User;
import dev.natter.core.spi.ChatStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link dev.natter.core.spi.MessageStore}: gapless per-room seqs under concurrent
 * senders, exactly once per {@code (sender, clientMsgId)}, {@code onCommitted} in seq order,
 * history pages, edits, deletes and reactions. See {@link StoreContract} for how a store runs it.
 */
public abstract class MessageStoreContract extends StoreContract<ChatStore> {
  @Test
  void appendAssignsGaplessSeqFromOnePerRoomAndStoresEveryField() {
    User alice = user("alice");
    User bob = user("bob");
    String room = groupWith("r-1", alice, bob);
    String other = groupWith("r-2", alice);
    assertThat(store.lastSeq(room)).isZero();

    Message first = send(room, alice, "first", at(1));
    AppendResult second =
        join(
            store.append(
                new NewMessage(room, "m-reply", bob, "c-reply", "second", first.messageId(), at(2)),
                m -> {}));
    Message third = send(room, alice, "third", at(3));
    Message elsewhere = send(other, alice, "elsewhere", at(4));

    assertThat(second.duplicate()).isFalse();
    assertThat(second.message())
        .isEqualTo(
            new Message(
                room, 2, "m-reply", bob, "second", at(2), first.messageId(), null, false, null));
    assertThat(first.seq()).isEqualTo(1);
    assertThat(first.body()).isEqualTo("first");
    assertThat(first.sender()).isEqualTo(alice);
    assertThat(first.ts()).isEqualTo(at(1));
    assertThat(first.replyTo()).isNull();
    assertThat(first.editedAt()).isNull();
    assertThat(first.deleted()).isFalse();
    assertThat(first.reactions()).isEmpty();
    assertThat(third.seq()).isEqualTo(3);
    assertThat(elsewhere.seq()).isEqualTo(1);
    assertThat(store.lastSeq(room)).isEqualTo(3);
    assertThat(store.lastSeq(other)).isEqualTo(1);
    assertThat(store.findMessage(room, "m-reply")).contains(second.message());
    assertThat(store.findMessage(other, "m-reply")).isEmpty();
    assertThat(store.findMessage(room, "m-none")).isEmpty();
  }

  @Test
  void appendToAMissingRoomFailsTheFutureWithNotFound() {
    User alice = user("alice");
    CompletableFuture<AppendResult> future =
        store.append(new NewMessage("r-none", "m-1", alice, "c-1", "hi", null, at(1)), m -> {});

    assertThat(catchThrowable(() -> future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS)))
        .hasCauseInstanceOf(ChatException.NotFound.class);
    assertThat(store.lastSeq("r-none")).isZero();
  }

  @Test
  void resendWithTheSameSenderAndClientMsgIdReturnsTheOriginal() {
    User alice = user("alice");
    User bob = user("bob");
    String room = groupWith("r-1", alice, bob);
    List<Message> committed = Collections.synchronizedList(new ArrayList<>());

    AppendResult original =
        join(
            store.append(
                new NewMessage(room, "m-1", alice, "c-1", "hello", null, at(1)), committed::add));
    AppendResult resend =
        join(
            store.append(
                new NewMessage(room, "m-2", alice, "c-1", "hello again", null, at(2)),
                committed::add));
    AppendResult otherSender =
        join(
            store.append(
                new NewMessage(room, "m-3", bob, "c-1", "same id, other sender", null, at(3)),
                committed::add));

    assertThat(original.duplicate()).isFalse();
    assertThat(resend.duplicate()).isTrue();
    assertThat(resend.message()).isEqualTo(original.message());
    assertThat(resend.message().messageId()).isEqualTo("m-1");
    assertThat(resend.message().seq()).isEqualTo(1);
    assertThat(resend.message().body()).isEqualTo("hello");
    assertThat(otherSender.duplicate()).isFalse();
    assertThat(otherSender.message().seq()).isEqualTo(2);
    assertThat(otherSender.message().messageId()).isEqualTo("m-3");
    assertThat(committed)
        .extracting(Message::messageId)
        .containsExactly("m-1", "m-3"); // not called for the resend
    assertThat(store.lastSeq(room)).isEqualTo(2);
    assertThat(store.findMessage(room, "m-2")).isEmpty();
  }

  @Test
  void concurrentResendsOfOneClientMsgIdStoreOneMessage() throws Exception {
    User alice = user("alice");
    String room = groupWith("r-1", alice);
    AtomicInteger callbacks = new AtomicInteger();
    int senders = 8;

    List<AppendResult> results =
        concurrently(
            senders,
            i ->
                join(
                    store.append(
                        new NewMessage(room, "m-" + i, alice, "c-same", "hi " + i, null, at(i)),
                        m -> callbacks.incrementAndGet())),
            senders);

    assertThat(results).filteredOn(r -> !r.duplicate()).hasSize(1);
    Message stored = results.stream().filter(r -> !r.duplicate()).findFirst().get().message();
    assertThat(results).extracting(AppendResult::message).containsOnly(stored);
    assertThat(stored.seq()).isEqualTo(1);
    assertThat(callbacks.get()).isEqualTo(1);
    assertThat(store.lastSeq(room)).isEqualTo(1);
  }

  @Test
  void onCommittedRunsOnceInSeqOrderBeforeTheFutureCompletes() {
    User alice = user("alice");
    String room = groupWith("r-1", alice);
    List<Message> committed = Collections.synchronizedList(new ArrayList<>());
    List<CompletableFuture<Boolean>> seenBeforeCompletion = new ArrayList<>();
    List<CompletableFuture<AppendResult>> futures = new ArrayList<>();

    for (int i = 0; i < 20; i++) {
      CompletableFuture<AppendResult> f =
          store.append(newMessage(room, alice, "message " + i, at(i)), committed::add);
      futures.add(f);
      seenBeforeCompletion.add(f.thenApply(r -> committed.contains(r.message())));
    }

    List<AppendResult> results = futures.stream().map(StoreContract::join).toList();
    assertThat(seenBeforeCompletion).allSatisfy(f -> assertThat(join(f)).isTrue());
    assertThat(committed).extracting(Message::seq).containsExactlyElementsOf(seqs(1, 20));
    assertThat(committed)
        .containsExactlyInAnyOrderElementsOf(results.stream().map(AppendResult::message).toList());
  }

  @Test
  void concurrentSendersToOneRoomGetGaplessSeqsAndOrderedCallbacks() throws Exception {
    int threads = 16;
    int perThread = 200;
    int total = threads * perThread;
    List<User> senders = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      senders.add(user("sender" + t));
    }
    String room = groupWith("r-busy", senders.toArray(User[]::new));
    CallbackRecorder recorder = new CallbackRecorder();

    List<List<CompletableFuture<AppendResult>>> perSender =
        concurrently(
            threads,
            t -> {
              List<CompletableFuture<AppendResult>> mine = new ArrayList<>(perThread);
              for (int i = 0; i < perThread; i++) {
                mine.add(
                    store.append(
                        new NewMessage(
                            room,
                            "m-" + t + "-" + i,
                            senders.get(t),
                            "c-" + i,
                            "t" + t + " #" + i,
                            null,
                            at(i)),
                        recorder));
              }
              return mine;
            },
            threads);
    List<CompletableFuture<AppendResult>> all = perSender.stream().flatMap(List::stream).toList();
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
        .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

    assertThat(all).allSatisfy(f -> assertThat(join(f).duplicate()).isFalse());
    assertThat(all.stream().map(f -> join(f).message().seq()).sorted().toList())
        .containsExactlyElementsOf(seqs(1, total));
    assertThat(recorder.seqsOf(room)).containsExactlyElementsOf(seqs(1, total));
    assertThat(recorder.overlaps.get()).isZero();
    assertThat(store.lastSeq(room)).isEqualTo(total);
    // Each sender's own messages were stored with the body it sent.
    for (int t = 0; t < threads; t++) {
      List<Message> mine = perSender.get(t).stream().map(f -> join(f).message()).toList();
      int sender = t;
      assertThat(mine)
          .allSatisfy(m -> assertThat(m.sender()).isEqualTo(senders.get(sender)))
          .extracting(Message::body)
          .containsExactlyElementsOf(
              LongStream.range(0, perThread).mapToObj(i -> "t" + sender + " #" + i).toList());
    }
  }

  @Test
  void concurrentSendersInDifferentRoomsEachGetTheirOwnGaplessSeqs() throws Exception {
    int rooms = 4;
    int sendersPerRoom = 2;
    int perSender = 100;
    User alice = user("alice");
    User bob = user("bob");
    List<String> roomIds = new ArrayList<>();
    for (int r = 0; r < rooms; r++) {
      roomIds.add(groupWith("r-" + r, alice, bob));
    }
    CallbackRecorder recorder = new CallbackRecorder();

    List<CompletableFuture<AppendResult>> all =
        concurrently(
                rooms * sendersPerRoom,
                t -> {
                  String room = roomIds.get(t % rooms);
                  User sender = t / rooms == 0 ? alice : bob;
                  List<CompletableFuture<AppendResult>> mine = new ArrayList<>();
                  for (int i = 0; i < perSender; i++) {
                    mine.add(
                        store.append(
                            new NewMessage(
                                room,
                                "m-" + t + "-" + i,
                                sender,
                                "c-" + t + "-" + i,
                                "x",
                                null,
                                at(i)),
                            recorder));
                  }
                  return mine;
                },
                rooms * sendersPerRoom)
            .stream()
            .flatMap(List::stream)
            .toList();
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
        .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

    int perRoom = sendersPerRoom * perSender;
    for (String room : roomIds) {
      assertThat(
              all.stream()
                  .map(f -> join(f).message())
                  .filter(m -> m.room().equals(room))
                  .map(Message::seq)
                  .sorted()
                  .toList())
          .as("seqs of %s", room)
          .containsExactlyElementsOf(seqs(1, perRoom));
      assertThat(recorder.seqsOf(room))
          .as("callbacks of %s", room)
          .containsExactlyElementsOf(seqs(1, perRoom));
      assertThat(store.lastSeq(room)).isEqualTo(perRoom);
    }
    assertThat(recorder.overlaps.get()).isZero();
  }

  @Test
  void walkingBackInPagesOf50VisitsEveryMessageOnce() throws Exception {
    User alice = user("alice");
    String room = groupWith("r-1", alice);
    int total = 250;
    List<CompletableFuture<AppendResult>> futures = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      futures.add(store.append(newMessage(room, alice, "body " + i, at(i)), m -> {}));
    }
    CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
        .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

    List<Long> visited = new ArrayList<>();
    Long before = null;
    int pages = 0;
    while (true) {
      List<Message> page = store.messagesBefore(room, before, 50);
      if (page.isEmpty()) {
        break;
      }
      pages++;
      assertThat(page).hasSize(50);
      long top = before == null ? total : before - 1;
      assertThat(page).extracting(Message::seq).containsExactlyElementsOf(seqs(top - 49, top));
      visited.addAll(0, page.stream().map(Message::seq).toList());
      before = page.get(0).seq();
      assertThat(pages).isLessThanOrEqualTo(5);
    }
    assertThat(pages).isEqualTo(5);
    assertThat(visited).containsExactlyElementsOf(seqs(1, total));
  }

  @Test
  void messagesBeforeAndAfterHonourBoundsAndLimitsInAscendingOrder() {
    User alice = user("alice");
    String room = groupWith("r-1", alice);
    for (int i = 1; i <= 10; i++) {
      send(room, alice, "m" + i, at(i));
    }

    assertThat(seqsOf(store.messagesBefore(room, null, 3))).containsExactly(8L, 9L, 10L);
    assertThat(seqsOf(store.messagesBefore(room, null, 100)))
        .containsExactlyElementsOf(seqs(1, 10));
    assertThat(seqsOf(store.messagesBefore(room, 5L, 2))).containsExactly(3L, 4L);
    assertThat(seqsOf(store.messagesBefore(room, 5L, 100))).containsExactly(1L, 2L, 3L, 4L);
    assertThat(seqsOf(store.messagesBefore(room, 1L, 100))).isEmpty();
    assertThat(seqsOf(store.messagesBefore(room, 99L, 2))).containsExactly(9L, 10L);

    assertThat(seqsOf(store.messagesAfter(room, 0, 3))).containsExactly(1L, 2L, 3L);
    assertThat(seqsOf(store.messagesAfter(room, 4, 3))).containsExactly(5L, 6L, 7L);
    assertThat(seqsOf(store.messagesAfter(room, 8, 100))).containsExactly(9L, 10L);
    assertThat(seqsOf(store.messagesAfter(room, 10, 100))).isEmpty();

    assertThat(store.messagesAfter(room, 2, 1))
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.body()).isEqualTo("m3");
              assertThat(m.ts()).isEqualTo(at(3));
            });
    assertThat(store.messagesBefore("r-none", null, 10)).isEmpty();
    assertThat(store.messagesAfter("r-none", 0, 10)).isEmpty();
  }

  @Test
  void editReplacesTheBodyAndSetsEditedAt() {
    User alice = user("alice");
    String room = groupWith("r-1", alice);
    Message original = send(room, alice, "helo", at(1));

    Message edited = store.editMessage(room, original.messageId(), "hello", at(5));

    assertThat(edited)
        .isEqualTo(
            new Message(
                room, 1, original.messageId(), alice, "hello", at(1), null, at(5), false, null));
    assertThat(store.findMessage(room, original.messageId())).contains(edited);
    assertThat(original.body()).as("earlier results are snapshots").isEqualTo("helo");
    assertThat(store.lastSeq(room)).isEqualTo(1);
    assertThatThrownBy(() -> store.editMessage(room, "m-none", "x", at(6)))
        .isInstanceOf(ChatException.NotFound.class);
    assertThatThrownBy(() -> store.editMessage("r-none", original.messageId(), "x", at(6)))
        .isInstanceOf(ChatException.NotFound.class);
  }

  @Test
  void deleteKeepsTheSeqAndClearsBodyAndReactions() {
    User alice = user("alice");
    User bob = user("bob");
    String room = groupWith("r-1", alice, bob);
    send(room, alice, "one", at(1));
    Message two = send(room, bob, "two", at(2));
    send(room, alice, "three", at(3));
    store.react(room, two.messageId(), alice.id(), THUMBS, true);

    Message deleted = store.deleteMessage(room, two.messageId());

    assertThat(deleted.seq()).isEqualTo(2);
    assertThat(deleted.deleted()).isTrue();
    assertThat(deleted.body()).isEmpty();
    assertThat(deleted.reactions()).isEmpty();
    assertThat(deleted.sender()).isEqualTo(bob);
    assertThat(deleted.messageId()).isEqualTo(two.messageId());
    assertThat(store.findMessage(room, two.messageId())).contains(deleted);
    assertThat(store.messagesAfter(room, 0, 10))
        .extracting(Message::seq, Message::body, Message::deleted)
        .containsExactly(tuple(1L, "one", false), tuple(2L, "", true), tuple(3L, "three", false));
    assertThat(store.lastSeq(room)).isEqualTo(3);
    assertThat(store.deleteMessage(room, two.messageId())).isEqualTo(deleted);
    assertThatThrownBy(() -> store.deleteMessage(room, "m-none"))
        .isInstanceOf(ChatException.NotFound.class);
  }

  @Test
  void aDeletedMessageCannotBeEditedOrReactedTo() {
    User alice = user("alice");
    String room = groupWith("r-1", alice);
    Message message = send(room, alice, "oops", at(1));
    Message deleted = store.deleteMessage(room, message.messageId());

    assertThatThrownBy(() -> store.editMessage(room, message.messageId(), "back", at(2)))
        .isInstanceOf(ChatException.NotFound.class);
    assertThatThrownBy(() -> store.react(room, message.messageId(), alice.id(), THUMBS, true))
        .isInstanceOf(ChatException.NotFound.class);
    assertThat(store.findMessage(room, message.messageId())).contains(deleted);
  }

  @Test
  void reactionsAreIdempotentAndGroupedPerEmojiInOrder() {
    User alice = user("alice");
    User bob = user("bob");
    String room = groupWith("r-1", alice, bob);
    String id = send(room, alice, "react to me", at(1)).messageId();

    store.react(room, id, alice.id(), THUMBS, true);
    store.react(room, id, bob.id(), THUMBS, true);
    store.react(room, id, alice.id(), HEART, true);
    Message twice = store.react(room, id, alice.id(), THUMBS, true);

    assertThat(twice.reactions())
        .containsExactly(
            entry(THUMBS, List.of(alice.id(), bob.id())), entry(HEART, List.of(alice.id())));
    assertThat(store.findMessage(room, id).orElseThrow().reactions()).isEqualTo(twice.reactions());

    Message bobOff = store.react(room, id, bob.id(), THUMBS, false);
    assertThat(bobOff.reactions())
        .containsExactly(entry(THUMBS, List.of(alice.id())), entry(HEART, List.of(alice.id())));
    Message heartOff = store.react(room, id, alice.id(), HEART, false);
    assertThat(heartOff.reactions()).containsExactly(entry(THUMBS, List.of(alice.id())));
    Message noop = store.react(room, id, bob.id(), HEART, false);
    assertThat(noop.reactions()).containsExactly(entry(THUMBS, List.of(alice.id())));
    Message bobAgain = store.react(room, id, bob.id(), THUMBS, true);
    assertThat(bobAgain.reactions()).containsExactly(entry(THUMBS, List.of(alice.id(), bob.id())));
    assertThat(bobAgain.body()).isEqualTo("react to me");
    assertThat(bobAgain.seq()).isEqualTo(1);

    assertThatThrownBy(() -> store.react(room, "m-none", bob.id(), THUMBS, true))
        .isInstanceOf(ChatException.NotFound.class);
  }

  /** Records committed messages per room and counts callbacks that overlapped for one room. */
  private static final class CallbackRecorder implements Consumer<Message> {
    final Map<String, List<Long>> seqs = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> inside = new ConcurrentHashMap<>();
    final AtomicInteger overlaps = new AtomicInteger();

    @Override
    public void accept(Message m) {
      AtomicInteger busy = inside.computeIfAbsent(m.room(), r -> new AtomicInteger());
      if (busy.incrementAndGet() != 1) {
        overlaps.incrementAndGet();
      }
      seqs.computeIfAbsent(m.room(), r -> Collections.synchronizedList(new ArrayList<>()))
          .add(m.seq());
      busy.decrementAndGet();
    }

    List<Long> seqsOf(String room) {
      return List.copyOf(seqs.getOrDefault(room, List.of()));
    }
  }
}
