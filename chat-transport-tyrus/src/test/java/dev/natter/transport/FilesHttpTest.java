package dev.natter.transport;

import static dev.natter.transport.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.natter.core.spi.Clock;
import dev.natter.core.store.blob.FileSystemBlobStore;
import dev.natter.core.testing.PngBomb;
import dev.natter.transport.TestServer.Account;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The file endpoints against a real server on port 0, with blobs in a temporary directory. */
@Timeout(60)
class FilesHttpTest {
  private static final long LIMIT = 256 * 1024;
  static final String BOUNDARY = "natter-test-boundary";

  @TempDir Path dir;
  private final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());
  private TestServer t;
  private Account alice;
  private Account bob;
  private Account eve;
  private String room;

  @BeforeEach
  void start() throws IOException {
    FileSystemBlobStore blobs = FileSystemBlobStore.open(dir.resolve("files"));
    Clock clock =
        new Clock() {
          @Override
          public Instant now() {
            return now.get();
          }

          @Override
          public long nanoTime() {
            return System.nanoTime();
          }
        };
    t = TestServer.start(e -> e.blobStore(blobs).clock(clock), s -> s.maxUploadBytes(LIMIT));
    alice = t.register("alice");
    bob = t.register("bob");
    eve = t.register("eve");
    room = t.createRoom(alice, "general", "private", "bob");
  }

  @AfterEach
  void stop() {
    t.close();
  }

  // ---- helpers

  static byte[] multipart(String filename, String claimedType, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String head =
        "--"
            + BOUNDARY
            + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
            + filename
            + "\"\r\nContent-Type: "
            + claimedType
            + "\r\n\r\n";
    out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
    out.writeBytes(content);
    out.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  private HttpResponse<String> upload(
      Account who, String roomId, String name, String type, byte[] b) {
    return t.send(
        HttpRequest.newBuilder(t.uri("/api/rooms/" + roomId + "/files"))
            .header("Authorization", "Bearer " + who.token())
            .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
            .POST(HttpRequest.BodyPublishers.ofByteArray(multipart(name, type, b))));
  }

  private JsonNode uploaded(Account who, String name, String type, byte[] bytes) {
    HttpResponse<String> r = upload(who, room, name, type, bytes);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return json(r);
  }

  private HttpResponse<byte[]> get(String path, Account who, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(t.uri(path)).timeout(Duration.ofSeconds(10));
    if (who != null) {
      b.header("Authorization", "Bearer " + who.token());
    }
    if (headers.length > 0) {
      b.headers(headers);
    }
    try {
      return t.http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static byte[] png(int width, int height) throws IOException {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    img.setRGB(1, 1, 0xFF00FF);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }

  private String header(HttpResponse<?> r, String name) {
    return r.headers().firstValue(name).orElse(null);
  }

  /** Sends {@code send} with files over a WebSocket and returns the answer (ack or error). */
  private JsonNode sendWithFiles(
      Ws ws, String roomId, String clientMsgId, String body, String... ids) {
    StringBuilder list = new StringBuilder();
    for (String id : ids) {
      list.append(list.length() == 0 ? "" : ",").append('"').append(id).append('"');
    }
    ws.send(
        "{\"type\":\"send\",\"id\":\""
            + clientMsgId
            + "\",\"room\":\""
            + roomId
            + "\",\"clientMsgId\":\""
            + clientMsgId
            + "\",\"body\":\""
            + body
            + "\",\"files\":["
            + list
            + "]}");
    return ws.next(
        null,
        n ->
            clientMsgId.equals(n.path("id").asText())
                && (n.path("type").asText().equals("ack")
                    || n.path("type").asText().equals("error")));
  }

  private long countFiles(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).count();
    }
  }

  private void assertNothingStored() throws IOException {
    assertThat(countFiles(dir.resolve("files"))).as("blobs and temporary files").isZero();
    assertThat(t.store.files(null, 10)).as("file metadata").isEmpty();
  }

  // ---- the whole way

  @Test
  void anImageTravelsFromUploadThroughSendHistoryAndSearchToDownload() throws Exception {
    byte[] png = png(640, 320);
    JsonNode file = uploaded(alice, "holiday.html", "text/html", png);
    assertThat(file.path("type").asText()).isEqualTo("image/png");
    assertThat(file.path("name").asText()).isEqualTo("holiday.html");
    assertThat(file.path("size").asLong()).isEqualTo(png.length);
    assertThat(file.path("width").asInt()).isEqualTo(640);
    assertThat(file.path("height").asInt()).isEqualTo(320);
    String id = file.path("id").asText();

    Ws a = t.connect(alice);
    Ws b = t.connect(bob);
    JsonNode ack = sendWithFiles(a, room, "c-1", "look at this", id);
    assertThat(ack.path("type").asText()).as(ack.toString()).isEqualTo("ack");
    JsonNode event = b.next("message");
    assertThat(event.path("files").get(0)).isEqualTo(file);

    JsonNode history = json(t.get("/api/rooms/" + room + "/messages", bob.token()));
    assertThat(history.path("messages").get(0).path("files").get(0)).isEqualTo(file);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(json(t.get("/api/search?q=look", bob.token())).get(0).path("files"))
                    .containsExactly(file));

    HttpResponse<byte[]> d = get("/api/files/" + id, bob);
    assertThat(d.statusCode()).isEqualTo(200);
    assertThat(d.body()).isEqualTo(png);
    assertThat(header(d, "Content-Type")).isEqualTo("image/png");
    assertThat(header(d, "Content-Disposition"))
        .startsWith("inline;")
        .contains("filename*=UTF-8''holiday.html");
    assertThat(header(d, "X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(header(d, "Content-Security-Policy"))
        .contains("sandbox")
        .contains("default-src 'none'");
    assertThat(header(d, "Cache-Control")).startsWith("private");

    HttpResponse<byte[]> thumb = get("/api/files/" + id + "/thumbnail", bob);
    assertThat(thumb.statusCode()).isEqualTo(200);
    assertThat(header(thumb, "Content-Type")).isEqualTo("image/png");
    BufferedImage small = ImageIO.read(new java.io.ByteArrayInputStream(thumb.body()));
    assertThat(small.getWidth()).isEqualTo(320);
    assertThat(small.getHeight()).isEqualTo(160);
    assertThat(header(thumb, "Content-Security-Policy")).contains("sandbox");
  }

  // ---- who may

  @Test
  void outsidersCannotUploadAndGetTheSame404AsForAnUnknownFile() throws Exception {
    HttpResponse<String> refused = upload(eve, room, "x.txt", "text/plain", "x".getBytes());
    TestServer.assertError(refused, 403, "forbidden");
    TestServer.assertError(
        upload(eve, "no-room", "x.txt", "text/plain", "x".getBytes()), 404, "not_found");

    String id = uploaded(alice, "a.txt", "text/plain", "secret".getBytes()).path("id").asText();
    Ws a = t.connect(alice);
    assertThat(sendWithFiles(a, room, "c-1", "", id).path("type").asText()).isEqualTo("ack");

    HttpResponse<byte[]> outsider = get("/api/files/" + id, eve);
    HttpResponse<byte[]> unknown = get("/api/files/nope", eve);
    assertThat(outsider.statusCode()).isEqualTo(404);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(new String(outsider.body(), StandardCharsets.UTF_8))
        .isEqualTo(new String(unknown.body(), StandardCharsets.UTF_8).replace("nope", id));
    assertThat(get("/api/files/" + id + "/thumbnail", eve).statusCode()).isEqualTo(404);
    assertThat(get("/api/files/" + id, null).statusCode()).isEqualTo(401);
    assertThat(get("/api/files/" + id, bob).statusCode()).isEqualTo(200);
  }

  @Test
  void aSendWithSomeoneElsesAnotherRoomsOrAnAlreadySentFileIsRefusedAndStoresNothing() {
    String other = t.createRoom(alice, "other", "private", "bob");
    String bobs = uploaded(bob, "b.txt", "text/plain", "b".getBytes()).path("id").asText();
    HttpResponse<String> r = upload(alice, other, "o.txt", "text/plain", "o".getBytes());
    String elsewhere = json(r).path("id").asText();
    String mine = uploaded(alice, "m.txt", "text/plain", "m".getBytes()).path("id").asText();
    Ws a = t.connect(alice);
    assertThat(sendWithFiles(a, room, "c-0", "", mine).path("type").asText()).isEqualTo("ack");

    JsonNode foreign = sendWithFiles(a, room, "c-1", "x", bobs);
    JsonNode otherRoom = sendWithFiles(a, room, "c-2", "x", elsewhere);
    JsonNode again = sendWithFiles(a, room, "c-3", "x", mine);
    JsonNode noBody = sendWithFiles(a, room, "c-4", "");

    assertThat(foreign.path("code").asText()).isEqualTo("not_found");
    assertThat(foreign.path("message").asText()).contains(bobs);
    assertThat(otherRoom.path("code").asText()).isEqualTo("not_found");
    assertThat(again.path("code").asText()).isEqualTo("bad_request");
    assertThat(again.path("message").asText()).contains("already sent");
    assertThat(noBody.path("code").asText()).isEqualTo("bad_request");
    JsonNode history = json(t.get("/api/rooms/" + room + "/messages", alice.token()));
    assertThat(history.path("messages")).hasSize(1);
    // the first send again (a lost ack): the original, not an error
    assertThat(sendWithFiles(a, room, "c-0", "", mine).path("seq").asLong()).isEqualTo(1);
  }

  @Test
  void cookieOnlyUploadsNeedAnAllowedOrigin() {
    byte[] body = multipart("a.txt", "text/plain", "a".getBytes());
    HttpRequest.Builder noOrigin =
        HttpRequest.newBuilder(t.uri("/api/rooms/" + room + "/files"))
            .header("Cookie", "natter_session=" + alice.token())
            .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    TestServer.assertError(t.send(noOrigin), 403, "forbidden");
    HttpResponse<String> foreign = t.send(noOrigin.copy().header("Origin", "https://evil.example"));
    TestServer.assertError(foreign, 403, "forbidden");
    assertThat(t.send(noOrigin.copy().header("Origin", t.origin())).statusCode()).isEqualTo(201);
  }

  // ---- sizes and interruptions

  @Test
  void anUploadOverTheLimitByContentLengthIsRefusedBeforeItsBodyIsSent() throws Exception {
    RawHttp r =
        RawHttp.exchange(
            t.server.port(),
            "POST /api/rooms/"
                + room
                + "/files HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Bearer "
                + alice.token()
                + "\r\n"
                + "Content-Type: multipart/form-data; boundary="
                + BOUNDARY
                + "\r\n"
                + "Content-Length: "
                + (100L * 1024 * 1024)
                + "\r\n\r\n");

    assertThat(r.status()).isEqualTo(413);
    assertThat(json(r.body()).path("error").path("code").asText()).isEqualTo("too_large");
    assertNothingStored();
  }

  @Test
  void anUploadThatExpectsContinueGetsThe413InsteadOfA100WhenItIsTooLarge() throws Exception {
    String head =
        "POST /api/rooms/"
            + room
            + "/files HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "Authorization: Bearer "
            + alice.token()
            + "\r\nContent-Type: multipart/form-data; boundary="
            + BOUNDARY
            + "\r\nExpect: 100-continue\r\nContent-Length: ";

    assertThat(firstStatusLine(head + (100L * 1024 * 1024) + "\r\n\r\n"))
        .isEqualTo("HTTP/1.1 413 Request Entity Too Large");
    assertThat(firstStatusLine(head + 1_000 + "\r\n\r\n")).isEqualTo("HTTP/1.1 100 Continue");
    assertNothingStored();
  }

  /** Sends a request head alone and reads the first line the server answers. */
  private String firstStatusLine(String head) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", t.server.port()), 5_000);
      s.setSoTimeout(10_000);
      s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      StringBuilder line = new StringBuilder();
      for (int c = in.read(); c != -1 && c != '\r'; c = in.read()) {
        line.append((char) c);
      }
      return line.toString();
    }
  }

  @Test
  void anUploadOverTheLimitMidStreamIsRefusedAndLeavesNothingBehind() throws Exception {
    byte[] big = new byte[(int) LIMIT + 10_000];
    java.util.Arrays.fill(big, (byte) 'a');
    byte[] body = multipart("big.txt", "text/plain", big);
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", t.server.port()), 5_000);
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(
          ("POST /api/rooms/"
                  + room
                  + "/files HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  + "Authorization: Bearer "
                  + alice.token()
                  + "\r\n"
                  + "Content-Type: multipart/form-data; boundary="
                  + BOUNDARY
                  + "\r\n"
                  + "Transfer-Encoding: chunked\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      Thread writer =
          new Thread(
              () -> {
                try {
                  for (int i = 0; i < body.length; i += 8192) {
                    int n = Math.min(8192, body.length - i);
                    out.write(
                        (Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(body, i, n);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                  }
                  out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException closed) {
                  // the server answered and closed: expected
                }
              });
      writer.start();
      String answer = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
      assertThat(answer).isEqualTo("HTTP/1.1 413");
      writer.join(10_000);
    }
    await().atMost(Duration.ofSeconds(10)).untilAsserted(this::assertNothingStored);
  }

  @Test
  void anInterruptedUploadLeavesNothingBehind() throws Exception {
    byte[] body = multipart("half.bin", "application/octet-stream", new byte[100_000]);
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", t.server.port()), 5_000);
      OutputStream out = s.getOutputStream();
      out.write(
          ("POST /api/rooms/"
                  + room
                  + "/files HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  + "Authorization: Bearer "
                  + alice.token()
                  + "\r\n"
                  + "Content-Type: multipart/form-data; boundary="
                  + BOUNDARY
                  + "\r\n"
                  + "Content-Length: "
                  + body.length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(body, 0, 50_000);
      out.flush();
      // the server is receiving: its temporary file exists
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> countFiles(dir.resolve("files").resolve("tmp")) == 1);
    } // closed half way
    await().atMost(Duration.ofSeconds(10)).untilAsserted(this::assertNothingStored);
  }

  @Test
  void anEmptyFileIsRefused() throws Exception {
    TestServer.assertError(
        upload(alice, room, "empty.txt", "text/plain", new byte[0]), 400, "bad_request");
    assertNothingStored();
  }

  // ---- what the bytes are, not what they claim

  @Test
  void htmlClaimedAsAPngIsServedAsTextAndAsAnAttachment() {
    byte[] html = "<html><script>alert(1)</script></html>".getBytes(StandardCharsets.UTF_8);
    JsonNode file = uploaded(alice, "cat.png", "image/png", html);
    assertThat(file.path("type").asText()).isEqualTo("text/plain");
    assertThat(file.has("width")).isFalse();

    HttpResponse<byte[]> d = get("/api/files/" + file.path("id").asText(), alice);
    assertThat(header(d, "Content-Type")).isEqualTo("text/plain; charset=utf-8");
    assertThat(header(d, "Content-Disposition")).startsWith("attachment;");
    assertThat(header(d, "X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(get("/api/files/" + file.path("id").asText() + "/thumbnail", alice).statusCode())
        .isEqualTo(404);
  }

  @Test
  void anSvgWithAScriptIsNeverInlineAndIsSandboxed() {
    byte[] svg =
        ("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(document.cookie)</script>"
                + "<circle r=\"10\"/></svg>")
            .getBytes(StandardCharsets.UTF_8);
    JsonNode file = uploaded(alice, "logo.svg", "image/svg+xml", svg);
    assertThat(file.path("type").asText()).isNotEqualTo("image/svg+xml");

    HttpResponse<byte[]> d = get("/api/files/" + file.path("id").asText(), alice);
    assertThat(header(d, "Content-Type")).doesNotContain("svg");
    assertThat(header(d, "Content-Disposition")).startsWith("attachment;");
    assertThat(header(d, "Content-Security-Policy")).isEqualTo("sandbox; default-src 'none'");
  }

  @Test
  void aDecompressionBombIsStoredButNeverDecodedNorShownInline() throws Exception {
    JsonNode file = uploaded(alice, "bomb.png", "image/png", PngBomb.declaring(50_000, 50_000));

    assertThat(file.path("type").asText()).isEqualTo("image/png");
    assertThat(file.path("width").asInt()).isEqualTo(50_000);
    String id = file.path("id").asText();
    assertThat(get("/api/files/" + id + "/thumbnail", alice).statusCode()).isEqualTo(404);
    assertThat(header(get("/api/files/" + id, alice), "Content-Disposition"))
        .startsWith("attachment;");
  }

  // ---- ranges and validators

  @Test
  void rangesAndETags() {
    byte[] text = "0123456789abcdefghij".getBytes(StandardCharsets.US_ASCII);
    String id = uploaded(alice, "digits.txt", "text/plain", text).path("id").asText();
    String path = "/api/files/" + id;

    HttpResponse<byte[]> whole = get(path, alice);
    String etag = header(whole, "ETag");
    assertThat(etag).matches("\"[0-9a-f]{64}\"");
    assertThat(header(whole, "Accept-Ranges")).isEqualTo("bytes");

    HttpResponse<byte[]> first = get(path, alice, "Range", "bytes=0-9");
    assertThat(first.statusCode()).isEqualTo(206);
    assertThat(first.body()).isEqualTo("0123456789".getBytes(StandardCharsets.US_ASCII));
    assertThat(header(first, "Content-Range")).isEqualTo("bytes 0-9/20");

    HttpResponse<byte[]> tail = get(path, alice, "Range", "bytes=-5");
    assertThat(new String(tail.body(), StandardCharsets.US_ASCII)).isEqualTo("fghij");
    HttpResponse<byte[]> open = get(path, alice, "Range", "bytes=15-");
    assertThat(new String(open.body(), StandardCharsets.US_ASCII)).isEqualTo("fghij");

    HttpResponse<byte[]> beyond = get(path, alice, "Range", "bytes=20-");
    assertThat(beyond.statusCode()).isEqualTo(416);
    assertThat(header(beyond, "Content-Range")).isEqualTo("bytes */20");

    HttpResponse<byte[]> cached = get(path, alice, "If-None-Match", etag);
    assertThat(cached.statusCode()).isEqualTo(304);
    assertThat(cached.body()).isEmpty();
    assertThat(get(path, alice, "If-None-Match", "\"other\"").statusCode()).isEqualTo(200);
    HttpResponse<byte[]> staleRange = get(path, alice, "Range", "bytes=0-1", "If-Range", "\"old\"");
    assertThat(staleRange.statusCode()).isEqualTo(200);
    assertThat(staleRange.body()).hasSize(20);
  }

  // ---- removal

  @Test
  void deletingTheMessageHidesItsFilesFromEveryone() throws Exception {
    String id = uploaded(alice, "pic.png", "image/png", png(50, 50)).path("id").asText();
    Ws a = t.connect(alice);
    JsonNode ack = sendWithFiles(a, room, "c-1", "", id);
    a.send(
        "{\"type\":\"delete\",\"id\":\"d\",\"room\":\""
            + room
            + "\",\"messageId\":\""
            + ack.path("messageId").asText()
            + "\"}");
    a.next("ok");

    assertThat(get("/api/files/" + id, bob).statusCode()).isEqualTo(404);
    assertThat(get("/api/files/" + id, alice).statusCode()).isEqualTo(404);
    assertThat(get("/api/files/" + id + "/thumbnail", alice).statusCode()).isEqualTo(404);
    assertNothingStored();
  }

  @Test
  void uploadsNeverSentAreRemovedAfterADay() throws Exception {
    String stale = uploaded(alice, "stale.txt", "text/plain", "s".getBytes()).path("id").asText();
    String sent = uploaded(alice, "sent.txt", "text/plain", "t".getBytes()).path("id").asText();
    Ws a = t.connect(alice);
    sendWithFiles(a, room, "c-1", "", sent);

    now.set(now.get().plus(Duration.ofHours(23)));
    assertThat(t.engine.removeStaleUploads()).isZero();
    now.set(now.get().plus(Duration.ofHours(2)));
    assertThat(t.engine.removeStaleUploads()).isEqualTo(1);

    assertThat(get("/api/files/" + stale, alice).statusCode()).isEqualTo(404);
    assertThat(get("/api/files/" + sent, bob).statusCode()).isEqualTo(200);
    assertThat(countFiles(dir.resolve("files"))).isEqualTo(1);
  }

  static void drain(InputStream in) throws IOException {
    in.transferTo(OutputStream.nullOutputStream());
  }
}
