package dev.natter.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.natter.cli.TestServer;
import dev.natter.core.AuthResult;
import dev.natter.core.model.Visibility;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The upload limits of {@code natter serve}'s settings reach the server it runs. */
@Timeout(60)
class ServeUploadLimitsTest {
  private static final String BOUNDARY = "natter-test-boundary";
  private static final long MAX_BYTES = 10_000;

  @TempDir Path tmp;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private RunningServer server;
  private String token;
  private String room;

  @BeforeEach
  void start() {
    server =
        RunningServer.start(
            new ServerSettings(
                "127.0.0.1", 0, tmp, List.of(), null, null, null, null, null, false, MAX_BYTES, 1),
            TestServer.FAST_HASHER);
    AuthResult alice = server.engine().register("alice", "correct horse battery", "Alice");
    token = alice.token();
    room =
        server
            .engine()
            .createRoom(alice.user(), "general", Visibility.PRIVATE, List.of())
            .room()
            .id();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static byte[] multipart(String name, byte[] content) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(
        ("--"
                + BOUNDARY
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                + name
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8));
    body.writeBytes(content);
    body.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return body.toByteArray();
  }

  private HttpResponse<String> upload(String name, int size) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(server.uri() + "/api/rooms/" + room + "/files"))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
            .POST(HttpRequest.BodyPublishers.ofByteArray(multipart(name, new byte[size])))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theMaxUploadSizeIsTheServersLimit() throws Exception {
    assertThat(upload("fits.bin", (int) MAX_BYTES).statusCode()).isEqualTo(201);

    HttpResponse<String> over = upload("over.bin", (int) MAX_BYTES + 1);

    assertThat(over.statusCode()).isEqualTo(413);
    assertThat(over.body()).contains("too_large").contains(MAX_BYTES + " bytes");
  }

  @Test
  void withOneConcurrentUploadASecondIsRefusedWhileTheFirstIsReceived() throws Exception {
    byte[] body = multipart("slow.bin", new byte[(int) MAX_BYTES]);
    try (Socket slow = new Socket("127.0.0.1", server.port())) {
      OutputStream out = slow.getOutputStream();
      out.write(
          ("POST /api/rooms/"
                  + room
                  + "/files HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                  + token
                  + "\r\nContent-Type: multipart/form-data; boundary="
                  + BOUNDARY
                  + "\r\nContent-Length: "
                  + body.length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(body, 0, 1_000); // and not the rest: the upload holds its slot
      out.flush();

      // Uploads may still get through until the slow one has its slot; then each is refused.
      // With the server's default (half its worker threads, at least 2) none would be.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> upload("second.bin", 10).statusCode() == 429);
    }
  }
}
