package dev.natter.cli.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.natter.cli.CliException;
import dev.natter.core.model.AppendResult;
import dev.natter.core.model.Message;
import dev.natter.core.model.NewMessage;
import dev.natter.core.model.NewRoom;
import dev.natter.core.model.NotifyLevel;
import dev.natter.core.model.Role;
import dev.natter.core.model.Room;
import dev.natter.core.model.RoomKind;
import dev.natter.core.model.User;
import dev.natter.core.model.Visibility;
import dev.natter.core.spi.ChatStore;
import dev.natter.core.spi.StoreTransfer;
import dev.natter.core.store.memory.InMemoryChatStore;
import dev.natter.store.sqlite.SqliteChatStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Export and import between stores, without a server: what goes in comes out. */
class DataTransferTest {
  private static final Instant T0 = Instant.parse("2025-06-01T08:00:00.123456789Z");
  private static final String THUMBS = "\uD83D\uDC4D";
  private static final String PARTY = "\uD83C\uDF89";

  @TempDir Path tmp;

  private final User alice = new User("u-1", "alice", "Alice");
  private final User bob = new User("u-2", "bob", "Bob \"the builder\"");

  /** A store with one of everything an export must carry. */
  private ChatStore filled(ChatStore store) {
    store.createUser(bob, "hash-bob", T0.plusSeconds(1));
    store.createUser(alice, "hash-alice", T0);
    store.updateLastSeen(alice.id(), T0.plusSeconds(500));
    Room general = new Room("r-2", RoomKind.GROUP, "general", Visibility.PUBLIC, null, T0);
    store.createRoom(new NewRoom(general, Map.of(alice.id(), Role.OWNER)));
    store.addMember(general.id(), bob.id(), Role.ADMIN, T0.plusSeconds(7));
    Room dm =
        new Room(
            "r-1",
            RoomKind.DM,
            "",
            Visibility.PRIVATE,
            Room.dmKey(alice.id(), bob.id()),
            T0.plusSeconds(3));
    store.findOrCreateDm(new NewRoom(dm, Map.of(alice.id(), Role.OWNER, bob.id(), Role.MEMBER)));
    Room deserted =
        new Room("r-3", RoomKind.GROUP, "deserted", Visibility.PRIVATE, null, T0.plusSeconds(9));
    store.createRoom(new NewRoom(deserted, Map.of(bob.id(), Role.OWNER)));
    store.removeMember(deserted.id(), bob.id());

    append(store, general.id(), "m-1", alice, "c-1", "hello", null, 10);
    append(store, general.id(), "m-2", bob, null, "no client id", "m-1", 11);
    append(store, general.id(), "m-3", bob, "c-1", "edited, then deleted", null, 12);
    append(store, dm.id(), "m-4", bob, "c-2", "psst", null, 13);
    store.react(general.id(), "m-1", bob.id(), PARTY, true);
    store.react(general.id(), "m-1", alice.id(), THUMBS, true);
    store.react(general.id(), "m-1", bob.id(), THUMBS, true);
    store.editMessage(general.id(), "m-3", "edited", T0.plusSeconds(20));
    store.deleteMessage(general.id(), "m-3");
    store.markRead(general.id(), bob.id(), 2);
    store
        .append(
            new NewMessage(
                general.id(),
                "m-5",
                alice,
                "c-5",
                "@bob over to you",
                null,
                T0.plusSeconds(30),
                null,
                List.of(bob.id())),
            m -> {})
        .join();
    store.setNotifyLevel(general.id(), bob.id(), NotifyLevel.MENTIONS);
    return store;
  }

  private static void append(
      ChatStore store,
      String room,
      String id,
      User sender,
      String clientMsgId,
      String body,
      String replyTo,
      long second) {
    store
        .append(
            new NewMessage(room, id, sender, clientMsgId, body, replyTo, T0.plusSeconds(second)),
            m -> {})
        .join();
  }

  private static String export(ChatStore store) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DataTransfer.export(store, out);
    return out.toString(StandardCharsets.UTF_8);
  }

  private static DataTransfer.Counts importInto(ChatStore store, String json) throws IOException {
    return DataTransfer.importInto(
        store, new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void inMemoryToSqliteToInMemoryKeepsEveryByte() throws IOException {
    String exported;
    try (ChatStore memory = filled(new InMemoryChatStore())) {
      exported = export(memory);
    }
    String again;
    try (SqliteChatStore sqlite = SqliteChatStore.open(tmp.resolve("natter.db"))) {
      assertThat(importInto(sqlite, exported)).isEqualTo(new DataTransfer.Counts(2, 3, 5));
      again = export(sqlite);

      List<StoreTransfer.ExportedMessage> general = sqlite.exportMessages("r-2", 0, 10);
      assertThat(general)
          .extracting(StoreTransfer.ExportedMessage::clientMsgId)
          .containsExactly("c-1", null, "c-1", "c-5");
      assertThat(general.get(3).message().mentions()).containsExactly(bob.id());
      assertThat(general.get(0).message().mentions()).isEmpty();
      assertThat(sqlite.findMembership("r-2", bob.id()).orElseThrow().notifyLevel())
          .isEqualTo(NotifyLevel.MENTIONS);
      assertThat(sqlite.findMembership("r-2", alice.id()).orElseThrow().notifyLevel())
          .isEqualTo(NotifyLevel.ALL);
      Message deleted = general.get(2).message();
      assertThat(deleted.deleted()).isTrue();
      assertThat(deleted.editedAt()).isEqualTo(T0.plusSeconds(20));
      assertThat(general.get(0).message().reactions().keySet()).containsExactly(PARTY, THUMBS);
      assertThat(general.get(0).message().reactions().get(THUMBS))
          .containsExactly(alice.id(), bob.id());
      assertThat(sqlite.exportUsers(null, 10))
          .containsExactly(
              new StoreTransfer.ExportedUser(alice, "hash-alice", T0, T0.plusSeconds(500)),
              new StoreTransfer.ExportedUser(bob, "hash-bob", T0.plusSeconds(1), null));
      assertThat(sqlite.exportRooms(null, 10)).extracting(Room::id).contains("r-3");
      assertThat(sqlite.findMembership("r-2", bob.id()).orElseThrow().lastReadSeq()).isEqualTo(2);

      // the resend of a message whose ack was lost in the move finds the original
      AppendResult resend =
          sqlite
              .append(new NewMessage("r-2", "m-new", alice, "c-1", "hello", null, T0), m -> {})
              .join();
      assertThat(resend.duplicate()).isTrue();
      assertThat(resend.message()).isEqualTo(general.get(0).message());
    }
    assertThat(again).isEqualTo(exported);
    try (ChatStore memory = new InMemoryChatStore()) {
      importInto(memory, exported);
      assertThat(export(memory)).isEqualTo(exported);
    }
  }

  @Test
  void versionOneStillImportsWithTheGapsItHad() throws IOException {
    String v1 =
        """
        {"format": "natter-export", "version": 1,
         "users": [{"id": "u-1", "username": "alice", "displayName": "Alice",
                    "passwordHash": "h", "lastSeen": "2025-06-01T09:00:00Z"}],
         "rooms": [{"id": "r-1", "kind": "group", "name": "g", "visibility": "public",
                    "createdAt": "2025-06-01T08:00:00Z",
                    "members": [{"userId": "u-1", "role": "owner", "lastReadSeq": 1,
                                 "joinedAt": "2025-06-01T08:00:00Z"}],
                    "messages": [{"seq": 1, "messageId": "m-1", "senderId": "u-1", "body": "",
                                  "ts": "2025-06-01T08:01:00Z",
                                  "editedAt": "2025-06-01T08:02:00Z", "deleted": true,
                                  "reactions": {}}]}]}
        """;
    Instant before = Instant.now();
    try (InMemoryChatStore store = new InMemoryChatStore()) {
      assertThat(importInto(store, v1)).isEqualTo(new DataTransfer.Counts(1, 1, 1));

      StoreTransfer.ExportedUser user = store.exportUsers(null, 1).get(0);
      assertThat(user.createdAt()).isBetween(before, Instant.now()); // v1 had none
      assertThat(user.lastSeen()).isEqualTo(Instant.parse("2025-06-01T09:00:00Z"));
      StoreTransfer.ExportedMessage m = store.exportMessages("r-1", 0, 10).get(0);
      assertThat(m.clientMsgId()).isEqualTo("import:m-1");
      assertThat(m.message().deleted()).isTrue();
      assertThat(m.message().editedAt()).isEqualTo(Instant.parse("2025-06-01T08:02:00Z"));
      assertThat(store.findMembership("r-1", "u-1").orElseThrow().lastReadSeq()).isEqualTo(1);
      assertThat(export(store)).contains("\"version\" : 3");
    }
  }

  @Test
  void refusesWhatItCannotReadWithAClearMessage() {
    InMemoryChatStore store = new InMemoryChatStore();
    assertThatThrownBy(
            () ->
                importInto(store, "{\"format\": \"natter-export\", \"version\": 4, \"users\": []}"))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("unsupported export version 4")
        .hasMessageContaining("reads versions 1 to 3");
    assertThatThrownBy(
            () ->
                importInto(store, "{\"format\": \"natter-export\", \"users\": [], \"version\": 2}"))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("must come before \"users\"");
    assertThatThrownBy(
            () ->
                importInto(
                    store,
                    "{\"format\": \"natter-export\", \"version\": 2, \"users\": [{\"id\": \"u-1\","
                        + " \"username\": \"a\", \"displayName\": \"A\", \"passwordHash\": \"h\"}]}"))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("user a has no createdAt");
    assertThatThrownBy(() -> importInto(store, "{\"format\": \"other\", \"version\": 2}"))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("not a Natter export");
    assertThat(store.exportUsers(null, 10)).isEmpty();
  }

  @Test
  void membersAreOrderedByCodePointAsTheStoresOrderIds() throws IOException {
    // U+FF61 is below U+1F600, but its UTF-16 unit FF61 is above the surrogate D83D
    User halfwidth = new User("u-\uFF61", "halfwidth", "H");
    User emoji = new User("u-\uD83D\uDE00", "emoji", "E");
    String exported;
    try (InMemoryChatStore memory = new InMemoryChatStore()) {
      memory.createUser(emoji, "h", T0);
      memory.createUser(halfwidth, "h", T0);
      Room room = new Room("r-1", RoomKind.GROUP, "g", Visibility.PUBLIC, null, T0);
      memory.createRoom(
          new NewRoom(room, Map.of(emoji.id(), Role.OWNER, halfwidth.id(), Role.MEMBER)));
      exported = export(memory);
      assertThat(memory.exportUsers(null, 10))
          .extracting(u -> u.user().id())
          .containsExactly(halfwidth.id(), emoji.id());
    }
    var doc = DataTransfer.JSON.readTree(exported);
    assertThat(doc.get("rooms").get(0).get("members").findValuesAsText("userId"))
        .containsExactly(halfwidth.id(), emoji.id());
    assertThat(doc.get("users").findValuesAsText("id")).containsExactly(halfwidth.id(), emoji.id());
    try (SqliteChatStore sqlite = SqliteChatStore.open(tmp.resolve("natter.db"))) {
      importInto(sqlite, exported);
      assertThat(export(sqlite)).isEqualTo(exported);
    }
    assertThat(DataTransfer.BY_CODE_POINT.compare("a", "ab")).isNegative();
    assertThat(DataTransfer.BY_CODE_POINT.compare("ab", "ab")).isZero();
    assertThat(DataTransfer.BY_CODE_POINT.compare("\uFF61", "\uD83D\uDE00")).isNegative();
  }

  @Test
  void aRoomFieldAfterItsMessagesIsRefusedNotLost() throws IOException {
    String head =
        """
        {"format": "natter-export", "version": 2,
         "users": [{"id": "u-1", "username": "alice", "displayName": "Alice",
                    "passwordHash": "h", "createdAt": "2025-06-01T08:00:00Z"}],
         "rooms": [{"id": "r-1", "kind": "group", "name": "g", "visibility": "public",
                    "createdAt": "2025-06-01T08:00:00Z",
                    "messages": [{"seq": 1, "messageId": "m-1", "senderId": "u-1", "body": "hi",
                                  "ts": "2025-06-01T08:01:00Z", "deleted": false,
                                  "reactions": {}}],
        """;
    String members =
        """
                    "members": [{"userId": "u-1", "role": "owner", "lastReadSeq": 1,
                                 "joinedAt": "2025-06-01T08:00:00Z"}]}]}
        """;
    assertThatThrownBy(() -> importInto(new InMemoryChatStore(), head + members))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("room r-1: \"members\" comes after \"messages\"")
        .hasMessageContaining("must come before");
    // an optional field would be lost as silently
    assertThatThrownBy(() -> importInto(new InMemoryChatStore(), head + "\"dmKey\": \"x\"}]}"))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("\"dmKey\" comes after \"messages\"");
    // a field this natter does not know is still skipped wherever it is
    assertThat(importInto(new InMemoryChatStore(), head + "\"future\": [1]}]}"))
        .isEqualTo(new DataTransfer.Counts(1, 1, 1));
  }

  @Test
  void importRefusesAStoreThatHasUsers() {
    ChatStore store = filled(new InMemoryChatStore());
    assertThatThrownBy(() -> importInto(store, "{\"format\": \"natter-export\", \"version\": 2}"))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("empty data directory");
  }

  @Test
  void aStoreWithoutExportAndImportIsRefusedWithAClearMessage() {
    ChatStore cannot = withoutTransfer(filled(new InMemoryChatStore()));
    assertThatThrownBy(() -> export(cannot))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("cannot export from this store")
        .hasMessageContaining("does not support export and import");
    ChatStore empty = withoutTransfer(new InMemoryChatStore());
    assertThatThrownBy(() -> importInto(empty, "{\"format\": \"natter-export\", \"version\": 2}"))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("cannot import into this store")
        .hasMessageContaining("does not support export and import");
  }

  /** {@code store} seen through {@link ChatStore} alone, as a store without export and import. */
  private static ChatStore withoutTransfer(ChatStore store) {
    return (ChatStore)
        Proxy.newProxyInstance(
            ChatStore.class.getClassLoader(),
            new Class<?>[] {ChatStore.class},
            (proxy, method, args) -> {
              try {
                return method.invoke(store, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }
}
