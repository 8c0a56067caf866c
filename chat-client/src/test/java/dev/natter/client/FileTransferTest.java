package dev.natter.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.natter.codec.JsonCodec;
import dev.natter.core.ChatException;
import dev.natter.core.model.FileInfo;
import dev.natter.core.protocol.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wire side of uploads and downloads, against a JDK HTTP server that records what it gets: the
 * multipart body byte for byte, the progress reports, the file name from {@code
 * Content-Disposition}, and what a refused or broken download leaves behind.
 */
@Timeout(30)
class FileTransferTest {
  private static final String TOKEN = "t".repeat(43);
  @TempDir Path tmp;
  private HttpServer stub;
  private ChatClient client;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private volatile byte[] lastBody;
  private volatile String lastContentType;

  @BeforeEach
  void start() throws IOException {
    stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    stub.start();
    client =
        ChatClient.builder(URI.create("http://127.0.0.1:" + stub.getAddress().getPort()))
            .token(TOKEN)
            .build();
  }

  @AfterEach
  void stop() {
    client.close();
    stub.stop(0);
  }

  private static byte[] randomBytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static void answer(HttpExchange ex, int status, String contentType, byte[] body)
      throws IOException {
    ex.getResponseHeaders().set("Content-Type", contentType);
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    ex.getResponseBody().write(body);
    ex.close();
  }

  @Test
  void anUploadIsOneMultipartFileFieldStreamedWithProgress() throws Exception {
    byte[] content = randomBytes(3 * 1024 * 1024 + 17, 1);
    Path file = tmp.resolve("report \"final\".pdf");
    Files.write(file, content);
    stub.createContext(
        "/api/rooms/r1/files",
        ex -> {
          requests.add(
              ex.getRequestMethod()
                  + " "
                  + ex.getRequestURI().getPath()
                  + " "
                  + ex.getRequestHeaders().getFirst("Authorization"));
          lastContentType = ex.getRequestHeaders().getFirst("Content-Type");
          lastBody = ex.getRequestBody().readAllBytes();
          FileInfo stored =
              new FileInfo("f1", "report %22final%22.pdf", "application/pdf", 0, null, null);
          answer(
              ex,
              201,
              "application/json",
              JsonCodec.shared().encodeFile(stored).getBytes(StandardCharsets.UTF_8));
        });
    List<long[]> progress = new CopyOnWriteArrayList<>();
    List<Boolean> onEventThread = new CopyOnWriteArrayList<>();

    FileInfo answer =
        client
            .upload(
                "r1",
                file,
                (bytes, total) -> {
                  progress.add(new long[] {bytes, total});
                  onEventThread.add(Thread.currentThread().getName().equals("natter-client"));
                })
            .get(20, TimeUnit.SECONDS);

    assertThat(answer.id()).isEqualTo("f1");
    assertThat(requests).containsExactly("POST /api/rooms/r1/files Bearer " + TOKEN);
    Matcher boundary =
        Pattern.compile("multipart/form-data; boundary=(\\S+)").matcher(lastContentType);
    assertThat(boundary.matches()).as(lastContentType).isTrue();
    String b = boundary.group(1);
    byte[] head =
        ("--"
                + b
                + "\r\nContent-Disposition: form-data; name=\"file\";"
                + " filename=\"report %22final%22.pdf\"\r\nContent-Type: ")
            .getBytes(StandardCharsets.UTF_8);
    byte[] tail = ("\r\n--" + b + "--\r\n").getBytes(StandardCharsets.UTF_8);
    assertThat(Arrays.copyOf(lastBody, head.length)).isEqualTo(head);
    int bodyStart = indexOf(lastBody, "\r\n\r\n".getBytes(StandardCharsets.UTF_8)) + 4;
    assertThat(Arrays.copyOfRange(lastBody, bodyStart, bodyStart + content.length))
        .isEqualTo(content);
    assertThat(Arrays.copyOfRange(lastBody, bodyStart + content.length, lastBody.length))
        .isEqualTo(tail);

    assertThat(progress.get(0)).containsExactly(0, content.length);
    assertThat(progress.get(progress.size() - 1)).containsExactly(content.length, content.length);
    assertThat(progress.size()).isGreaterThan(2); // reported as it goes, not once at the end
    for (int i = 1; i < progress.size(); i++) {
      assertThat(progress.get(i)[0]).isGreaterThanOrEqualTo(progress.get(i - 1)[0]);
    }
    assertThat(onEventThread).containsOnly(true);
  }

  @Test
  void aRefusedUploadFailsWithTheServersError() throws Exception {
    Path file = tmp.resolve("big.bin");
    Files.write(file, randomBytes(1000, 2));
    stub.createContext(
        "/api/rooms/r1/files",
        ex -> {
          ex.getRequestBody().readAllBytes();
          answer(
              ex,
              413,
              "application/json",
              JsonCodec.shared()
                  .encodeError(ErrorCode.TOO_LARGE, "at most 25 MB")
                  .getBytes(StandardCharsets.UTF_8));
        });
    assertFails(client.upload("r1", file), ErrorCode.TOO_LARGE);
    assertThatThrownBy(() -> client.upload("r1", tmp.resolve("missing")).get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(IOException.class);
  }

  @Test
  void aDownloadStreamsToAPathNamedByContentDispositionAndNeverOverwrites() throws Exception {
    byte[] content = randomBytes(2 * 1024 * 1024 + 5, 3);
    stub.createContext(
        "/api/files/f1",
        ex -> {
          requests.add(ex.getRequestHeaders().getFirst("Authorization"));
          ex.getResponseHeaders()
              .set(
                  "Content-Disposition",
                  "attachment; filename=\"r_sum_.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf");
          answer(ex, 200, "application/pdf", content);
        });
    Path target = tmp.resolve("out.pdf");
    List<long[]> progress = new CopyOnWriteArrayList<>();

    FileInfo got =
        client
            .download("f1", target, (bytes, total) -> progress.add(new long[] {bytes, total}))
            .get(20, TimeUnit.SECONDS);

    assertThat(Files.readAllBytes(target)).isEqualTo(content);
    assertThat(got)
        .isEqualTo(new FileInfo("f1", "résumé.pdf", "application/pdf", content.length, null, null));
    assertThat(requests).containsExactly("Bearer " + TOKEN);
    assertThat(progress.get(0)).containsExactly(0, content.length);
    assertThat(progress.get(progress.size() - 1)).containsExactly(content.length, content.length);

    // the target exists now: refused before any request, the file untouched
    assertThatThrownBy(
            () -> client.download("f1", target, TransferProgress.NONE).get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(FileAlreadyExistsException.class);
    assertThat(requests).hasSize(1);
    assertThat(Files.readAllBytes(target)).isEqualTo(content);

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(client.download("f1", out, TransferProgress.NONE).get(20, TimeUnit.SECONDS).size())
        .isEqualTo(content.length);
    assertThat(out.toByteArray()).isEqualTo(content);
  }

  @Test
  void aRefusedOrBrokenDownloadLeavesNoFile() throws Exception {
    stub.createContext(
        "/api/files/nope",
        ex ->
            answer(
                ex,
                404,
                "application/json",
                JsonCodec.shared()
                    .encodeError(ErrorCode.NOT_FOUND, "no such file")
                    .getBytes(StandardCharsets.UTF_8)));
    stub.createContext(
        "/api/files/cut",
        ex -> {
          ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
          ex.sendResponseHeaders(200, 1_000_000);
          OutputStream body = ex.getResponseBody();
          body.write(new byte[100_000]);
          body.flush();
          throw new IOException("cut"); // the connection breaks before the announced length
        });
    Path missing = tmp.resolve("missing.bin");
    assertFails(client.download("nope", missing, TransferProgress.NONE), ErrorCode.NOT_FOUND);
    assertThat(missing).doesNotExist();

    Path cut = tmp.resolve("cut.bin");
    assertThatThrownBy(
            () -> client.download("cut", cut, TransferProgress.NONE).get(20, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(IOException.class);
    assertThat(cut).doesNotExist();
  }

  @Test
  void fileNamesFromContentDisposition() {
    assertThat(ContentDisposition.fileName("attachment; filename=\"a b.txt\"")).hasValue("a b.txt");
    assertThat(ContentDisposition.fileName("inline; filename=shot.png")).hasValue("shot.png");
    assertThat(ContentDisposition.fileName("attachment; filename*=utf-8''%E2%82%AC%20rates.pdf"))
        .hasValue("€ rates.pdf");
    assertThat(ContentDisposition.fileName("attachment; filename=\"../../etc/passwd\""))
        .hasValue("passwd");
    assertThat(ContentDisposition.fileName("attachment; filename=\"a\\\"b\"")).hasValue("a\"b");
    assertThat(ContentDisposition.fileName("attachment; filename=\"..\"")).isEmpty();
    assertThat(ContentDisposition.fileName("attachment")).isEmpty();
    assertThat(ContentDisposition.fileName(null)).isEmpty();
  }

  private static void assertFails(java.util.concurrent.CompletableFuture<?> f, ErrorCode code) {
    assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(ChatException.class, e -> assertThat(e.code()).isEqualTo(code));
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
