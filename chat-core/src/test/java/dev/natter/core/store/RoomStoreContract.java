package dev.natter.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.natter.core.ChatException;
import dev.natter.core.model.Membership;
import dev.natter.core.model.Message;
import dev.natter.core.model.NewRoom;
import dev.natter.core.model.Role;
import dev.natter.core.model.Room;
import dev.natter.core.model.RoomSummary;
import dev.natter.core.model.User;
import dev.natter.core.model.Visibility;
import dev.natter.core.spi.ChatStore;
import dev.natter.core.spi.RoomStore.DmResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link dev.natter.core.spi.RoomStore}: rooms and their first members, one direct
 * message per pair, and each room as a member sees it (order, last message, unread counts). See
 * {@link StoreContract} for how a store runs it.
 */
public abstract class RoomStoreContract extends StoreContract<ChatStore> {
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
}
