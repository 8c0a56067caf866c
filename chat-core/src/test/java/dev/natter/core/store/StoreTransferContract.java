package dev.natter.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.natter.core.ChatException;
import dev.natter.core.model.AppendResult;
import dev.natter.core.model.Message;
import dev.natter.core.model.NewMessage;
import dev.natter.core.model.NewRoom;
import dev.natter.core.model.Role;
import dev.natter.core.model.Room;
import dev.natter.core.model.SearchHit;
import dev.natter.core.model.User;
import dev.natter.core.model.Visibility;
import dev.natter.core.spi.ChatStore;
import dev.natter.core.spi.StoreTransfer;
import dev.natter.core.spi.StoreTransfer.ExportedMessage;
import dev.natter.core.spi.StoreTransfer.ExportedUser;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link StoreTransfer}, for a store that supports export and import: everything
 * paged by key in code point order, and messages imported exactly as they were, all or nothing. See
 * {@link StoreContract} for how a store runs it.
 *
 * @param <S> the store, which implements both {@link ChatStore} and {@link StoreTransfer}
 */
public abstract class StoreTransferContract<S extends ChatStore & StoreTransfer>
    extends StoreContract<S> {
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

    List<ExportedUser> first = store.exportUsers(null, 3);
    List<ExportedUser> second = store.exportUsers(first.get(2).user().id(), 3);

    assertThat(first)
        .containsExactly(
            new ExportedUser(alice, "hash-a", at(10), null),
            new ExportedUser(bob, "hash-b", Instant.parse("2023-12-31T23:59:59.123Z"), at(99)),
            new ExportedUser(carol, "hash-c2", at(30), null));
    assertThat(second).containsExactly(new ExportedUser(dave, "hash-d", at(40), null));
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

    List<ExportedMessage> all = store.exportMessages(room, 0, 10);

    assertThat(all)
        .extracting(ExportedMessage::message)
        .isEqualTo(store.messagesAfter(room, 0, 10));
    assertThat(all).extracting(ExportedMessage::clientMsgId).containsExactly("c-a", null, "c-a");
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
    List<ExportedMessage> batch =
        List.of(
            new ExportedMessage(first, "k-1"),
            new ExportedMessage(second, "k-1"),
            new ExportedMessage(elsewhere, null),
            new ExportedMessage(third, null));

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
    ExportedMessage ok =
        new ExportedMessage(
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
            () -> store.importMessages(List.of(ok, new ExportedMessage(reactedByGhost, null))))
        .isInstanceOf(ChatException.NotFound.class);

    assertThat(store.lastSeq(room)).isEqualTo(1);
    assertThat(store.findMessage(room, "m-ok")).isEmpty();
    assertThat(store.exportMessages(room, 0, 10))
        .extracting(e -> e.message().messageId())
        .containsExactly("m-1");
    assertThat(send(room, alice, "next", at(5)).seq()).isEqualTo(2);
  }

  @Test
  void importFailuresHaveStoreIndependentMessages() {
    User alice = user("alice");
    String room = groupWith("r-1", alice);
    send(room, alice, "already here", at(1)); // m-1, c-1, seq 1
    User ghost = new User("u-ghost", "ghost", "Ghost");
    Message reactedByGhost =
        new Message(
            room,
            2,
            "m-x",
            alice,
            "x",
            at(2),
            null,
            null,
            false,
            Map.of(THUMBS, List.of(ghost.id())));

    assertFailure(
        () -> store.importMessages(List.of(imported("r-none", 1, "m-x", alice, "c-x"))),
        ChatException.NotFound.class,
        "no such room");
    assertFailure(
        () -> store.importMessages(List.of(imported(room, 3, "m-x", alice, "c-x"))),
        ChatException.Conflict.class,
        "seq 3 is not the room's next seq (2)");
    assertFailure(
        () -> store.importMessages(List.of(imported(room, 2, "m-1", alice, "c-x"))),
        ChatException.Conflict.class,
        "a message with this id already exists");
    assertFailure(
        () ->
            store.importMessages(
                List.of(
                    imported(room, 2, "m-x", alice, "c-x"),
                    imported(room, 3, "m-x", alice, "c-y"))),
        ChatException.Conflict.class,
        "a message with this id already exists");
    assertFailure(
        () -> store.importMessages(List.of(imported(room, 2, "m-x", alice, "c-1"))),
        ChatException.Conflict.class,
        "the sender already sent a message with this client message id");
    assertFailure(
        () ->
            store.importMessages(
                List.of(
                    imported(room, 2, "m-x", alice, "c-x"),
                    imported(room, 3, "m-y", alice, "c-x"))),
        ChatException.Conflict.class,
        "the sender already sent a message with this client message id");
    assertFailure(
        () -> store.importMessages(List.of(imported(room, 2, "m-x", ghost, "c-x"))),
        ChatException.NotFound.class,
        "no such user");
    assertFailure(
        () -> store.importMessages(List.of(new ExportedMessage(reactedByGhost, null))),
        ChatException.NotFound.class,
        "no such user");
    assertThat(store.lastSeq(room)).isEqualTo(1);
  }

  private static ExportedMessage imported(
      String room, long seq, String messageId, User sender, String clientMsgId) {
    return new ExportedMessage(
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
}
