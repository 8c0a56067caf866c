package dev.natter.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.natter.core.ChatException;
import dev.natter.core.model.FileInfo;
import dev.natter.core.model.Message;
import dev.natter.core.model.NotifyLevel;
import dev.natter.core.model.RoomSummary;
import dev.natter.core.model.Visibility;
import dev.natter.core.protocol.ErrorCode;
import dev.natter.core.protocol.ServerEvent;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files, mentions and notification levels through {@link ChatClient}, against a real {@code
 * NatterServer} on port 0: upload with progress, send with files, the files on the other side,
 * download with progress, an image's thumbnail, what the server refuses, mentions in messages and
 * summaries, {@code setNotifyLevel} reaching my other devices.
 */
@Timeout(60)
class ChatClientFilesServerTest {
  @TempDir Path tmp;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  private <T extends AutoCloseable> T closing(T c) {
    closeables.add(c);
    return c;
  }

  private LiveServer server() {
    return closing(LiveServer.start()); // the engine keeps the files' bytes in memory
  }

  private Peer peer(ChatClientBuilder builder) throws Exception {
    return closing(Peer.connect(builder));
  }

  private static <T> T get(CompletableFuture<T> f) throws Exception {
    return f.get(20, TimeUnit.SECONDS);
  }

  private static void assertFailsWith(CompletableFuture<?> f, ErrorCode... codes) {
    assertThatThrownBy(() -> f.get(20, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(
            ChatException.class, e -> assertThat(e.code()).isIn((Object[]) codes));
  }

  @Test
  void aFileGoesUpWithProgressAndComesBackByteForByte() throws Exception {
    LiveServer server = server();
    Peer alice = peer(server.register("alice"));
    Peer bob = peer(server.register("bob"));
    String room =
        get(alice.client.createRoom("team", Visibility.PRIVATE, List.of("bob"))).room().id();
    await().until(() -> bob.rooms.stream().anyMatch(r -> r.room().room().id().equals(room)));

    byte[] content = new byte[2_500_000];
    new Random(11).nextBytes(content);
    Path file = Files.write(tmp.resolve("data.bin"), content);
    List<long[]> up = new CopyOnWriteArrayList<>();
    FileInfo stored =
        get(alice.client.upload(room, file, (bytes, total) -> up.add(new long[] {bytes, total})));
    assertThat(stored.name()).isEqualTo("data.bin");
    assertThat(stored.size()).isEqualTo(content.length);
    assertThat(stored.width()).isNull();
    assertThat(up.get(0)).containsExactly(0, content.length);
    assertThat(up.get(up.size() - 1)).containsExactly(content.length, content.length);

    ServerEvent.Ack ack = get(alice.client.sendWithFiles(room, "", List.of(stored.id())));
    await().until(() -> bob.seqs(room).contains(ack.seq()));
    Message received = bob.messages.get(bob.messages.size() - 1).message();
    assertThat(received.body()).isEmpty();
    assertThat(received.files()).containsExactly(stored);

    List<long[]> down = new CopyOnWriteArrayList<>();
    Path target = tmp.resolve("copy.bin");
    FileInfo got =
        get(bob.client.download(stored.id(), target, (b, t) -> down.add(new long[] {b, t})));
    assertThat(Files.readAllBytes(target)).isEqualTo(content);
    assertThat(got.name()).isEqualTo("data.bin");
    assertThat(got.size()).isEqualTo(content.length);
    assertThat(down.get(down.size() - 1)).containsExactly(content.length, content.length);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    get(alice.client.download(stored.id(), out, TransferProgress.NONE));
    assertThat(out.toByteArray()).isEqualTo(content);

    // the message keeps its files in history too
    assertThat(get(bob.client.history(room, HistoryQuery.latest(1))).messages().get(0).files())
        .containsExactly(stored);
  }

  @Test
  void anImagesThumbnailComesDownIntoANewFile() throws Exception {
    LiveServer server = server();
    Peer alice = peer(server.register("alice"));
    Peer bob = peer(server.register("bob"));
    String room =
        get(alice.client.createRoom("team", Visibility.PRIVATE, List.of("bob"))).room().id();
    BufferedImage image = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
    image.setRGB(0, 0, 0xFF0000);
    Path png = tmp.resolve("photo.png");
    ImageIO.write(image, "png", png.toFile());
    FileInfo photo = get(alice.client.upload(room, png));
    get(alice.client.sendWithFiles(room, "", List.of(photo.id())));

    List<long[]> down = new CopyOnWriteArrayList<>();
    Path target = tmp.resolve("thumb.png");
    FileInfo got =
        get(
            bob.client.downloadThumbnail(
                photo.id(), target, (b, t) -> down.add(new long[] {b, t})));

    BufferedImage thumbnail = ImageIO.read(target.toFile());
    assertThat(thumbnail.getWidth()).isEqualTo(320);
    assertThat(thumbnail.getHeight()).isEqualTo(240);
    assertThat(got.name()).isEqualTo("photo.png");
    assertThat(got.type()).isEqualTo("image/png");
    assertThat(got.size()).isEqualTo(Files.size(target)).isLessThan(Files.size(png));
    assertThat(down.get(down.size() - 1)).containsExactly(got.size(), got.size());

    // never over an existing file
    assertThatThrownBy(() -> get(bob.client.downloadThumbnail(photo.id(), target, (b, t) -> {})))
        .hasCauseInstanceOf(FileAlreadyExistsException.class);
    assertThat(ImageIO.read(target.toFile()).getWidth()).isEqualTo(320);
    // a file without a thumbnail: not_found, and no file left behind
    FileInfo text = get(alice.client.upload(room, Files.writeString(tmp.resolve("a.txt"), "a")));
    assertFailsWith(
        alice.client.downloadThumbnail(text.id(), tmp.resolve("none.png"), TransferProgress.NONE),
        ErrorCode.NOT_FOUND);
    assertThat(tmp.resolve("none.png")).doesNotExist();
  }

  @Test
  void whatTheServerRefusesFailsTheFuture() throws Exception {
    LiveServer server = server();
    Peer alice = peer(server.register("alice"));
    Peer carol = peer(server.register("carol"));
    String room = get(alice.client.createRoom("secret", Visibility.PRIVATE, List.of())).room().id();
    Path file = Files.writeString(tmp.resolve("note.txt"), "for alice only");
    FileInfo stored = get(alice.client.upload(room, file));

    // not a member: no upload into the room, no download of its files
    assertFailsWith(carol.client.upload(room, file), ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND);
    assertFailsWith(
        carol.client.download(stored.id(), tmp.resolve("stolen.txt"), TransferProgress.NONE),
        ErrorCode.NOT_FOUND);
    assertThat(tmp.resolve("stolen.txt")).doesNotExist();
    // someone else's file id in a send
    String own = get(carol.client.createRoom("mine", Visibility.PRIVATE, List.of())).room().id();
    assertThatThrownBy(() -> get(carol.client.sendWithFiles(own, "look", List.of(stored.id()))))
        .hasCauseInstanceOf(ChatException.class);
    assertThat(carol.client.outbox().entries()).isEmpty();
  }

  @Test
  void anUploadOverTheServersLimitFailsWithTooLarge() throws Exception {
    LiveServer server = server();
    Peer alice = peer(server.register("alice"));
    String room = get(alice.client.createRoom("big", Visibility.PRIVATE, List.of())).room().id();
    Path big = tmp.resolve("big.bin");
    try (var f = new java.io.RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(26L * 1024 * 1024); // over the default limit of 25 MB
    }

    assertFailsWith(alice.client.upload(room, big), ErrorCode.TOO_LARGE);
  }

  @Test
  void mentionsAndNotificationLevels() throws Exception {
    LiveServer server = server();
    Peer alice = peer(server.register("alice"));
    Peer bob = peer(server.register("bob"));
    Peer bobPhone = peer(ChatClient.builder(server.uri()).login("bob", LiveServer.PASSWORD));
    String room =
        get(alice.client.createRoom("team", Visibility.PRIVATE, List.of("bob"))).room().id();
    await().until(() -> bob.rooms.stream().anyMatch(r -> r.room().room().id().equals(room)));
    String bobId = get(bob.client.session()).user().id();

    get(alice.client.send(room, "@bob have a look"));
    get(alice.client.send(room, "nothing for you"));
    await().until(() -> bob.seqs(room).size() == 2);
    assertThat(bob.messages.get(0).message().mentions()).containsExactly(bobId);
    assertThat(bob.messages.get(1).message().mentions()).isEmpty();
    RoomSummary summary = get(bob.client.room(room));
    assertThat(summary.unread()).isEqualTo(2);
    assertThat(summary.mentions()).isEqualTo(1);
    assertThat(summary.notifyLevel()).isEqualTo(NotifyLevel.ALL);

    RoomSummary muted = get(bob.client.setNotifyLevel(room, NotifyLevel.NONE));
    assertThat(muted.notifyLevel()).isEqualTo(NotifyLevel.NONE);
    await()
        .until(
            () ->
                bobPhone.rooms.stream()
                    .anyMatch(
                        r ->
                            r.room().room().id().equals(room)
                                && r.room().notifyLevel() == NotifyLevel.NONE));
    assertThat(get(bobPhone.client.rooms()))
        .filteredOn(s -> s.room().id().equals(room))
        .extracting(RoomSummary::notifyLevel)
        .containsExactly(NotifyLevel.NONE);
  }
}
