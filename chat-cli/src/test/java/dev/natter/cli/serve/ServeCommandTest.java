package dev.natter.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.natter.cli.CliContext;
import dev.natter.cli.CliRunner;
import dev.natter.cli.TestServer;
import dev.natter.cli.app.Natter;
import dev.natter.client.ChatClient;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServeCommandTest {
  @TempDir Path tmp;

  private ServerSettings settings(Map<String, String> env, String... args) {
    CliContext ctx = new CliContext(env, new ByteArrayInputStream(new byte[0]), tmp);
    CommandLine cl = Natter.commandLine(ctx);
    String[] argv = new String[args.length + 1];
    argv[0] = "serve";
    System.arraycopy(args, 0, argv, 1, args.length);
    CommandLine.ParseResult parsed = cl.parseArgs(argv);
    return ((ServeCommand) parsed.subcommand().commandSpec().userObject()).settings();
  }

  @Test
  void defaultsEnvironmentAndOptions() {
    ServerSettings d = settings(Map.of());
    assertThat(d.host()).isEqualTo("127.0.0.1");
    assertThat(d.port()).isEqualTo(8080);
    assertThat(d.dataDir()).isEqualTo(Path.of("natter-data").toAbsolutePath());
    assertThat(d.database().getFileName().toString()).isEqualTo("natter.db");
    assertThat(d.allowedOrigins()).isEmpty(); // the server's own origins
    assertThat(d.ui()).isTrue();
    assertThat(d.maxUploadBytes()).isNull(); // the server's default
    assertThat(d.maxConcurrentUploads()).isNull(); // the server's default

    Map<String, String> env =
        Map.of(
            "NATTER_HOST", "0.0.0.0",
            "NATTER_PORT", "9000",
            "NATTER_DATA_DIR", tmp.resolve("d").toString(),
            "NATTER_ALLOWED_ORIGINS", "https://chat.example.org, http://localhost:5173",
            "NATTER_MAX_BODY_CHARS", "500",
            "NATTER_SEND_RATE", "5/2s",
            "NATTER_MAX_UPLOAD_SIZE", "512KB",
            "NATTER_MAX_CONCURRENT_UPLOADS", "3");
    ServerSettings e = settings(env);
    assertThat(e.host()).isEqualTo("0.0.0.0");
    assertThat(e.port()).isEqualTo(9000);
    assertThat(e.dataDir()).isEqualTo(tmp.resolve("d"));
    assertThat(e.allowedOrigins())
        .containsExactly("https://chat.example.org", "http://localhost:5173");
    assertThat(e.maxBodyChars()).isEqualTo(500);
    assertThat(e.sendBurst()).isEqualTo(5);
    assertThat(e.sendWindow()).isEqualTo(Duration.ofSeconds(2));
    assertThat(e.maxUploadBytes()).isEqualTo(512_000);
    assertThat(e.maxConcurrentUploads()).isEqualTo(3);

    ServerSettings o =
        settings(
            env,
            "--port",
            "0",
            "--host",
            "127.0.0.2",
            "--send-rate",
            "30/m",
            "--no-ui",
            "--max-upload-size",
            "1MiB",
            "--max-concurrent-uploads",
            "12");
    assertThat(o.port()).isZero();
    assertThat(o.host()).isEqualTo("127.0.0.2");
    assertThat(o.sendBurst()).isEqualTo(30);
    assertThat(o.sendWindow()).isEqualTo(Duration.ofMinutes(1));
    assertThat(o.ui()).isFalse();
    assertThat(o.maxUploadBytes()).isEqualTo(1L << 20);
    assertThat(o.maxConcurrentUploads()).isEqualTo(12);
  }

  @Test
  void badSettingsAreUsageErrors() {
    CliRunner cli = new CliRunner(tmp);
    for (String[] args :
        new String[][] {
          {"serve", "--port", "70000"},
          {"serve", "--send-rate", "fast"},
          {"serve", "--allowed-origins", "chat.example.org/path"},
          {"serve", "--port", "eighty"},
          {"serve", "--max-concurrent-uploads", "0"},
          {"serve", "--max-concurrent-uploads", "many"}
        }) {
      CliRunner.Result r = cli.run(args);
      assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
      assertThat(r.err().strip().lines()).hasSize(1);
    }
    CliRunner.Result env = cli.env("NATTER_PORT", "x").run("serve");
    assertThat(env.exitCode()).isEqualTo(2);
    CliRunner.Result uploads =
        new CliRunner(tmp).env("NATTER_MAX_CONCURRENT_UPLOADS", "-1").run("serve");
    assertThat(uploads.exitCode()).as(uploads.toString()).isEqualTo(2);
    assertThat(uploads.err()).contains("NATTER_MAX_CONCURRENT_UPLOADS");
  }

  @Test
  void servesTheUiAndTheApiAndStopsCleanly() throws Exception {
    Path data = tmp.resolve("data");
    URI uri = startServe(data);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpResponse<String> health =
        http.send(
            HttpRequest.newBuilder(uri.resolve("/healthz")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    HttpResponse<String> index =
        http.send(
            HttpRequest.newBuilder(uri.resolve("/")).build(), HttpResponse.BodyHandlers.ofString());
    if (UI_BUILT) {
      assertThat(index.statusCode()).isEqualTo(200);
      assertThat(index.body()).containsIgnoringCase("<html");
    } else {
      assertThat(index.statusCode()).isEqualTo(404);
    }

    ChatClient alice = ChatClient.builder(uri).register("alice", "correct horse battery").build();
    alice.connect().join();
    // The store's figures are on /metrics beside the server's (registering alice committed).
    String metrics =
        http.send(
                HttpRequest.newBuilder(uri.resolve("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(metrics)
        .containsPattern("(?m)^natter_store_commits_total [1-9]")
        .contains("natter_store_writes_total", "natter_store_failed_commits_total 0.0")
        .contains("natter_store_commit_time_seconds_total", "natter_store_write_queue ")
        .contains("natter_store_search_behind_messages ");
    AtomicInteger closes = new AtomicInteger();
    ChatClient watcher = ChatClient.builder(uri).token(alice.session().join().token()).build();
    watcher.addListener(
        new dev.natter.client.ChatListener() {
          @Override
          public void onEvent(ChatClient c, dev.natter.core.protocol.ServerEvent event) {}

          @Override
          public void onConnectionEvent(ChatClient c, dev.natter.client.ConnectionEvent event) {
            if (event instanceof dev.natter.client.ConnectionEvent.StateChanged s
                && s.state() == dev.natter.client.ConnectionState.RECONNECTING) {
              closes.incrementAndGet();
            }
          }
        });
    watcher.connect().join();
    stopServe();
    await().atMost(Duration.ofSeconds(5)).until(() -> closes.get() > 0); // 1001: reconnect
    watcher.close();
    alice.close();

    // the account is on disk: a new server on the same data directory knows alice
    URI again = startServe(data);
    ChatClient back = ChatClient.builder(again).login("alice", "correct horse battery").build();
    back.connect().join();
    back.close();
    stopServe();
  }

  /** Whether chat-web was built with its UI (-Dskip.npm leaves its jar empty). */
  private static final boolean UI_BUILT =
      ServeCommandTest.class.getClassLoader().getResource("natter-ui/index.html") != null;

  private Thread serveThread;
  private final AtomicInteger serveExit = new AtomicInteger(-1);

  private URI startServe(Path data) {
    StringWriter out = new StringWriter();
    CliContext ctx =
        new CliContext(Map.of(), new ByteArrayInputStream(new byte[0]), tmp)
            .passwordHasher(TestServer.FAST_HASHER);
    serveThread =
        new Thread(
            () -> {
              CommandLine cl = Natter.commandLine(ctx);
              cl.setOut(new PrintWriter(out, true));
              serveExit.set(cl.execute("serve", "--port", "0", "--data-dir", data.toString()));
            });
    serveThread.start();
    Pattern serving = Pattern.compile("serving (http://\\S+?)/\\s");
    // the whole banner: "serving" is its first line, "allowed origins" comes after "browser UI"
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                serving.matcher(out.toString()).find()
                    && out.toString().contains("allowed origins"));
    assertThat(out.toString())
        .contains(UI_BUILT ? "browser UI at" : "browser UI not served (chat-web is not on")
        .contains("natter.db");
    Matcher m = serving.matcher(out.toString());
    m.find();
    return URI.create(m.group(1));
  }

  private void stopServe() throws InterruptedException {
    serveThread.interrupt();
    serveThread.join(10_000);
    assertThat(serveExit.get()).isZero();
  }
}
