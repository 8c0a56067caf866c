package dev.natter.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.natter.core.ChatException;
import dev.natter.core.model.AuthSession;
import dev.natter.core.model.Message;
import dev.natter.core.model.NewMessage;
import dev.natter.core.model.NewRoom;
import dev.natter.core.model.Role;
import dev.natter.core.model.User;
import dev.natter.core.model.Visibility;
import dev.natter.core.spi.ChatStore;
import dev.natter.core.spi.StoreErrors;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * What every store says when a call fails: the same {@link ChatException} with the same message
 * (those of {@link StoreErrors}) whatever the store, and never SQL, a constraint or a table name.
 * See {@link StoreContract} for how a store runs it.
 */
public abstract class StoreErrorsContract extends StoreContract<ChatStore> {

  /** One way to make a call fail, and what the store must say. */
  private record Failure(
      String what, ThrowingCallable call, Class<? extends ChatException> type, String message) {}

  /** Data that every failure below runs into; none of the failures changes it. */
  private List<Failure> failures() {
    User alice = user("alice");
    User bob = user("bob");
    User carol = user("carol"); // in no room
    User ghost = new User("u-ghost", "ghost", "Ghost"); // never created
    String room = groupWith("r-1", alice, bob);
    store.findOrCreateDm(dm("r-dm", alice, bob, at(1)));
    Message live = send(room, alice, "live", at(2));
    String gone = send(room, bob, "gone", at(3)).messageId();
    store.deleteMessage(room, gone);
    store.createSession(new AuthSession("s-1", alice.id(), at(0), at(3600)));
    var conflict = ChatException.Conflict.class;
    var notFound = ChatException.NotFound.class;
    return List.of(
        new Failure(
            "createUser with a username taken in another case",
            () -> store.createUser(new User("u-other", "ALICE", "Other"), "h", at(9)),
            conflict,
            "username already taken"),
        new Failure(
            "createUser with a taken id",
            () -> store.createUser(new User(alice.id(), "alice2", "Alice"), "h", at(9)),
            conflict,
            "a user with this id already exists"),
        new Failure(
            "createSession with a taken id",
            () -> store.createSession(new AuthSession("s-1", bob.id(), at(0), at(60))),
            conflict,
            "a session with this id already exists"),
        new Failure(
            "createSession for a missing user",
            () -> store.createSession(new AuthSession("s-2", ghost.id(), at(0), at(60))),
            notFound,
            "no such user"),
        new Failure(
            "createRoom with a taken id",
            () ->
                store.createRoom(
                    new NewRoom(group(room, "again", Visibility.PUBLIC, at(9)), Map.of())),
            conflict,
            "a room with this id already exists"),
        new Failure(
            "createRoom of a second direct message for a pair",
            () -> store.createRoom(dm("r-dm-2", bob, alice, at(9))),
            conflict,
            "a direct message between these users already exists"),
        new Failure(
            "createRoom with a missing member",
            () ->
                store.createRoom(
                    new NewRoom(
                        group("r-2", "two", Visibility.PRIVATE, at(9)),
                        Map.of(alice.id(), Role.OWNER, ghost.id(), Role.MEMBER))),
            notFound,
            "no such user"),
        new Failure(
            "findOrCreateDm with a missing user",
            () -> store.findOrCreateDm(dm("r-dm-3", alice, ghost, at(9))),
            notFound,
            "no such user"),
        new Failure(
            "findOrCreateDm with a group",
            () ->
                store.findOrCreateDm(
                    new NewRoom(group("r-3", "three", Visibility.PUBLIC, at(9)), Map.of())),
            ChatException.BadRequest.class,
            "findOrCreateDm needs a direct message room"),
        new Failure(
            "addMember to a missing room",
            () -> store.addMember("r-none", carol.id(), Role.MEMBER, at(9)),
            notFound,
            "no such room"),
        new Failure(
            "addMember of a missing user",
            () -> store.addMember(room, ghost.id(), Role.MEMBER, at(9)),
            notFound,
            "no such user"),
        new Failure(
            "markRead in a missing room",
            () -> store.markRead("r-none", alice.id(), 1),
            notFound,
            "no such room"),
        new Failure(
            "markRead of a user who is not a member",
            () -> store.markRead(room, carol.id(), 1),
            notFound,
            "not a member of this room"),
        new Failure(
            "append to a missing room",
            () -> join(store.append(newMessage("r-none", alice, "x", at(9)), m -> {})),
            notFound,
            "no such room"),
        new Failure(
            "append by a missing sender",
            () -> join(store.append(newMessage(room, ghost, "x", at(9)), m -> {})),
            notFound,
            "no such user"),
        new Failure(
            "append with a taken message id",
            () ->
                join(
                    store.append(
                        new NewMessage(room, live.messageId(), bob, "c-new", "x", null, at(9)),
                        m -> {})),
            conflict,
            "a message with this id already exists"),
        new Failure(
            "editMessage of a missing message",
            () -> store.editMessage(room, "m-none", "x", at(9)),
            notFound,
            "no such message"),
        new Failure(
            "editMessage in a missing room",
            () -> store.editMessage("r-none", live.messageId(), "x", at(9)),
            notFound,
            "no such message"),
        new Failure(
            "editMessage of a deleted message",
            () -> store.editMessage(room, gone, "back", at(9)),
            notFound,
            "the message was deleted"),
        new Failure(
            "deleteMessage of a missing message",
            () -> store.deleteMessage(room, "m-none"),
            notFound,
            "no such message"),
        new Failure(
            "react to a missing message",
            () -> store.react(room, "m-none", bob.id(), THUMBS, true),
            notFound,
            "no such message"),
        new Failure(
            "react to a deleted message",
            () -> store.react(room, gone, bob.id(), THUMBS, true),
            notFound,
            "the message was deleted"),
        new Failure(
            "react as a missing user",
            () -> store.react(room, live.messageId(), ghost.id(), THUMBS, true),
            notFound,
            "no such user"));
  }

  @TestFactory
  Stream<DynamicTest> everyFailureHasItsStoreIndependentMessage() {
    return failures().stream()
        .map(f -> dynamicTest(f.what(), () -> assertFailure(f.call(), f.type(), f.message())));
  }

  @Test
  void noFailureMessageNamesSqlConstraintsOrTables() {
    List<Failure> failures = failures();
    for (Failure f : failures) {
      Throwable thrown = catchThrowable(f.call());
      if (thrown instanceof CompletionException && thrown.getCause() != null) {
        thrown = thrown.getCause();
      }
      assertThat(thrown).as(f.what()).isInstanceOf(ChatException.class);
      assertNamesNoSqlOrSchema(thrown);
    }
    assertThat(failures).hasSize(23);
  }

  @Test
  void aClosedStoreSaysSo() {
    User alice = user("alice");
    String room = groupWith("r-1", alice);
    store.close();

    assertFailure(
        () -> store.findUser(alice.id()), ChatException.StoreFailure.class, "the store is closed");
    assertFailure(
        () -> store.createUser(new User("u-bob", "bob", "Bob"), "h", at(1)),
        ChatException.StoreFailure.class,
        "the store is closed");
    assertFailure(
        () -> join(store.append(newMessage(room, alice, "late", at(1)), m -> {})),
        ChatException.StoreFailure.class,
        "the store is closed");
  }
}
