package dev.natter.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.natter.core.AuthResult;
import dev.natter.core.FileDownload;
import dev.natter.core.model.FileInfo;
import dev.natter.core.model.Message;
import dev.natter.core.model.User;
import dev.natter.core.protocol.ErrorCode;
import dev.natter.core.testing.PngBomb;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Uploads, sends with files, downloads, thumbnails and the cleaner, through the engine. */
class FilesTest {
  private static final long MAX = 1024 * 1024;

  private Fixture fx;
  private User alice;
  private User bob;
  private User eve;
  private String room;

  @BeforeEach
  void setUp() {
    fx = Fixture.start();
    AuthResult a = fx.register("alice");
    AuthResult b = fx.register("bob");
    AuthResult e = fx.register("eve");
    alice = a.user();
    bob = b.user();
    eve = e.user();
    room = fx.group(a, "general", b).room().id();
  }

  @AfterEach
  void tearDown() {
    fx.close();
  }

  private FileInfo upload(User who, String roomId, String name, byte[] bytes) throws IOException {
    return fx.engine.uploadFile(who, roomId, name, new ByteArrayInputStream(bytes), MAX);
  }

  static byte[] png(int width, int height) throws IOException {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
    img.setRGB(0, 0, 0xFFFF0000);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }

  private static byte[] read(FileDownload d) throws IOException {
    try (InputStream in = d.body().open(0)) {
      return in.readAllBytes();
    }
  }

  @Test
  void anUploadSentWithAMessageReachesHistoryAndMembersCanDownloadIt() throws Exception {
    byte[] text = "hello\n".getBytes(StandardCharsets.UTF_8);
    FileInfo f = upload(alice, room, "../../etc/notes.txt", text);

    assertThat(f.name()).isEqualTo("notes.txt");
    assertThat(f.type()).isEqualTo("text/plain");
    assertThat(f.size()).isEqualTo(text.length);

    Message m = fx.engine.send(alice, room, "c-1", "", null, List.of(f.id())).join();

    assertThat(m.files()).containsExactly(f);
    assertThat(fx.engine.messages(bob, room, null, null, null).messages().get(0).files())
        .containsExactly(f);
    FileDownload d = fx.engine.downloadFile(bob, f.id());
    assertThat(read(d)).isEqualTo(text);
    assertThat(d.inline()).isFalse();
    Fixture.assertFails(ErrorCode.NOT_FOUND, () -> fx.engine.downloadFile(eve, f.id()));
  }

  @Test
  void anUnsentUploadIsOnlyTheUploaders() throws Exception {
    FileInfo f = upload(alice, room, "a.txt", "a".getBytes(StandardCharsets.UTF_8));

    assertThat(read(fx.engine.downloadFile(alice, f.id()))).containsExactly('a');
    Fixture.assertFails(ErrorCode.NOT_FOUND, () -> fx.engine.downloadFile(bob, f.id()));
  }

  @Test
  void outsidersCannotUploadAndEmptyFilesAreRefused() {
    Fixture.assertFails(ErrorCode.FORBIDDEN, () -> upload(eve, room, "x.txt", new byte[] {'x'}));
    Fixture.assertFails(ErrorCode.NOT_FOUND, () -> upload(alice, "nope", "x.txt", new byte[] {1}));
    Fixture.assertFails(ErrorCode.BAD_REQUEST, () -> upload(alice, room, "x.txt", new byte[0]));
    Fixture.assertFails(
        ErrorCode.TOO_LARGE,
        () ->
            fx.engine.uploadFile(
                alice, room, "big", new ByteArrayInputStream(new byte[2048]), 1024));
  }

  /** Asserts that a send fails (its future) with this code. */
  private static void sendFails(ErrorCode code, java.util.function.Supplier<?> send) {
    Fixture.assertFails(
        code,
        () -> {
          try {
            send.get();
          } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause();
          }
        });
  }

  @Test
  void aSendWithAFileThatIsNotMyPendingUploadHereFailsAndStoresNothing() throws Exception {
    String other = fx.group(fx.login(fx.register("carol")), "other").room().id();
    fx.engine.invite(fx.engine.user("carol"), other, "alice");
    FileInfo bobs = upload(bob, room, "b.txt", new byte[] {'b'});
    FileInfo elsewhere = upload(alice, other, "o.txt", new byte[] {'o'});
    FileInfo sent = upload(alice, room, "s.txt", new byte[] {'s'});
    fx.engine.send(alice, room, "c-0", "first", null, List.of(sent.id())).join();

    for (FileInfo refused : List.of(bobs, elsewhere)) {
      sendFails(
          ErrorCode.NOT_FOUND,
          () ->
              fx.engine
                  .send(alice, room, "c-" + refused.id(), "x", null, List.of(refused.id()))
                  .join());
    }
    sendFails(
        ErrorCode.NOT_FOUND,
        () -> fx.engine.send(alice, room, "c-u", "x", null, List.of("unknown")).join());
    sendFails(
        ErrorCode.BAD_REQUEST,
        () -> fx.engine.send(alice, room, "c-again", "x", null, List.of(sent.id())).join());

    assertThat(fx.engine.messages(alice, room, null, null, null).messages()).hasSize(1);
    // the original send, again: the original message, not an error
    Message again = fx.engine.send(alice, room, "c-0", "first", null, List.of(sent.id())).join();
    assertThat(again.seq()).isEqualTo(1);
  }

  @Test
  void deletingTheMessageHidesItsFilesAndFreesTheirBlobs() throws Exception {
    FileInfo f = upload(alice, room, "pic.png", png(10, 10));
    Message m = fx.engine.send(alice, room, "c-1", "", null, List.of(f.id())).join();

    fx.engine.delete(alice, room, m.messageId());

    Fixture.assertFails(ErrorCode.NOT_FOUND, () -> fx.engine.downloadFile(bob, f.id()));
    Fixture.assertFails(ErrorCode.NOT_FOUND, () -> fx.engine.thumbnail(alice, f.id()));
    assertThat(fx.engine.messages(bob, room, null, null, null).messages().get(0).files()).isEmpty();
  }

  @Test
  void imagesGetDimensionsAndAThumbnailWithinBounds() throws Exception {
    FileInfo f = upload(alice, room, "claims.html", png(1000, 500));

    assertThat(f.type()).isEqualTo("image/png");
    assertThat(f.width()).isEqualTo(1000);
    assertThat(f.height()).isEqualTo(500);
    FileDownload thumb = fx.engine.thumbnail(alice, f.id());
    BufferedImage t = ImageIO.read(new ByteArrayInputStream(read(thumb)));
    assertThat(t.getWidth()).isEqualTo(320);
    assertThat(t.getHeight()).isEqualTo(160);
    assertThat(fx.engine.downloadFile(alice, f.id()).inline()).isTrue();
  }

  @Test
  void aDecompressionBombIsStoredButNeverDecoded() throws Exception {
    byte[] bomb = PngBomb.declaring(50_000, 50_000);

    FileInfo f = upload(alice, room, "bomb.png", bomb);

    assertThat(f.type()).isEqualTo("image/png");
    assertThat(f.width()).isEqualTo(50_000);
    Fixture.assertFails(ErrorCode.NOT_FOUND, () -> fx.engine.thumbnail(alice, f.id()));
    assertThat(fx.engine.downloadFile(alice, f.id()).inline()).isFalse();
  }

  @Test
  void uploadsNotSentWithinADayAreRemoved() throws Exception {
    FileInfo stale = upload(alice, room, "stale.txt", new byte[] {'s'});
    FileInfo sent = upload(alice, room, "sent.txt", new byte[] {'t'});
    fx.engine.send(alice, room, "c-1", "", null, List.of(sent.id())).join();
    fx.clock.advance(Duration.ofHours(23));
    FileInfo young = upload(alice, room, "young.txt", new byte[] {'y'});

    assertThat(fx.engine.removeStaleUploads()).isZero();
    fx.clock.advance(Duration.ofHours(2));
    assertThat(fx.engine.removeStaleUploads()).isEqualTo(1);

    Fixture.assertFails(ErrorCode.NOT_FOUND, () -> fx.engine.downloadFile(alice, stale.id()));
    assertThat(read(fx.engine.downloadFile(bob, sent.id()))).containsExactly('t');
    assertThat(read(fx.engine.downloadFile(alice, young.id()))).containsExactly('y');
  }
}
