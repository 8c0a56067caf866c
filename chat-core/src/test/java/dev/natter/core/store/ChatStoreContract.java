package dev.natter.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

import dev.natter.core.ChatException;
import dev.natter.core.model.AppendResult;
import dev.natter.core.model.AuthSession;
import dev.natter.core.model.Credentials;
import dev.natter.core.model.Membership;
import dev.natter.core.model.Message;
import dev.natter.core.model.NewMessage;
import dev.natter.core.model.NewRoom;
import dev.natter.core.model.Role;
import dev.natter.core.model.Room;
import dev.natter.core.model.RoomKind;
import dev.natter.core.model.RoomSummary;
import dev.natter.core.model.SearchHit;
import dev.natter.core.model.User;
import dev.natter.core.model.Visibility;
import dev.natter.core.spi.ChatStore;
import dev.natter.core.spi.ChatStore.DmResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link ChatStore} must pass. An adapter's test extends this class and
 * implements {@link #newStore()}; the suite is published in chat-core's test-jar.
 *
 * <p>Timestamps are whole milliseconds so stores that keep millisecond precision pass. Usernames
 * are lower case wherever order matters, so the suite does not depend on a collation.
 */
public abstract class ChatStoreContract {
  private static final long TIMEOUT_SECONDS = 30;
  private static final Instant T0 = Instant.parse("2024-03-01T10:00:00Z");
  private static final String THUMBS = "\uD83D\uDC4D";
  private static final String HEART = "\u2764\uFE0F";

  /** A new, empty store. Called once per test; the suite closes it after the test. */
  protected abstract ChatStore newStore();

  protected ChatStore store;
  private final AtomicLong ids = new AtomicLong();

  @BeforeEach
  void openStore() {
    store = newStore();
  }

  @AfterEach
  void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  // ---- users

  @Test
  void createdUserIsFoundByIdAndByUsernameIgnoringCase() {
    User alice = new User("u-alice", "alice", "Alice Liddell");
    store.createUser(alice, "hash-1", at(0));

    assertThat(store.findUser("u-alice")).contains(alice);
    assertThat(store.findCredentials("alice")).contains(new Credentials(alice, "hash-1"));
    assertThat(store.findCredentials("ALICE")).contains(new Credentials(alice, "hash-1"));
    assertThat(store.findCredentials("bob")).isEmpty();
    assertThat(store.findUser("u-bob")).isEmpty();
  }

  @Test
  void findUsersReturnsTheExistingUsersAmongTheIdsEachOnce() {
    User alice = user("alice");
    User bob = user("bob");
    User carol = user("carol");

    assertThat(store.findUsers(List.of(carol.id(), "u-nobody", alice.id(), carol.id())))
        .containsExactlyInAnyOrder(alice, carol);
    assertThat(store.findUsers(java.util.Set.of(bob.id()))).containsExactly(bob);
    assertThat(store.findUsers(List.of("u-nobody"))).isEmpty();
    assertThat(store.findUsers(List.of())).isEmpty();
  }

  @Test
  void findUsersTakesMoreIdsThanOneStatementMayBindParameters() {
    User alice = user("alice");
    User zed = user("zed");
    List<String> ids = new ArrayList<>();
    ids.add(alice.id());
    for (int i = 0; i < 2_500; i++) {
      ids.add("u-missing-" + i);
    }
    ids.add(zed.id());

    assertThat(store.findUsers(ids)).containsExactlyInAnyOrder(alice, zed);
  }

  @Test
  void usernamesAreUniqueIgnoringCase() {
    User alice = user("alice");

    assertThatThrownBy(() -> store.createUser(new User("u-other", "ALICE", "Other"), "h", at(1)))
        .isInstanceOf(ChatException.Conflict.class);
    assertThatThrownBy(() -> store.createUser(new User("u-alice", "alice2", "Same id"), "h", at(1)))
        .isInstanceOf(ChatException.Conflict.class);
    assertThat(store.findCredentials("Alice").map(Credentials::user)).contains(alice);
    assertThat(store.findUser("u-other")).isEmpty();
    assertThat(store.findCredentials("alice2")).isEmpty();
  }

  @Test
  void updatePasswordHashReplacesTheHashOfAnExistingUser() {
    User alice = user("alice");

    assertThat(store.updatePasswordHash(alice.id(), "new-hash")).isTrue();
    assertThat(store.findCredentials("alice")).contains(new Credentials(alice, "new-hash"));
    assertThat(store.updatePasswordHash("u-nobody", "x")).isFalse();
  }

  @Test
  void searchUsersMatchesUsernameOrDisplayNameIgnoringCaseOrderedByUsername() {
    User dave = user("dave", "Dave Alison");
    User alice = user("alice", "Alice Liddell");
    User carol = user("carol", "Caroline");
    User bob = user("bob", "Bob Builder");

    assertThat(store.searchUsers("ALI", 10)).containsExactly(alice, dave);
    assertThat(store.searchUsers("o", 10)).containsExactly(bob, carol, dave);
    assertThat(store.searchUsers("o", 2)).containsExactly(bob, carol);
    assertThat(store.searchUsers("caroline", 10)).containsExactly(carol);
    assertThat(store.searchUsers("zzz", 10)).isEmpty();
  }

  @Test
  void lastSeenRoundTrips() {
    User alice = user("alice");
    assertThat(store.lastSeen(alice.id())).isEmpty();

    store.updateLastSeen(alice.id(), at(5));
    assertThat(store.lastSeen(alice.id())).contains(at(5));
    store.updateLastSeen(alice.id(), at(9));
    assertThat(store.lastSeen(alice.id())).contains(at(9));
    assertThat(store.lastSeen("u-nobody")).isEmpty();
  }

  // ---- sessions

  @Test
  void sessionsAreCreatedFoundAndDeleted() {
    User alice = user("alice");
    User bob = user("bob");
    AuthSession a1 = new AuthSession("s-a1", alice.id(), at(0), at(3600));
    AuthSession a2 = new AuthSession("s-a2", alice.id(), at(10), at(3610));
    AuthSession b1 = new AuthSession("s-b1", bob.id(), at(20), at(3620));
    store.createSession(a1);
    store.createSession(a2);
    store.createSession(b1);

    assertThat(store.findSession("s-a1")).contains(a1);
    assertThat(store.findSession("s-none")).isEmpty();

    assertThat(store.deleteSession("s-a1")).isTrue();
    assertThat(store.deleteSession("s-a1")).isFalse();
    assertThat(store.findSession("s-a1")).isEmpty();

    store.createSession(new AuthSession("s-a3", alice.id(), at(30), at(3630)));
    assertThat(store.deleteSessionsOf(alice.id())).containsExactlyInAnyOrder("s-a2", "s-a3");
    assertThat(store.findSession("s-a2")).isEmpty();
    assertThat(store.findSession("s-a3")).isEmpty();
    assertThat(store.findSession("s-b1")).contains(b1);
    assertThat(store.deleteSessionsOf(alice.id())).isEmpty();
  }

  // ---- rooms and memberships

  @Test
  void createdRoomIsFoundWithItsFirstMembers() {
    User alice = user("alice");
    User bob = user("bob");
    Room room = group("r-1", "general", Visibility.PRIVATE, at(100));
    store.createRoom(new NewRoom(room, Map.of(alice.id(), Role.OWNER, bob.id(), Role.MEMBER)));

    assertThat(store.findRoom("r-1")).contains(room);
    assertThat(store.findRoom("r-none")).isEmpty();
    assertThat(store.findMembership("r-1", alice.id()))
        .contains(new Membership("r-1", alice.id(), Role.OWNER, 0, at(100)));
    assertThat(store.findMembership("r-1", bob.id()))
        .contains(new Membership("r-1", bob.id(), Role.MEMBER, 0, at(100)));
    assertThat(store.members("r-1")).containsExactly(alice, bob);
    assertThat(store.lastSeq("r-1")).isZero();

    Room again = group("r-1", "other", Visibility.PUBLIC, at(200));
    assertThatThrownBy(() -> store.createRoom(new NewRoom(again, Map.of(bob.id(), Role.OWNER))))
        .isInstanceOf(ChatException.Conflict.class);
    assertThat(store.findRoom("r-1")).contains(room);
  }

  @Test
  void addMemberTwiceReturnsFalseAndRemoveMemberRemoves() {
    User alice = user("alice");
    User carol = user("carol");
    String room = groupWith("r-1", alice);

    assertThat(store.addMember(room, carol.id(), Role.ADMIN, at(50))).isTrue();
    assertThat(store.addMember(room, carol.id(), Role.MEMBER, at(60))).isFalse();
    assertThat(store.findMembership(room, carol.id()))
        .contains(new Membership(room, carol.id(), Role.ADMIN, 0, at(50)));
    assertThat(store.roomIdsOf(carol.id())).containsExactly(room);

    assertThat(store.removeMember(room, carol.id())).isTrue();
    assertThat(store.removeMember(room, carol.id())).isFalse();
    assertThat(store.findMembership(room, carol.id())).isEmpty();
    assertThat(store.members(room)).containsExactly(alice);
    assertThat(store.roomIdsOf(carol.id())).isEmpty();

    assertThatThrownBy(() -> store.addMember("r-none", carol.id(), Role.MEMBER, at(70)))
        .isInstanceOf(ChatException.NotFound.class);
  }

  @Test
  void updateRoleChangesTheRoleAndKeepsTheMarkerAndJoinedAt() {
    User alice = user("alice");
    User bob = user("bob");
    User carol = user("carol");
    String room = groupWith("r-1", alice);
    store.addMember(room, bob.id(), Role.MEMBER, at(10));
    for (int i = 1; i <= 3; i++) {
      send(room, alice, "m" + i, at(10 + i));
    }
    store.markRead(room, bob.id(), 2);

    assertThat(store.updateRole(room, bob.id(), Role.OWNER)).isTrue();
    assertThat(store.findMembership(room, bob.id()))
        .contains(new Membership(room, bob.id(), Role.OWNER, 2, at(10)));
    assertThat(store.updateRole(room, bob.id(), Role.OWNER)).isTrue();
    assertThat(store.updateRole(room, alice.id(), Role.ADMIN)).isTrue();
    assertThat(store.findMembership(room, alice.id()))
        .contains(new Membership(room, alice.id(), Role.ADMIN, 0, T0));
    assertThat(store.members(room)).containsExactly(alice, bob);
    assertThat(store.roomIdsOf(bob.id())).containsExactly(room);
    assertThat(store.roomSummary(room, bob.id()).map(RoomSummary::myRole)).contains(Role.OWNER);
    assertThat(store.roomSummary(room, bob.id()).map(RoomSummary::unread)).contains(1L);

    assertThat(store.updateRole(room, carol.id(), Role.ADMIN)).isFalse();
    assertThat(store.findMembership(room, carol.id())).isEmpty();
    assertThat(store.updateRole("r-none", bob.id(), Role.ADMIN)).isFalse();
  }

  @Test
  void membershipsAreLongestStandingFirstThenByUsername() {
    User zed = user("zed");
    User amy = user("amy");
    User mike = user("mike");
    User bea = user("bea");
    String room = groupWith("r-1", zed, amy); // both joined at T0
    store.addMember(room, mike.id(), Role.ADMIN, at(300));
    store.addMember(room, bea.id(), Role.MEMBER, at(200));

    assertThat(store.memberships(room))
        .extracting(Membership::userId, Membership::role, Membership::joinedAt)
        .containsExactly(
            tuple(amy.id(), Role.MEMBER, T0),
            tuple(zed.id(), Role.OWNER, T0),
            tuple(bea.id(), Role.MEMBER, at(200)),
            tuple(mike.id(), Role.ADMIN, at(300)));
    store.removeMember(room, zed.id());
    assertThat(store.memberships(room))
        .extracting(Membership::userId)
        .containsExactly(amy.id(), bea.id(), mike.id());
    assertThat(store.memberships("r-none")).isEmpty();
  }

  @Test
  void membersAreOrderedByUsername() {
    User zed = user("zed");
    User amy = user("amy");
    User mike = user("mike");
    String room = groupWith("r-1", zed, amy, mike);
    User bea = user("bea");
    store.addMember(room, bea.id(), Role.MEMBER, at(1));

    assertThat(store.members(room)).containsExactly(amy, bea, mike, zed);
    assertThat(store.members("r-none")).isEmpty();
  }

  @Test
  void roomIdsOfAndContactsOfFollowMemberships() {
    User alice = user("alice");
    User bob = user("bob");
    User carol = user("carol");
    User dave = user("dave");
    User erin = user("erin");
    groupWith("r-1", alice, bob);
    groupWith("r-2", alice, carol);
    groupWith("r-3", bob, dave);
    store.addMember("r-3", alice.id(), Role.MEMBER, at(1));

    assertThat(store.roomIdsOf(alice.id())).containsExactlyInAnyOrder("r-1", "r-2", "r-3");
    assertThat(store.roomIdsOf(dave.id())).containsExactly("r-3");
    assertThat(store.roomIdsOf(erin.id())).isEmpty();
    assertThat(store.contactsOf(alice.id()))
        .containsExactlyInAnyOrder(bob.id(), carol.id(), dave.id());
    assertThat(store.contactsOf(carol.id())).containsExactly(alice.id());
    assertThat(store.contactsOf(erin.id())).isEmpty();
  }

  @Test
  void publicRoomsNotJoinedAreTheOtherPublicGroupsOrderedByName() {
    User alice = user("alice");
    User bob = user("bob");
    User carol = user("carol");
    store.createRoom(
        new NewRoom(
            group("r-zeta", "zeta", Visibility.PUBLIC, at(1)), Map.of(alice.id(), Role.OWNER)));
    store.createRoom(
        new NewRoom(
            group("r-alpha", "alpha", Visibility.PUBLIC, at(2)),
            Map.of(bob.id(), Role.OWNER, alice.id(), Role.MEMBER)));
    store.createRoom(
        new NewRoom(
            group("r-beta", "beta", Visibility.PUBLIC, at(3)), Map.of(carol.id(), Role.OWNER)));
    store.createRoom(
        new NewRoom(
            group("r-secret", "secret", Visibility.PRIVATE, at(4)), Map.of(bob.id(), Role.OWNER)));
    store.findOrCreateDm(dm("r-dm", alice, bob, at(5)));
    Message hello = send("r-alpha", bob, "hello alpha", at(10));

    List<RoomSummary> forCarol = store.publicRoomsNotJoinedBy(carol.id());
    assertThat(forCarol).extracting(s -> s.room().id()).containsExactly("r-alpha", "r-zeta");
    RoomSummary alpha = forCarol.get(0);
    assertThat(alpha.members()).containsExactly(alice, bob);
    assertThat(alpha.lastSeq()).isEqualTo(1);
    assertThat(alpha.lastMessage()).isEqualTo(hello);

    assertThat(store.publicRoomsNotJoinedBy(alice.id()))
        .extracting(s -> s.room().id())
        .containsExactly("r-beta");
  }

  // ---- DMs

  @Test
  void findOrCreateDmCreatesOnceThenFinds() {
    User alice = user("alice");
    User bob = user("bob");

    DmResult first = store.findOrCreateDm(dm("r-dm-1", alice, bob, at(1)));
    DmResult second = store.findOrCreateDm(dm("r-dm-2", bob, alice, at(2)));

    assertThat(first.created()).isTrue();
    assertThat(first.room().id()).isEqualTo("r-dm-1");
    assertThat(second.created()).isFalse();
    assertThat(second.room()).isEqualTo(first.room());
    assertThat(store.findRoom("r-dm-1")).contains(first.room());
    assertThat(store.findRoom("r-dm-2")).isEmpty();
    assertThat(store.members("r-dm-1")).containsExactly(alice, bob);
    assertThat(store.findMembership("r-dm-1", bob.id()).map(Membership::role))
        .contains(Role.MEMBER);
    assertThat(store.roomIdsOf(alice.id())).containsExactly("r-dm-1");
  }

  @Test
  void concurrentFindOrCreateDmForOnePairMakesOneRoom() throws Exception {
    User alice = user("alice");
    User bob = user("bob");
    int callers = 8;
    List<DmResult> results =
        concurrently(
            callers, i -> store.findOrCreateDm(dm("r-dm-" + i, alice, bob, at(i))), callers);

    assertThat(results).filteredOn(DmResult::created).hasSize(1);
    String winner = results.stream().filter(DmResult::created).findFirst().get().room().id();
    assertThat(results).extracting(r -> r.room().id()).containsOnly(winner);
    assertThat(store.roomIdsOf(alice.id())).containsExactly(winner);
    assertThat(store.roomIdsOf(bob.id())).containsExactly(winner);
    assertThat(store.members(winner)).containsExactly(alice, bob);
  }

  // ---- append

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

    List<AppendResult> results = futures.stream().map(ChatStoreContract::join).toList();
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

  // ---- paging

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

  // ---- edit, delete, react

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

  // ---- read markers and unread counts

  @Test
  void markReadMovesForwardOnlyAndClampsToTheLastSeq() {
    User alice = user("alice");
    User bob = user("bob");
    String room = groupWith("r-1", alice, bob);
    String empty = groupWith("r-empty", alice);
    for (int i = 1; i <= 5; i++) {
      send(room, bob, "m" + i, at(i));
    }

    assertThat(store.markRead(room, alice.id(), 3)).isEqualTo(3);
    assertThat(store.markRead(room, alice.id(), 2)).isEqualTo(3);
    assertThat(store.findMembership(room, alice.id()).map(Membership::lastReadSeq)).contains(3L);
    assertThat(store.markRead(room, alice.id(), 99)).isEqualTo(5);
    assertThat(store.findMembership(room, alice.id()).map(Membership::lastReadSeq)).contains(5L);
    assertThat(store.findMembership(room, bob.id()).map(Membership::lastReadSeq)).contains(0L);
    assertThat(store.markRead(empty, alice.id(), 4)).isZero();

    User carol = user("carol");
    assertThatThrownBy(() -> store.markRead(room, carol.id(), 1))
        .isInstanceOf(ChatException.NotFound.class);
    assertThatThrownBy(() -> store.markRead("r-none", alice.id(), 1))
        .isInstanceOf(ChatException.NotFound.class);
  }

  @Test
  void unreadCountsOthersLiveMessagesAfterTheMarker() {
    User alice = user("alice");
    User bob = user("bob");
    String room = groupWith("r-1", alice, bob);
    send(room, bob, "b1", at(1)); // 1
    Message b2 = send(room, bob, "b2", at(2)); // 2
    send(room, alice, "a3", at(3)); // 3
    send(room, bob, "b4", at(4)); // 4
    send(room, alice, "a5", at(5)); // 5
    send(room, bob, "b6", at(6)); // 6
    store.deleteMessage(room, b2.messageId());

    RoomSummary forAlice = store.roomSummary(room, alice.id()).orElseThrow();
    assertThat(forAlice.unread()).isEqualTo(3); // 1, 4, 6
    assertThat(forAlice.lastReadSeq()).isZero();
    assertThat(forAlice.lastSeq()).isEqualTo(6);
    assertThat(forAlice.myRole()).isEqualTo(Role.OWNER);
    assertThat(forAlice.members()).containsExactly(alice, bob);
    assertThat(store.roomSummary(room, bob.id()).orElseThrow().unread()).isEqualTo(2); // 3, 5

    store.markRead(room, alice.id(), 4);
    RoomSummary afterRead = store.roomSummary(room, alice.id()).orElseThrow();
    assertThat(afterRead.unread()).isEqualTo(1); // 6
    assertThat(afterRead.lastReadSeq()).isEqualTo(4);
    store.markRead(room, alice.id(), 6);
    assertThat(store.roomSummary(room, alice.id()).orElseThrow().unread()).isZero();
  }

  // ---- summaries

  @Test
  void roomSummariesAreOrderedByLatestActivityWithTheLastMessage() {
    User alice = user("alice");
    User bob = user("bob");
    store.createRoom(
        new NewRoom(
            group("r-1", "one", Visibility.PRIVATE, at(10)), Map.of(alice.id(), Role.OWNER)));
    store.createRoom(
        new NewRoom(
            group("r-2", "two", Visibility.PUBLIC, at(20)),
            Map.of(alice.id(), Role.MEMBER, bob.id(), Role.OWNER)));
    store.createRoom(
        new NewRoom(
            group("r-3", "three", Visibility.PRIVATE, at(30)), Map.of(alice.id(), Role.ADMIN)));
    store.createRoom(
        new NewRoom(
            group("r-4", "bobs", Visibility.PRIVATE, at(40)), Map.of(bob.id(), Role.OWNER)));

    assertThat(store.roomSummaries(alice.id()))
        .extracting(s -> s.room().id())
        .containsExactly("r-3", "r-2", "r-1");

    Message inOne = send("r-1", alice, "wake up", at(100));
    assertThat(store.roomSummaries(alice.id()))
        .extracting(s -> s.room().id())
        .containsExactly("r-1", "r-3", "r-2");

    send("r-2", bob, "older", at(110));
    Message inTwo = send("r-2", bob, "newest", at(120));
    List<RoomSummary> summaries = store.roomSummaries(alice.id());
    assertThat(summaries).extracting(s -> s.room().id()).containsExactly("r-2", "r-1", "r-3");
    RoomSummary two = summaries.get(0);
    assertThat(two.lastMessage()).isEqualTo(inTwo);
    assertThat(two.lastSeq()).isEqualTo(2);
    assertThat(two.unread()).isEqualTo(2);
    assertThat(two.myRole()).isEqualTo(Role.MEMBER);
    assertThat(two.members()).containsExactly(alice, bob);
    assertThat(summaries.get(1).lastMessage()).isEqualTo(inOne);
    assertThat(summaries.get(1).unread()).isZero();
    assertThat(summaries.get(2).lastMessage()).isNull();
    assertThat(summaries.get(2).lastSeq()).isZero();
    assertThat(summaries.get(2).myRole()).isEqualTo(Role.ADMIN);

    Message deleted = store.deleteMessage("r-2", inTwo.messageId());
    RoomSummary afterDelete = store.roomSummary("r-2", alice.id()).orElseThrow();
    assertThat(afterDelete.lastMessage()).isEqualTo(deleted);
    assertThat(afterDelete.lastMessage().body()).isEmpty();
    assertThat(afterDelete.unread()).isEqualTo(1);

    assertThat(store.roomSummary("r-4", alice.id())).isEmpty();
    assertThat(store.roomSummary("r-none", alice.id())).isEmpty();
    assertThat(store.roomSummaries(user("carol").id())).isEmpty();
  }

  // ---- search

  @Test
  void searchFindsLiveMessagesInTheGivenRooms() {
    User alice = user("alice");
    String r1 = groupWith("r-1", alice);
    String r2 = groupWith("r-2", alice);
    String r3 = groupWith("r-3", alice);
    Message fox = send(r1, alice, "the quick brown fox", at(1));
    Message thinking = send(r2, alice, "Quick thinking", at(2));
    send(r3, alice, "quick but secret", at(3));
    send(r1, alice, "slow turtle", at(4));
    Message gone = send(r1, alice, "QUICK and soon deleted", at(5));
    store.deleteMessage(r1, gone.messageId());
    Message newest = send(r2, alice, "very quick indeed", at(6));

    // newest first, across rooms; a limit keeps the newest
    assertThat(store.search(List.of(r1, r2), "quick", 10))
        .extracting(h -> h.message().messageId())
        .containsExactly(newest.messageId(), thinking.messageId(), fox.messageId());
    assertThat(store.search(List.of(r1, r2), "QUICK", 2))
        .extracting(h -> h.message().messageId())
        .containsExactly(newest.messageId(), thinking.messageId());
    assertThat(store.search(List.of(r1, r2), "fox quick", 10))
        .extracting(SearchHit::message)
        .containsExactly(fox);
    assertThat(store.search(List.of(r1), "deleted", 10)).isEmpty();
    assertThat(store.search(List.of(r1, r2), "secret", 10)).isEmpty();
    assertThat(store.search(List.of(r3), "secret", 10)).hasSize(1);
    assertThat(store.search(List.of(), "quick", 10)).isEmpty();
  }

  @Test
  void searchOrdersHitsNewestFirstThenBySeqThenByRoom() {
    User alice = user("alice");
    String r1 = groupWith("r-1", alice);
    String r2 = groupWith("r-2", alice);
    Message older = send(r2, alice, "match older", at(1));
    Message first = send(r1, alice, "match first", at(2)); // r-1 seq 1
    Message second = send(r1, alice, "match second", at(2)); // r-1 seq 2, same instant
    Message other = send(r2, alice, "match other room", at(2)); // r-2 seq 2, same instant
    Message newest = send(r2, alice, "match newest", at(3));

    // ts descending, then seq descending, then room id: not relevance
    assertThat(store.search(List.of(r2, r1), "match", 10))
        .extracting(SearchHit::message)
        .containsExactly(newest, second, other, first, older);
  }

  @Test
  void searchSnippetsMarkTheFirstMatchWithContext() {
    User alice = user("alice");
    String room = groupWith("r-1", alice);
    send(room, alice, "find the needle here", at(1));
    String before = "a".repeat(40) + " lead-in words before ";
    String after = " trailing words after " + "z".repeat(40);
    send(room, alice, before + "Haystack" + after, at(2));
    send(room, alice, "alpha beta gamma", at(3));

    assertThat(store.search(List.of(room), "needle", 10))
        .singleElement()
        .extracting(SearchHit::snippet)
        .isEqualTo("find the [needle] here");
    assertThat(store.search(List.of(room), "gamma alpha", 10))
        .singleElement()
        .extracting(SearchHit::snippet)
        .asString()
        .contains("[alpha]")
        .contains("beta");

    String snippet = store.search(List.of(room), "haystack", 10).get(0).snippet();
    assertThat(snippet).contains("before [Haystack] trailing");
    assertThat(snippet.length()).isLessThan(160);
  }

  // ---- export and import

  @Test
  void exportUsersPagesThroughEveryUserByIdWithHashCreatedAtAndLastSeen() {
    User carol = new User("u-c", "carol", "Carol");
    User alice = new User("u-a", "alice", "Alice");
    User bob = new User("u-b", "bob", "Bob");
    User dave = new User("u-d", "dave", "Dave");
    store.createUser(carol, "hash-c", at(30));
    store.createUser(alice, "hash-a", at(10));
    store.createUser(bob, "hash-b", Instant.parse("2023-12-31T23:59:59.123Z"));
    store.createUser(dave, "hash-d", at(40));
    store.updateLastSeen(bob.id(), at(99));
    store.updatePasswordHash(carol.id(), "hash-c2");

    List<ChatStore.ExportedUser> first = store.exportUsers(null, 3);
    List<ChatStore.ExportedUser> second = store.exportUsers(first.get(2).user().id(), 3);

    assertThat(first)
        .containsExactly(
            new ChatStore.ExportedUser(alice, "hash-a", at(10), null),
            new ChatStore.ExportedUser(
                bob, "hash-b", Instant.parse("2023-12-31T23:59:59.123Z"), at(99)),
            new ChatStore.ExportedUser(carol, "hash-c2", at(30), null));
    assertThat(second).containsExactly(new ChatStore.ExportedUser(dave, "hash-d", at(40), null));
    assertThat(store.exportUsers(dave.id(), 3)).isEmpty();
    assertThat(store.exportUsers("u-bb", 10))
        .extracting(u -> u.user().id())
        .containsExactly("u-c", "u-d");
    assertThat(store.exportUsers(null, 0)).isEmpty();
  }

  @Test
  void exportRoomsPagesThroughEveryRoomByIdIncludingRoomsWithoutMembers() {
    User alice = user("alice");
    User bob = user("bob");
    Room busy = group("r-3", "busy", Visibility.PUBLIC, at(3));
    store.createRoom(new NewRoom(busy, Map.of(alice.id(), Role.OWNER)));
    send(busy.id(), alice, "hi", at(4));
    NewRoom dm = dm("r-1", alice, bob, at(1));
    store.findOrCreateDm(dm);
    Room deserted = group("r-2", "deserted", Visibility.PRIVATE, at(2));
    store.createRoom(new NewRoom(deserted, Map.of(bob.id(), Role.OWNER)));
    store.removeMember(deserted.id(), bob.id());
    Room bare = group("r-4", "bare", Visibility.PUBLIC, Instant.parse("2020-02-02T02:02:02.5Z"));
    store.createRoom(new NewRoom(bare, Map.of()));

    List<Room> first = store.exportRooms(null, 2);
    List<Room> rest = store.exportRooms(first.get(1).id(), 2);

    assertThat(first).containsExactly(dm.room(), deserted);
    assertThat(rest).containsExactly(busy, bare);
    assertThat(store.exportRooms(bare.id(), 2)).isEmpty();
    assertThat(store.exportRooms(null, 0)).isEmpty();
  }

  @Test
  void exportMessagesCarryTheirClientMsgIdAndStateInSeqOrder() {
    User alice = user("alice");
    User bob = user("bob");
    String room = groupWith("r-1", alice, bob);
    groupWith("r-2", alice);
    join(store.append(new NewMessage(room, "m-1", alice, "c-a", "one", null, at(1)), m -> {}));
    join(store.append(new NewMessage(room, "m-2", bob, null, "two", "m-1", at(2)), m -> {}));
    join(store.append(new NewMessage(room, "m-3", bob, "c-a", "three", null, at(3)), m -> {}));
    join(store.append(new NewMessage("r-2", "m-4", alice, "c-b", "four", null, at(4)), m -> {}));
    store.editMessage(room, "m-1", "one!", at(5));
    store.react(room, "m-1", bob.id(), THUMBS, true);
    store.deleteMessage(room, "m-3");

    List<ChatStore.ExportedMessage> all = store.exportMessages(room, 0, 10);

    assertThat(all)
        .extracting(ChatStore.ExportedMessage::message)
        .isEqualTo(store.messagesAfter(room, 0, 10));
    assertThat(all)
        .extracting(ChatStore.ExportedMessage::clientMsgId)
        .containsExactly("c-a", null, "c-a");
    assertThat(all.get(0).message().body()).isEqualTo("one!");
    assertThat(all.get(0).message().editedAt()).isEqualTo(at(5));
    assertThat(all.get(0).message().reactions()).containsExactly(entry(THUMBS, List.of(bob.id())));
    assertThat(all.get(2).message().deleted()).isTrue();
    assertThat(store.exportMessages(room, 1, 1))
        .extracting(e -> e.message().messageId())
        .containsExactly("m-2");
    assertThat(store.exportMessages(room, 3, 10)).isEmpty();
    assertThat(store.exportMessages("r-none", 0, 10)).isEmpty();
    assertThat(store.exportMessages(room, 0, 0)).isEmpty();
  }

  @Test
  void importMessagesStoresMessagesExactlyAsGiven() {
    User alice = user("alice");
    User bob = user("bob");
    String room = groupWith("r-1", alice, bob);
    String other = groupWith("r-2", alice);
    Message first =
        new Message(
            room,
            1,
            "i-1",
            alice,
            "edited hello",
            at(1),
            null,
            at(7),
            false,
            orderedReactions(HEART, List.of(bob.id()), THUMBS, List.of(bob.id(), alice.id())));
    Message second = new Message(room, 2, "i-2", bob, "", at(2), "i-1", at(3), true, null);
    Message third =
        new Message(room, 3, "i-3", bob, "needle in a haystack", at(4), null, null, false, null);
    Message elsewhere =
        new Message(other, 1, "i-4", alice, "elsewhere", at(5), null, null, false, null);
    List<ChatStore.ExportedMessage> batch =
        List.of(
            new ChatStore.ExportedMessage(first, "k-1"),
            new ChatStore.ExportedMessage(second, "k-1"),
            new ChatStore.ExportedMessage(elsewhere, null),
            new ChatStore.ExportedMessage(third, null));

    store.importMessages(batch);

    assertThat(store.messagesAfter(room, 0, 10)).containsExactly(first, second, third);
    assertThat(store.findMessage(room, "i-1").orElseThrow().reactions())
        .containsExactly(
            entry(HEART, List.of(bob.id())), entry(THUMBS, List.of(bob.id(), alice.id())));
    assertThat(store.exportMessages(room, 0, 10))
        .containsExactly(batch.get(0), batch.get(1), batch.get(3));
    assertThat(store.exportMessages(other, 0, 10)).containsExactly(batch.get(2));
    assertThat(store.lastSeq(room)).isEqualTo(3);
    assertThat(store.lastSeq(other)).isEqualTo(1);
    assertThat(store.roomSummary(room, alice.id()).orElseThrow().lastMessage()).isEqualTo(third);
    assertThat(store.roomSummary(room, alice.id()).orElseThrow().unread()).isEqualTo(1);
    assertThat(store.markRead(room, alice.id(), 10)).isEqualTo(3);
    assertThat(store.search(List.of(room), "needle", 10))
        .extracting(SearchHit::message)
        .containsExactly(third);

    // a resend of an imported clientMsgId is a duplicate of the imported message
    AppendResult resend =
        join(
            store.append(new NewMessage(room, "i-9", alice, "k-1", "again", null, at(9)), m -> {}));
    assertThat(resend.duplicate()).isTrue();
    assertThat(resend.message()).isEqualTo(first);
    AppendResult bobsResend =
        join(store.append(new NewMessage(room, "i-10", bob, "k-1", "again", null, at(9)), m -> {}));
    assertThat(bobsResend.duplicate()).isTrue();
    assertThat(bobsResend.message()).isEqualTo(second);
    // and new messages follow the imported ones
    assertThat(send(room, alice, "next", at(10)).seq()).isEqualTo(4);
    store.importMessages(List.of());
    assertThat(store.lastSeq(room)).isEqualTo(4);
  }

  @Test
  void importMessagesRefusesAWrongSeqADuplicateOrAMissingRowAndStoresNothingOfTheBatch() {
    User alice = user("alice");
    String room = groupWith("r-1", alice);
    send(room, alice, "already here", at(1)); // m-1, c-1, seq 1
    ChatStore.ExportedMessage ok =
        new ChatStore.ExportedMessage(
            new Message(room, 2, "m-ok", alice, "fine", at(2), null, null, false, null), "c-ok");

    assertThatThrownBy(
            () -> store.importMessages(List.of(ok, imported(room, 4, "m-x", alice, "c-x"))))
        .isInstanceOf(ChatException.Conflict.class);
    assertThatThrownBy(
            () -> store.importMessages(List.of(ok, imported(room, 2, "m-x", alice, "c-x"))))
        .isInstanceOf(ChatException.Conflict.class);
    assertThatThrownBy(
            () -> store.importMessages(List.of(ok, imported(room, 3, "m-1", alice, "c-x"))))
        .isInstanceOf(ChatException.Conflict.class);
    assertThatThrownBy(
            () -> store.importMessages(List.of(ok, imported(room, 3, "m-x", alice, "c-1"))))
        .isInstanceOf(ChatException.Conflict.class);
    assertThatThrownBy(
            () -> store.importMessages(List.of(ok, imported(room, 3, "m-x", alice, "c-ok"))))
        .isInstanceOf(ChatException.Conflict.class);
    assertThatThrownBy(
            () -> store.importMessages(List.of(ok, imported("r-none", 1, "m-x", alice, "c-x"))))
        .isInstanceOf(ChatException.NotFound.class);
    User ghost = new User("u-ghost", "ghost", "Ghost");
    assertThatThrownBy(
            () -> store.importMessages(List.of(ok, imported(room, 3, "m-x", ghost, "c-x"))))
        .isInstanceOf(ChatException.NotFound.class);
    Message reactedByGhost =
        new Message(
            room,
            3,
            "m-x",
            alice,
            "x",
            at(3),
            null,
            null,
            false,
            Map.of(THUMBS, List.of(ghost.id())));
    assertThatThrownBy(
            () ->
                store.importMessages(
                    List.of(ok, new ChatStore.ExportedMessage(reactedByGhost, null))))
        .isInstanceOf(ChatException.NotFound.class);

    assertThat(store.lastSeq(room)).isEqualTo(1);
    assertThat(store.findMessage(room, "m-ok")).isEmpty();
    assertThat(store.exportMessages(room, 0, 10))
        .extracting(e -> e.message().messageId())
        .containsExactly("m-1");
    assertThat(send(room, alice, "next", at(5)).seq()).isEqualTo(2);
  }

  private static ChatStore.ExportedMessage imported(
      String room, long seq, String messageId, User sender, String clientMsgId) {
    return new ChatStore.ExportedMessage(
        new Message(room, seq, messageId, sender, "body " + seq, at(seq), null, null, false, null),
        clientMsgId);
  }

  private static Map<String, List<String>> orderedReactions(
      String emoji1, List<String> users1, String emoji2, List<String> users2) {
    Map<String, List<String>> reactions = new LinkedHashMap<>();
    reactions.put(emoji1, users1);
    reactions.put(emoji2, users2);
    return reactions;
  }

  // ---- helpers

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

  /** A task run by one of several threads that start together. */
  @FunctionalInterface
  protected interface Task<T> {
    T run(int index) throws Exception;
  }

  /** Runs {@code count} tasks on {@code threads} threads released at once; results by index. */
  protected static <T> List<T> concurrently(int count, Task<T> task, int threads) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch ready = new CountDownLatch(count);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int index = i;
        futures.add(
            pool.submit(
                () -> {
                  ready.countDown();
                  go.await();
                  return task.run(index);
                }));
      }
      ready.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      go.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> f : futures) {
        results.add(f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  protected static <T> T join(CompletableFuture<T> future) {
    try {
      return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new CompletionException(e.getCause());
    } catch (Exception e) {
      throw new AssertionError("append did not complete", e);
    }
  }

  protected static Instant at(long seconds) {
    return T0.plusSeconds(seconds);
  }

  private static List<Long> seqs(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }

  private static List<Long> seqsOf(List<Message> messages) {
    return messages.stream().map(Message::seq).toList();
  }

  /** Creates a user {@code u-<username>} with a display name. */
  protected User user(String username, String displayName) {
    User user = new User("u-" + username, username, displayName);
    store.createUser(user, "hash-of-" + username, T0);
    return user;
  }

  protected User user(String username) {
    return user(username, Character.toUpperCase(username.charAt(0)) + username.substring(1));
  }

  protected static Room group(String id, String name, Visibility visibility, Instant createdAt) {
    return new Room(id, RoomKind.GROUP, name, visibility, null, createdAt);
  }

  /** A private group: the first user owns it, the others are members. */
  protected String groupWith(String id, User... members) {
    Map<String, Role> roles = new LinkedHashMap<>();
    Arrays.stream(members).forEach(u -> roles.put(u.id(), Role.MEMBER));
    roles.put(members[0].id(), Role.OWNER);
    store.createRoom(new NewRoom(group(id, id, Visibility.PRIVATE, T0), roles));
    return id;
  }

  /** The DM between two users; {@code a} becomes owner, as the engine does for the initiator. */
  protected static NewRoom dm(String id, User a, User b, Instant createdAt) {
    Room room =
        new Room(id, RoomKind.DM, "", Visibility.PRIVATE, Room.dmKey(a.id(), b.id()), createdAt);
    return new NewRoom(room, Map.of(a.id(), Role.OWNER, b.id(), Role.MEMBER));
  }

  protected NewMessage newMessage(String room, User sender, String body, Instant ts) {
    long n = ids.incrementAndGet();
    return new NewMessage(room, "m-" + n, sender, "c-" + n, body, null, ts);
  }

  /** Appends and waits; the message must be new. */
  protected Message send(String room, User sender, String body, Instant ts) {
    AppendResult result = join(store.append(newMessage(room, sender, body, ts), m -> {}));
    assertThat(result.duplicate()).isFalse();
    return result.message();
  }
}
