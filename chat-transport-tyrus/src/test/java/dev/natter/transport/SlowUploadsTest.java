package dev.natter.transport;

import static dev.natter.transport.FilesHttpTest.multipart;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.natter.core.store.blob.FileSystemBlobStore;
import dev.natter.transport.TestServer.Account;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uploads from deliberately slow clients on real sockets: one that keeps sending outlasts the idle
 * timeout, one that stops is cut by it, and uploads beyond the limit are refused at once while the
 * workers they leave free keep serving the API.
 */
@Timeout(60)
class SlowUploadsTest {
  private static final String BOUNDARY = "natter-test-boundary";

  @TempDir Path dir;
  private TestServer t;
  private Account alice;
  private String room;

  private void start(long idleMs) throws IOException {
    FileSystemBlobStore blobs = FileSystemBlobStore.open(dir.resolve("files"));
    t =
        TestServer.start(
            e -> e.blobStore(blobs),
            s -> s.httpIdleTimeoutMs(idleMs).workerThreads(4).maxConcurrentUploads(2));
    alice = t.register("alice");
    room = t.createRoom(alice, "general", "private");
  }

  @AfterEach
  void stop() {
    if (t != null) {
      t.close();
    }
  }

  /** An upload over its own socket whose body is sent when and as the test says. */
  private final class SlowUpload implements AutoCloseable {
    private final Socket socket = new Socket();
    private final byte[] body;
    private int sent;

    SlowUpload(int size, long seed) throws IOException {
      byte[] content = new byte[size];
      new Random(seed).nextBytes(content);
      body = multipart("slow-" + seed + ".bin", "application/octet-stream", content);
      socket.connect(new InetSocketAddress("127.0.0.1", t.server.port()), 5_000);
      socket.setSoTimeout(20_000);
      socket
          .getOutputStream()
          .write(
              ("POST /api/rooms/"
                      + room
                      + "/files HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                      + alice.token()
                      + "\r\nContent-Type: multipart/form-data; boundary="
                      + BOUNDARY
                      + "\r\nContent-Length: "
                      + body.length
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
    }

    void send(int n) throws IOException {
      OutputStream out = socket.getOutputStream();
      out.write(body, sent, n);
      out.flush();
      sent += n;
    }

    void sendRest() throws IOException {
      send(body.length - sent);
    }

    int size() {
      return body.length;
    }

    /** The status line and headers of the answer. */
    String answerHead() throws IOException {
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          break;
        }
        head.write(b);
      }
      return head.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  private long temporaryFiles() throws IOException {
    try (Stream<Path> s = Files.list(dir.resolve("files").resolve("tmp"))) {
      return s.count();
    }
  }

  @Test
  void anUploadThatKeepsSendingOutlastsTheIdleTimeout() throws Exception {
    start(1_000);
    try (SlowUpload u = new SlowUpload(30_000, 1)) {
      int piece = u.size() / 12;
      // twelve pieces 400 ms apart: about five times the idle timeout in all, never idle for long
      for (int i = 0; i < 11; i++) {
        u.send(piece);
        Thread.sleep(400);
      }
      u.sendRest();
      assertThat(u.answerHead()).startsWith("HTTP/1.1 201");
    }
    assertThat(t.store.files(null, 10)).hasSize(1);
  }

  @Test
  void anUploadThatStopsSendingIsClosedAfterTheIdleTimeoutAndLeavesNothing() throws Exception {
    start(1_000);
    try (SlowUpload u = new SlowUpload(30_000, 2)) {
      u.send(5_000);
      await().atMost(Duration.ofSeconds(10)).until(() -> t.server.uploadsInProgress() == 1);
      // no more bytes: the server gives up on it (an answer or the connection closed), well
      // before the socket's own 20 s read timeout
      try {
        String head = u.answerHead();
        assertThat(head).doesNotStartWith("HTTP/1.1 201");
      } catch (SocketTimeoutException e) {
        throw new AssertionError("the stalled upload was never cut", e);
      } catch (IOException reset) {
        // closed by the server: what is expected
      }
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> t.server.uploadsInProgress() == 0);
    await().atMost(Duration.ofSeconds(10)).until(() -> temporaryFiles() == 0);
    assertThat(t.store.files(null, 10)).isEmpty();
  }

  @Test
  void uploadsBeyondTheLimitGet429AtOnceAndTheApiStaysResponsive() throws Exception {
    start(30_000);
    try (SlowUpload a = new SlowUpload(30_000, 3);
        SlowUpload b = new SlowUpload(30_000, 4)) {
      a.send(1_000);
      b.send(1_000);
      await().atMost(Duration.ofSeconds(10)).until(() -> t.server.uploadsInProgress() == 2);

      HttpResponse<String> third =
          t.send(
              HttpRequest.newBuilder(t.uri("/api/rooms/" + room + "/files"))
                  .header("Authorization", "Bearer " + alice.token())
                  .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                  .POST(
                      HttpRequest.BodyPublishers.ofByteArray(
                          multipart("third.txt", "text/plain", "third".getBytes()))));
      TestServer.assertError(third, 429, "rate_limited");
      assertThat(third.headers().firstValue("Retry-After")).contains("5");
      // the two workers the uploads hold leave the others to the API
      assertThat(t.get("/api/me", alice.token()).statusCode()).isEqualTo(200);

      a.sendRest();
      b.sendRest();
      assertThat(a.answerHead()).startsWith("HTTP/1.1 201");
      assertThat(b.answerHead()).startsWith("HTTP/1.1 201");
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> t.server.uploadsInProgress() == 0);
    HttpResponse<String> later =
        t.send(
            HttpRequest.newBuilder(t.uri("/api/rooms/" + room + "/files"))
                .header("Authorization", "Bearer " + alice.token())
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(
                    HttpRequest.BodyPublishers.ofByteArray(
                        multipart("later.txt", "text/plain", "later".getBytes()))));
    assertThat(later.statusCode()).as(later.body()).isEqualTo(201);
  }
}
