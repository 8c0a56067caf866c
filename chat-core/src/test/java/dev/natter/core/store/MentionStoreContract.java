package dev.natter.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.natter.core.ChatException;
import dev.natter.core.model.AppendResult;
import dev.natter.core.model.Membership;
import dev.natter.core.model.Message;
import dev.natter.core.model.NewMessage;
import dev.natter.core.model.NotifyLevel;
import dev.natter.core.model.Role;
import dev.natter.core.model.RoomSummary;
import dev.natter.core.model.SearchHit;
import dev.natter.core.model.User;
import dev.natter.core.model.Visibility;
import dev.natter.core.spi.ChatStore;
import dev.natter.core.spi.StoreErrors;
import dev.natter.core.spi.StoreTransfer;
import dev.natter.core.spi.StoreTransfer.ExportedMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The contract for mentions and notification levels (protocol v1.1): a message's mentions are
 * stored with it (atomically, in order), replaced by an edit, dropped by a delete and read back by
 * every read; a room summary counts the unread messages that mention its viewer; each member has a
 * notification level kept with the membership. See {@link StoreContract} for how a store runs it;
 * the export and import tests run when the store is a {@link StoreTransfer}.
 */
public abstract class MentionStoreContract extends StoreContract<ChatStore> {

  /** Appends a message by {@code sender} that mentions {@code mentioned} and waits for it. */
  private Message sendMentioning(
      String room, User sender, String messageId, String body, Instant ts, User... mentioned) {
    AppendResult result =
        join(store.append(mentioning(room, sender, messageId, body, ts, mentioned), m -> {}));
    assertThat(result.duplicate()).isFalse();
    return result.message();
  }

  private static NewMessage mentioning(
      String room, User sender, String messageId, String body, Instant ts, User... mentioned) {
    List<String> ids = new ArrayList<>();
    for (User u : mentioned) {
      ids.add(u.id());
    }
    return new NewMessage(room, messageId, sender, "c-" + messageId, body, null, ts, null, ids);
  }

  private RoomSummary summary(String room, User viewer) {
    return store.roomSummary(room, viewer.id()).orElseThrow();
  }

  @Test
  void mentionsAreStoredInOrderWithTheMessageAndEveryReadShowsThem() {
    User alice = user("alice");
    User bob = user("bob");
    User carol = user("carol");
    String room = groupWith("r-1", alice, bob, carol);

    Message sent =
        sendMentioning(room, alice, "mm-1", "@carol and @bob: apples", at(1), carol, bob);

    assertThat(sent.mentions()).containsExactly(carol.id(), bob.id());
    assertThat(store.findMessage(room, "mm-1").orElseThrow().mentions())
        .containsExactly(carol.id(), bob.id());
    assertThat(store.messagesAfter(room, 0, 10).get(0).mentions())
        .containsExactly(carol.id(), bob.id());
    assertThat(store.messagesBefore(room, null, 10).get(0).mentions())
        .containsExactly(carol.id(), bob.id());
    assertThat(summary(room, bob).lastMessage().mentions()).containsExactly(carol.id(), bob.id());
    assertThat(store.roomSummaries(bob.id()).get(0).lastMessage()).isEqualTo(sent);
    List<SearchHit> hits = store.search(List.of(room), "apples", 10);
    assertThat(hits).extracting(h -> h.message().mentions()).containsExactly(sent.mentions());

    Message plain = send(room, bob, "no mentions here", at(2));
    assertThat(plain.mentions()).isEmpty();
    assertThat(store.findMessage(room, plain.messageId()).orElseThrow().mentions()).isEmpty();
  }

  @Test
  void aResendGetsTheOriginalMentions() {
    User alice = user("alice");
    User bob = user("bob");
    String room = groupWith("r-1", alice, bob);
    sendMentioning(room, alice, "mm-1", "@bob", at(1), bob);

    AppendResult resend =
        join(
            store.append(
                new NewMessage(room, "mm-2", alice, "c-mm-1", "@bob", null, at(2), null, List.of()),
                m -> {}));

    assertThat(resend.duplicate()).isTrue();
    assertThat(resend.message().messageId()).isEqualTo("mm-1");
    assertThat(resend.message().mentions()).containsExactly(bob.id());
  }

  @Test
  void anAppendThatMentionsAMissingUserStoresNothing() {
    User alice = user("alice");
    User bob = user("bob");
    String room = groupWith("r-1", alice, bob);
    User ghost = new User("u-ghost", "ghost", "Ghost");

    CompletableFuture<AppendResult> failed =
        store.append(mentioning(room, alice, "mm-1", "@bob @ghost", at(1), bob, ghost), m -> {});

    assertFailure(
        () -> join(failed), ChatException.NotFound.class, StoreErrors.noSuchUser().getMessage());
    assertThat(store.lastSeq(room)).isZero();
    assertThat(store.findMessage(room, "mm-1")).isEmpty();
    assertThat(summary(room, bob).mentions()).isZero();
    assertThat(sendMentioning(room, alice, "mm-2", "@bob", at(2), bob).seq()).isEqualTo(1);
    assertThat(summary(room, bob).mentions()).isEqualTo(1);
  }

  @Test
  void manyAppendsAtOnceKeepEachMessagesOwnMentions() {
    User alice = user("alice");
    User bob = user("bob");
    User carol = user("carol");
    String room = groupWith("r-1", alice, bob, carol);
    List<CompletableFuture<AppendResult>> futures = new ArrayList<>();
    for (int i = 1; i <= 40; i++) {
      User[] mentioned =
          switch (i % 4) {
            case 0 -> new User[] {};
            case 1 -> new User[] {bob};
            case 2 -> new User[] {carol, bob};
            default -> new User[] {carol};
          };
      futures.add(
          store.append(mentioning(room, alice, "mm-" + i, "n" + i, at(i), mentioned), m -> {}));
    }
    futures.forEach(StoreContract::join);

    for (Message m : store.messagesAfter(room, 0, 100)) {
      int i = Integer.parseInt(m.body().substring(1));
      List<String> expected =
          switch (i % 4) {
            case 0 -> List.of();
            case 1 -> List.of(bob.id());
            case 2 -> List.of(carol.id(), bob.id());
            default -> List.of(carol.id());
          };
      assertThat(m.mentions()).as(m.body()).isEqualTo(expected);
    }
    assertThat(summary(room, bob).mentions()).isEqualTo(20);
    assertThat(summary(room, carol).mentions()).isEqualTo(20);
    assertThat(summary(room, alice).mentions()).isZero();
  }

  @Test
  void anEditReplacesTheMentionsAndADeleteDropsThem() {
    User alice = user("alice");
    User bob = user("bob");
    User carol = user("carol");
    String room = groupWith("r-1", alice, bob, carol);
    sendMentioning(room, alice, "mm-1", "@bob", at(1), bob);

    Message edited = store.editMessage(room, "mm-1", "@carol, not bob", List.of(carol.id()), at(2));

    assertThat(edited.mentions()).containsExactly(carol.id());
    assertThat(edited.body()).isEqualTo("@carol, not bob");
    assertThat(store.findMessage(room, "mm-1").orElseThrow().mentions())
        .containsExactly(carol.id());
    assertThat(summary(room, bob).mentions()).isZero();
    assertThat(summary(room, carol).mentions()).isEqualTo(1);

    assertThat(store.editMessage(room, "mm-1", "nobody", at(3)).mentions()).isEmpty();
    assertThat(summary(room, carol).mentions()).isZero();
    store.editMessage(room, "mm-1", "@bob @carol", List.of(bob.id(), carol.id()), at(4));

    Message deleted = store.deleteMessage(room, "mm-1");

    assertThat(deleted.mentions()).isEmpty();
    assertThat(store.findMessage(room, "mm-1").orElseThrow().mentions()).isEmpty();
    assertThat(summary(room, bob).mentions()).isZero();
    assertThat(summary(room, carol).mentions()).isZero();
  }

  @Test
  void anEditThatMentionsAMissingUserChangesNothing() {
    User alice = user("alice");
    User bob = user("bob");
    String room = groupWith("r-1", alice, bob);
    Message original = sendMentioning(room, alice, "mm-1", "@bob", at(1), bob);

    assertThatThrownBy(() -> store.editMessage(room, "mm-1", "@ghost", List.of("u-ghost"), at(2)))
        .isInstanceOf(ChatException.NotFound.class);

    assertThat(store.findMessage(room, "mm-1")).contains(original);
  }

  @Test
  void theSummaryCountsUnreadLiveMessagesOfOthersThatMentionTheViewer() {
    User alice = user("alice");
    User bob = user("bob");
    User carol = user("carol");
    String room = groupWith("r-1", alice, bob, carol);
    sendMentioning(room, alice, "mm-1", "@bob one", at(1), bob);
    sendMentioning(room, alice, "mm-2", "@room two", at(2), bob, carol);
    sendMentioning(room, alice, "mm-3", "@carol three", at(3), carol);
    send(room, alice, "four", at(4));
    sendMentioning(room, bob, "mm-5", "me, @bob", at(5), bob); // one's own: never counts

    assertThat(summary(room, bob).mentions()).isEqualTo(2);
    assertThat(summary(room, bob).unread()).isEqualTo(4);
    assertThat(summary(room, carol).mentions()).isEqualTo(2);
    assertThat(summary(room, alice).mentions()).isZero();
    assertThat(store.roomSummaries(bob.id()))
        .singleElement()
        .extracting(RoomSummary::mentions)
        .isEqualTo(2L);

    store.markRead(room, bob.id(), 1);
    assertThat(summary(room, bob).mentions()).isEqualTo(1);
    store.deleteMessage(room, "mm-2");
    assertThat(summary(room, bob).mentions()).isZero();
    assertThat(summary(room, carol).mentions()).isEqualTo(1);
    store.markRead(room, carol.id(), 5);
    assertThat(summary(room, carol).mentions()).isZero();
  }

  @Test
  void theLevelIsAllUntilSetAndIsKeptWithTheMembership() {
    User alice = user("alice");
    User bob = user("bob");
    User carol = user("carol");
    String room = groupWith("r-1", alice, bob);
    store.createRoom(dm("d-1", alice, bob, at(1)));

    assertThat(store.findMembership(room, bob.id()).orElseThrow().notifyLevel())
        .isEqualTo(NotifyLevel.ALL);
    assertThat(summary(room, bob).notifyLevel()).isEqualTo(NotifyLevel.ALL);
    assertThat(summary("d-1", bob).notifyLevel()).isEqualTo(NotifyLevel.ALL);

    assertThat(store.setNotifyLevel(room, bob.id(), NotifyLevel.MENTIONS)).isTrue();
    assertThat(store.setNotifyLevel("d-1", bob.id(), NotifyLevel.NONE)).isTrue();

    assertThat(store.findMembership(room, bob.id()))
        .contains(new Membership(room, bob.id(), Role.MEMBER, 0, T0, NotifyLevel.MENTIONS));
    assertThat(summary(room, bob).notifyLevel()).isEqualTo(NotifyLevel.MENTIONS);
    assertThat(summary("d-1", bob).notifyLevel()).isEqualTo(NotifyLevel.NONE);
    assertThat(store.roomSummaries(bob.id()))
        .extracting(RoomSummary::notifyLevel)
        .containsExactlyInAnyOrder(NotifyLevel.MENTIONS, NotifyLevel.NONE);
    assertThat(summary(room, alice).notifyLevel()).isEqualTo(NotifyLevel.ALL);
    assertThat(store.memberships(room))
        .extracting(Membership::notifyLevel)
        .containsExactly(NotifyLevel.ALL, NotifyLevel.MENTIONS);

    send(room, alice, "hi", at(2));
    store.markRead(room, bob.id(), 1);
    store.updateRole(room, bob.id(), Role.ADMIN);
    assertThat(store.findMembership(room, bob.id()))
        .contains(new Membership(room, bob.id(), Role.ADMIN, 1, T0, NotifyLevel.MENTIONS));

    assertThat(store.setNotifyLevel(room, carol.id(), NotifyLevel.NONE)).isFalse();
    assertThat(store.setNotifyLevel("r-none", bob.id(), NotifyLevel.NONE)).isFalse();
    assertThat(store.findMembership(room, carol.id())).isEmpty();

    store.removeMember(room, bob.id());
    store.addMember(room, bob.id(), Role.MEMBER, at(3));
    assertThat(summary(room, bob).notifyLevel()).isEqualTo(NotifyLevel.ALL);
  }

  @Test
  void aPublicRoomNotJoinedShowsNoMentionsAndTheDefaultLevel() {
    User alice = user("alice");
    User bob = user("bob");
    store.createRoom(
        new dev.natter.core.model.NewRoom(
            group("r-pub", "lobby", Visibility.PUBLIC, T0), Map.of(alice.id(), Role.OWNER)));
    sendMentioning("r-pub", alice, "mm-1", "@bob", at(1), bob);

    assertThat(store.publicRoomsNotJoinedBy(bob.id()))
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.mentions()).isZero();
              assertThat(s.notifyLevel()).isEqualTo(NotifyLevel.ALL);
            });
  }

  @Test
  void anExportCarriesTheMentionsAndAnImportStoresThem() {
    assumeThat(store).isInstanceOf(StoreTransfer.class);
    StoreTransfer transfer = (StoreTransfer) store;
    User alice = user("alice");
    User bob = user("bob");
    User carol = user("carol");
    String room = groupWith("r-1", alice, bob, carol);
    String copy = groupWith("r-2", alice, bob, carol);
    sendMentioning(room, alice, "mm-1", "@carol @bob", at(1), carol, bob);
    send(room, bob, "plain", at(2));

    List<ExportedMessage> exported = transfer.exportMessages(room, 0, 10);
    assertThat(exported.get(0).message().mentions()).containsExactly(carol.id(), bob.id());
    assertThat(exported.get(1).message().mentions()).isEmpty();

    Message imported = withRoomAndId(exported.get(0).message(), copy, "mm-1c");
    transfer.importMessages(List.of(new ExportedMessage(imported, "c-import")));

    assertThat(store.findMessage(copy, "mm-1c").orElseThrow().mentions())
        .containsExactly(carol.id(), bob.id());
    assertThat(summary(copy, bob).mentions()).isEqualTo(1);

    Message ghostly =
        withMentions(withRoomAndId(exported.get(1).message(), copy, "mm-2c"), List.of("u-ghost"));
    assertFailure(
        () -> transfer.importMessages(List.of(new ExportedMessage(ghostly, null))),
        ChatException.NotFound.class,
        StoreErrors.noSuchUser().getMessage());
    assertThat(store.lastSeq(copy)).isEqualTo(1);
  }

  private static Message withRoomAndId(Message m, String room, String messageId) {
    return new Message(
        room,
        m.seq(),
        messageId,
        m.sender(),
        m.body(),
        m.ts(),
        m.replyTo(),
        m.editedAt(),
        m.deleted(),
        m.reactions(),
        m.files(),
        m.mentions());
  }

  private static Message withMentions(Message m, List<String> mentions) {
    return new Message(
        m.room(),
        m.seq(),
        m.messageId(),
        m.sender(),
        m.body(),
        m.ts(),
        m.replyTo(),
        m.editedAt(),
        m.deleted(),
        m.reactions(),
        m.files(),
        mentions);
  }
}
