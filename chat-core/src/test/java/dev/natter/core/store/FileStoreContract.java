package dev.natter.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.natter.core.ChatException;
import dev.natter.core.model.AppendResult;
import dev.natter.core.model.FileInfo;
import dev.natter.core.model.Message;
import dev.natter.core.model.NewMessage;
import dev.natter.core.model.StoredFile;
import dev.natter.core.model.User;
import dev.natter.core.spi.ChatStore;
import dev.natter.core.spi.StoreErrors;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link dev.natter.core.spi.FileStore}, and how files ride on messages: attached
 * atomically by {@link ChatStore#append}, read back on every read path, removed with their message.
 */
public abstract class FileStoreContract extends StoreContract<ChatStore> {
  private static final String SHA_A = "a".repeat(64);
  private static final String SHA_B = "b".repeat(64);
  private static final String SHA_T = "c".repeat(64);

  /** A pending upload {@code id} of {@code uploader} to {@code room}. */
  private StoredFile upload(String id, String room, User uploader, Instant createdAt) {
    StoredFile f =
        new StoredFile(
            id,
            room,
            uploader.id(),
            id + ".png",
            "image/png",
            1234,
            SHA_A,
            640,
            480,
            SHA_T,
            createdAt,
            null);
    store.createFile(f);
    return f;
  }

  private NewMessage withFiles(String room, User sender, String clientMsgId, StoredFile... files) {
    return new NewMessage(
        room,
        "m-" + clientMsgId,
        sender,
        clientMsgId,
        "",
        null,
        at(10),
        Arrays.stream(files).map(StoredFile::info).toList(),
        null);
  }

  @Test
  void aRecordedFileIsFoundAsItWasGiven() {
    User alice = user("alice");
    String room = groupWith("r-1", alice);
    StoredFile f = upload("f-1", room, alice, at(1));
    StoredFile plain =
        new StoredFile(
            "f-2",
            room,
            alice.id(),
            "notes.txt",
            "text/plain",
            5,
            SHA_B,
            null,
            null,
            null,
            at(2),
            null);
    store.createFile(plain);

    assertThat(store.findFile("f-1")).contains(f);
    assertThat(store.findFile("f-2")).contains(plain);
    assertThat(store.findFile("nope")).isEmpty();
  }

  @Test
  void recordingFailsForATakenIdAMissingRoomOrUploader() {
    User alice = user("alice");
    String room = groupWith("r-1", alice);
    upload("f-1", room, alice, at(1));

    assertFailure(
        () -> upload("f-1", room, alice, at(2)),
        ChatException.Conflict.class,
        StoreErrors.fileIdTaken().getMessage());
    assertFailure(
        () -> upload("f-2", "no-room", alice, at(2)),
        ChatException.NotFound.class,
        StoreErrors.noSuchRoom().getMessage());
    assertFailure(
        () -> upload("f-3", room, new User("u-ghost", "ghost", "Ghost"), at(2)),
        ChatException.NotFound.class,
        StoreErrors.noSuchUser().getMessage());
    assertThat(store.findFile("f-2")).isEmpty();
    assertThat(store.findFile("f-3")).isEmpty();
  }

  @Test
  void appendAttachesTheFilesInOrderAndEveryReadPathShowsThem() {
    User alice = user("alice");
    User bob = user("bob");
    String room = groupWith("r-1", alice, bob);
    StoredFile a = upload("f-a", room, alice, at(1));
    StoredFile b = upload("f-b", room, alice, at(2));

    AppendResult sent = join(store.append(withFiles(room, alice, "c-1", b, a), m -> {}));

    List<FileInfo> expected = List.of(b.info(), a.info());
    Message m = sent.message();
    assertThat(m.files()).isEqualTo(expected);
    assertThat(m.body()).isEmpty();
    assertThat(store.findMessage(room, m.messageId()).orElseThrow().files()).isEqualTo(expected);
    assertThat(store.messagesBefore(room, null, 10).get(0).files()).isEqualTo(expected);
    assertThat(store.messagesAfter(room, 0, 10).get(0).files()).isEqualTo(expected);
    assertThat(store.roomSummary(room, bob.id()).orElseThrow().lastMessage().files())
        .isEqualTo(expected);
    assertThat(store.findFile("f-a").orElseThrow().messageId()).isEqualTo(m.messageId());
    assertThat(store.findFile("f-b").orElseThrow().messageId()).isEqualTo(m.messageId());
  }

  @Test
  void aFileThatIsNotTheSendersPendingUploadToTheRoomFailsTheAppendAndNothingIsStored() {
    User alice = user("alice");
    User bob = user("bob");
    String room = groupWith("r-1", alice, bob);
    String other = groupWith("r-2", alice, bob);
    StoredFile bobs = upload("f-bob", room, bob, at(1));
    StoredFile elsewhere = upload("f-other", other, alice, at(1));
    StoredFile mine = upload("f-mine", room, alice, at(1));
    join(store.append(withFiles(room, alice, "c-1", mine), m -> {}));
    StoredFile fresh = upload("f-fresh", room, alice, at(2));

    for (StoredFile refused : List.of(bobs, elsewhere, mine)) {
      assertFailure(
          () ->
              join(
                  store.append(
                      withFiles(room, alice, "c-" + refused.id(), fresh, refused), m -> {})),
          ChatException.BadRequest.class,
          StoreErrors.fileNotAttachable(refused.id()).getMessage());
    }
    assertFailure(
        () ->
            join(
                store.append(
                    withFiles(room, alice, "c-ghost", fresh, ghost(room, alice)), m -> {})),
        ChatException.BadRequest.class,
        StoreErrors.fileNotAttachable("f-ghost").getMessage());

    assertThat(store.lastSeq(room)).isEqualTo(1);
    assertThat(store.findFile("f-fresh").orElseThrow().messageId()).isNull();
    assertThat(store.findFile("f-bob").orElseThrow().messageId()).isNull();
    assertThat(store.findFile("f-other").orElseThrow().messageId()).isNull();
  }

  private static StoredFile ghost(String room, User uploader) {
    return new StoredFile(
        "f-ghost", room, uploader.id(), "g", "text/plain", 1, SHA_B, null, null, null, T0, null);
  }

  @Test
  void aResendWithTheSameClientMsgIdGetsTheOriginalThoughItsFilesAreAttachedNow() {
    User alice = user("alice");
    String room = groupWith("r-1", alice);
    StoredFile f = upload("f-1", room, alice, at(1));
    Message first = join(store.append(withFiles(room, alice, "c-1", f), m -> {})).message();

    NewMessage resend =
        new NewMessage(room, "m-other", alice, "c-1", "", null, at(20), List.of(f.info()), null);
    AppendResult again = join(store.append(resend, m -> {}));

    assertThat(again.duplicate()).isTrue();
    assertThat(again.message()).isEqualTo(first);
    assertThat(store.lastSeq(room)).isEqualTo(1);
  }

  @Test
  void twoAppendsRacingForOneFileAttachItOnce() throws Exception {
    User alice = user("alice");
    String room = groupWith("r-1", alice);
    StoredFile f = upload("f-1", room, alice, at(1));

    List<Boolean> stored =
        concurrently(
            2,
            i -> {
              try {
                join(store.append(withFiles(room, alice, "c-" + i, f), m -> {}));
                return true;
              } catch (CompletionException e) {
                assertThat(e.getCause()).isInstanceOf(ChatException.BadRequest.class);
                return false;
              }
            },
            2);

    assertThat(stored).containsExactlyInAnyOrder(true, false);
    assertThat(store.lastSeq(room)).isEqualTo(1);
  }

  @Test
  void deletingAMessageRemovesItsFiles() {
    User alice = user("alice");
    String room = groupWith("r-1", alice);
    StoredFile f = upload("f-1", room, alice, at(1));
    Message m = join(store.append(withFiles(room, alice, "c-1", f), x -> {})).message();
    assertThat(store.blobInUse(SHA_A)).isTrue();

    Message deleted = store.deleteMessage(room, m.messageId());

    assertThat(deleted.files()).isEmpty();
    assertThat(store.findMessage(room, m.messageId()).orElseThrow().files()).isEmpty();
    assertThat(store.findFile("f-1")).isEmpty();
    assertThat(store.blobInUse(SHA_A)).isFalse();
    assertThat(store.blobInUse(SHA_T)).isFalse();
  }

  @Test
  void unattachedFilesBeforeATimeAreListedOldestFirstAndCanBeDeleted() {
    User alice = user("alice");
    String room = groupWith("r-1", alice);
    upload("f-3", room, alice, at(3));
    upload("f-1", room, alice, at(1));
    upload("f-2", room, alice, at(2));
    upload("f-late", room, alice, at(100));
    StoredFile sent = upload("f-sent", room, alice, at(0));
    join(store.append(withFiles(room, alice, "c-1", sent), m -> {}));

    assertThat(store.unattachedFilesBefore(at(50), 10))
        .extracting(StoredFile::id)
        .containsExactly("f-1", "f-2", "f-3");
    assertThat(store.unattachedFilesBefore(at(50), 2))
        .extracting(StoredFile::id)
        .containsExactly("f-1", "f-2");

    assertThat(store.deleteUnattachedFile("f-1")).isTrue();
    assertThat(store.deleteUnattachedFile("f-1")).isFalse();
    assertThat(store.deleteUnattachedFile("f-sent")).isFalse();
    assertThat(store.deleteUnattachedFile("nope")).isFalse();
    assertThat(store.findFile("f-1")).isEmpty();
    assertThat(store.findFile("f-sent")).isPresent();
  }

  @Test
  void aBlobIsInUseWhileAnyFileRefersToItAsContentOrThumbnail() {
    User alice = user("alice");
    String room = groupWith("r-1", alice);
    assertThat(store.blobInUse(SHA_A)).isFalse();
    upload("f-1", room, alice, at(1));
    upload("f-2", room, alice, at(1));

    assertThat(store.blobInUse(SHA_A)).isTrue();
    assertThat(store.blobInUse(SHA_T)).isTrue();
    store.deleteUnattachedFile("f-1");
    assertThat(store.blobInUse(SHA_A)).isTrue();
    store.deleteUnattachedFile("f-2");
    assertThat(store.blobInUse(SHA_A)).isFalse();
    assertThat(store.blobInUse(SHA_T)).isFalse();
  }

  @Test
  void everyFileIsListedByIdInPages() {
    User alice = user("alice");
    String room = groupWith("r-1", alice);
    for (String id : List.of("f-c", "f-a", "f-d", "f-b")) {
      upload(id, room, alice, at(1));
    }

    assertThat(store.files(null, 3))
        .extracting(StoredFile::id)
        .containsExactly("f-a", "f-b", "f-c");
    assertThat(store.files("f-c", 3)).extracting(StoredFile::id).containsExactly("f-d");
  }

  @Test
  void anImportedFileIsAttachedToItsMessageAfterItsOtherFiles() {
    User alice = user("alice");
    String room = groupWith("r-1", alice);
    Message m = send(room, alice, "with files", at(1));
    StoredFile second = upload("f-2", room, alice, at(1)).attachedTo(m.messageId());
    StoredFile first =
        new StoredFile(
            "f-9",
            room,
            alice.id(),
            "a.pdf",
            "application/pdf",
            10,
            SHA_B,
            null,
            null,
            null,
            at(1),
            m.messageId());
    store.createFile(first);
    store.deleteUnattachedFile("f-2");
    store.createFile(second);

    assertThat(store.findMessage(room, m.messageId()).orElseThrow().files())
        .containsExactly(first.info(), second.info());
    assertThat(store.findFile("f-2")).contains(second);
    assertFailure(
        () ->
            store.createFile(
                new StoredFile(
                    "f-x",
                    room,
                    alice.id(),
                    "x",
                    "text/plain",
                    1,
                    SHA_B,
                    null,
                    null,
                    null,
                    at(1),
                    "m-nope")),
        ChatException.NotFound.class,
        StoreErrors.noSuchMessage().getMessage());
  }
}
