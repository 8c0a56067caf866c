package dev.natter.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.natter.cli.serve.ClusterSettings;
import dev.natter.cli.serve.RunningServer;
import dev.natter.cli.serve.ServerSettings;
import dev.natter.core.AuthResult;
import dev.natter.core.model.Visibility;
import dev.natter.core.security.Pbkdf2PasswordHasher;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two servers (in this JVM, without a bus) on one PostgreSQL database keep uploads in it ({@code
 * PostgresBlobStore}): a file uploaded through one is downloaded through the other.
 */
@Timeout(120)
class SharedFilesTest {
  @RegisterExtension static final Services.Postgres PG = new Services.Postgres();

  private static final String PW = "correct horse battery";
  private static final String BOUNDARY = "natter-shared-files";
  @TempDir Path tmp;
  private final String db = "natter_files_" + UUID.randomUUID().toString().substring(0, 8);
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @AfterEach
  void dropDatabase() {
    Cluster.adminSql("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
  }

  private RunningServer node(String name) {
    return RunningServer.start(
        new ServerSettings(
            "127.0.0.1", 0, tmp.resolve(name), List.of(), null, null, null, null, null, false),
        new ClusterSettings(AdminOnPostgresTest.url(db), null, null, name, null, null),
        new Pbkdf2PasswordHasher(1000));
  }

  private static URI uri(RunningServer node, String path) {
    return URI.create("http://127.0.0.1:" + node.port() + path);
  }

  private String upload(RunningServer node, String token, String room, byte[] content)
      throws Exception {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(
        ("--"
                + BOUNDARY
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\""
                + "\r\nContent-Type: application/octet-stream\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8));
    body.writeBytes(content);
    body.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(uri(node, "/api/rooms/" + room + "/files"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    Matcher id = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"").matcher(r.body());
    assertThat(id.find()).isTrue();
    return id.group(1);
  }

  private HttpResponse<byte[]> download(RunningServer node, String token, String fileId)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri(node, "/api/files/" + fileId))
            .header("Authorization", "Bearer " + token)
            .timeout(Duration.ofSeconds(30))
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void aFileUploadedThroughOneNodeDownloadsThroughTheOther() throws Exception {
    Cluster.adminSql("CREATE DATABASE " + db);
    byte[] content = new byte[2 * 1024 * 1024 + 999]; // three chunks
    new Random(11).nextBytes(content);
    try (RunningServer a = node("a");
        RunningServer b = node("b")) {
      AuthResult alice = a.engine().register("alice", PW, "Alice");
      AuthResult bob = b.engine().register("bob", PW, "Bob");
      String room =
          a.engine()
              .createRoom(alice.user(), "general", Visibility.PRIVATE, List.of("bob"))
              .room()
              .id();

      String fileId = upload(a, alice.token(), room, content);
      // not sent yet: its uploader reads it on either node, bob on neither
      assertThat(download(b, alice.token(), fileId).body()).isEqualTo(content);
      assertThat(download(b, bob.token(), fileId).statusCode()).isEqualTo(404);

      a.engine().send(alice.user(), room, "c1", "", null, List.of(fileId)).join();
      HttpResponse<byte[]> got = download(b, bob.token(), fileId);
      assertThat(got.statusCode()).isEqualTo(200);
      assertThat(got.body()).isEqualTo(content);
      assertThat(download(a, bob.token(), fileId).body()).isEqualTo(content);
    }
  }
}
