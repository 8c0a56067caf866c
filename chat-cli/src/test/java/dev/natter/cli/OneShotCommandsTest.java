package dev.natter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.natter.cli.app.Natter;
import dev.natter.client.ChatClient;
import dev.natter.core.model.RoomSummary;
import dev.natter.core.model.Visibility;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scriptable commands, run in-process against a real server on a free port. */
class OneShotCommandsTest {
  private static final String PW = "correct horse battery";
  @TempDir static Path tmp;
  static TestServer server;
  static String general;

  @BeforeAll
  static void startServer() {
    server = TestServer.start(tmp.resolve("data"));
    // bob owns #general; alice joins it through the CLI's account
    ChatClient bob = ChatClient.builder(server.uri()).register("bob", PW, "Bob").build();
    bob.connect().join();
    RoomSummary room = bob.createRoom("general", Visibility.PUBLIC, List.of()).join();
    general = room.room().id();
    bob.close();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  private CliRunner cli(String home) {
    return new CliRunner(tmp.resolve(home)).env("NATTER_SERVER", server.uri().toString());
  }

  private static ChatClient login(String user) {
    ChatClient c = ChatClient.builder(server.uri()).login(user, PW).build();
    c.connect().join();
    return c;
  }

  @Test
  void registerSavesTheTokenInAPrivateConfigFile() throws Exception {
    CliRunner cli = cli("reg");
    CliRunner.Result r = cli.runWithInput(PW + "\n", "register", "-u", "carol", "--password-stdin");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).contains("registered carol");
    assertThat(Files.getPosixFilePermissions(cli.configFile()))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    JsonNode config = new ObjectMapper().readTree(cli.configFile().toFile());
    assertThat(config.get("username").asText()).isEqualTo("carol");
    assertThat(config.get("token").asText()).hasSizeGreaterThan(40);
    assertThat(config.get("server").asText()).isEqualTo(server.uri().toString());

    CliRunner.Result rooms = cli.run("rooms");
    assertThat(rooms.exitCode()).as(rooms.toString()).isZero();

    String token = config.get("token").asText();
    CliRunner.Result out = cli.run("logout");
    assertThat(out.exitCode()).as(out.toString()).isZero();
    assertThat(new ObjectMapper().readTree(cli.configFile().toFile()).has("token")).isFalse();
    assertThat(cli.run("rooms").exitCode()).isEqualTo(1); // not logged in
    assertThat(cli.env("NATTER_TOKEN", token).run("rooms").err()).contains("not signed in");
  }

  @Test
  void loginAndRegisterSignInOverHttpWithoutAWebSocket() throws Exception {
    // A server with the sign-in endpoints and nothing else: no /ws to open a connection to.
    com.sun.net.httpserver.HttpServer httpOnly =
        com.sun.net.httpserver.HttpServer.create(
            new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    java.util.List<String> requests = new java.util.concurrent.CopyOnWriteArrayList<>();
    httpOnly.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          requests.add(exchange.getRequestMethod() + " " + path);
          boolean signIn = path.equals("/api/login") || path.equals("/api/register");
          byte[] body =
              signIn
                  ? dev.natter.codec.JsonCodec.shared()
                      .encodeAuth(
                          new dev.natter.core.model.User("u-erin", "erin", "Erin"), "t".repeat(43))
                      .getBytes(java.nio.charset.StandardCharsets.UTF_8)
                  : new byte[0];
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(signIn ? 200 : 404, signIn ? body.length : -1);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    httpOnly.start();
    try {
      String url = "http://127.0.0.1:" + httpOnly.getAddress().getPort();
      CliRunner cli = new CliRunner(tmp.resolve("erin")).env("NATTER_SERVER", url);
      CliRunner.Result reg =
          cli.runWithInput(PW + "\n", "register", "-u", "erin", "--password-stdin");
      assertThat(reg.exitCode()).as(reg.toString()).isZero();
      assertThat(reg.out()).contains("registered erin");
      CliRunner.Result in = cli.runWithInput(PW + "\n", "login", "-u", "erin", "--password-stdin");
      assertThat(in.exitCode()).as(in.toString()).isZero();
      assertThat(in.out()).contains("logged in as erin");
      assertThat(new ObjectMapper().readTree(cli.configFile().toFile()).get("token").asText())
          .isEqualTo("t".repeat(43));
      assertThat(requests).containsExactly("POST /api/register", "POST /api/login");
    } finally {
      httpOnly.stop(0);
    }
  }

  @Test
  void loginWithAWrongPasswordFailsWithOneLine() {
    CliRunner.Result r =
        cli("wrong").runWithInput("nope-nope-nope\n", "login", "-u", "bob", "--password-stdin");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err().strip()).doesNotContain("\n").contains("wrong username or password");
  }

  @Test
  void sendRoomsHistoryAndTail() throws Exception {
    CliRunner cli = cli("alice");
    assertThat(
            cli.runWithInput(PW + "\n", "register", "-u", "alice", "--password-stdin").exitCode())
        .isZero();
    ChatClient alice = ChatClient.builder(server.uri()).token(tokenOf(cli)).build();
    alice.join(general).join();
    alice.close();

    CliRunner.Result sent = cli.run("send", "general", "hello", "from", "the", "shell");
    assertThat(sent.exitCode()).as(sent.toString()).isZero();
    assertThat(sent.out()).containsPattern("sent #\\d+ to #general");

    CliRunner.Result piped = cli.runWithInput("line one\nline two\n", "send", "#general", "-");
    assertThat(piped.exitCode()).as(piped.toString()).isZero();

    CliRunner.Result byId = cli.run("send", general, "by id");
    assertThat(byId.exitCode()).as(byId.toString()).isZero();

    CliRunner.Result rooms = cli.run("rooms");
    assertThat(rooms.out()).contains("#general").contains(general);
    CliRunner.Result roomsJson = cli.run("rooms", "--json");
    assertThat(new ObjectMapper().readTree(roomsJson.out()).get(0).get("name").asText())
        .isEqualTo("general");

    CliRunner.Result history = cli.run("history", "general", "-n", "3");
    assertThat(history.exitCode()).as(history.toString()).isZero();
    assertThat(history.out().lines().toList())
        .hasSize(3)
        .anySatisfy(l -> assertThat(l).contains("<alice> hello from the shell"))
        .anySatisfy(l -> assertThat(l).contains("line one\\nline two"))
        .last()
        .satisfies(l -> assertThat(l).contains("by id"));

    CliRunner.Result json = cli.run("history", "general", "--json", "-n", "1");
    JsonNode m = new ObjectMapper().readTree(json.out());
    assertThat(m.get("body").asText()).isEqualTo("by id");
    assertThat(m.get("sender").get("username").asText()).isEqualTo("alice");
    assertThat(m.get("seq").asLong()).isPositive();

    // tail: streams what bob sends until interrupted
    CliContext ctx = cli.context("");
    AtomicReference<CliRunner.Result> tailResult = new AtomicReference<>();
    java.io.StringWriter tailOut = new java.io.StringWriter();
    Thread tail =
        new Thread(
            () -> {
              picocli.CommandLine cl = Natter.commandLine(ctx);
              cl.setOut(new java.io.PrintWriter(tailOut, true));
              java.io.StringWriter err = new java.io.StringWriter();
              cl.setErr(new java.io.PrintWriter(err, true));
              int code = cl.execute("tail", "general", "--json");
              tailResult.set(new CliRunner.Result(code, tailOut.toString(), err.toString()));
            });
    tail.start();
    ChatClient bob = login("bob");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              bob.send(general, "ping " + System.nanoTime()).join();
              return tailOut.toString().contains("ping ");
            });
    bob.close();
    tail.interrupt();
    tail.join(5_000);
    assertThat(tailResult.get().exitCode()).as(String.valueOf(tailResult.get())).isZero();
    assertThat(tailOut.toString()).contains("\"username\":\"bob\"");
  }

  @Test
  void sendToAUserOpensTheDm() {
    CliRunner cli = cli("dave");
    assertThat(cli.runWithInput(PW + "\n", "register", "-u", "dave", "--password-stdin").exitCode())
        .isZero();
    CliRunner.Result r = cli.run("send", "@bob", "psst");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).contains("sent #1 to @bob");
    assertThat(cli.run("history", "@bob").out()).contains("<dave> psst");
  }

  @Test
  void usageErrorsExitWith2AndOneLine() {
    CliRunner cli = cli("usage");
    for (String[] args :
        List.of(
            new String[] {"send", "general"},
            new String[] {"history"},
            new String[] {"history", "general", "-n", "zero"},
            new String[] {"rooms", "--bogus"},
            new String[] {"frobnicate"},
            new String[] {},
            new String[] {"admin"})) {
      CliRunner.Result r = cli.run(args);
      assertThat(r.exitCode()).as(String.join(" ", args) + " -> " + r).isEqualTo(2);
      assertThat(r.err().strip().lines()).as(r.toString()).hasSize(1);
    }
  }

  @Test
  void failuresExitWith1AndOneLine() {
    CliRunner notLoggedIn = cli("nobody");
    CliRunner.Result r = notLoggedIn.run("rooms");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err().strip()).doesNotContain("\n").contains("not logged in");

    CliRunner down =
        new CliRunner(tmp.resolve("down"))
            .env("NATTER_SERVER", "http://127.0.0.1:1")
            .env("NATTER_TOKEN", "x");
    CliRunner.Result d = down.run("rooms");
    assertThat(d.exitCode()).as(d.toString()).isEqualTo(1);
    assertThat(d.err().strip().lines()).hasSize(1);

    CliRunner badToken = cli("badtoken").env("NATTER_TOKEN", "not-a-token");
    CliRunner.Result b = badToken.run("history", "general");
    assertThat(b.exitCode()).isEqualTo(1);
    assertThat(b.err()).contains("not signed in");

    CliRunner.Result missingRoom =
        cli("alice2").env("NATTER_TOKEN", "x").run("send", "nowhere", "hi");
    assertThat(missingRoom.exitCode()).isEqualTo(1);
  }

  @Test
  void helpHasExamplesAndVersionAndCompletionWork() {
    CliRunner cli = cli("help");
    for (String cmd :
        List.of(
            "serve", "chat", "register", "login", "logout", "send", "rooms", "history", "tail")) {
      CliRunner.Result r = cli.run(cmd, "--help");
      assertThat(r.exitCode()).isZero();
      assertThat(r.out()).as(cmd).contains("Usage: natter " + cmd).contains("Examples:");
    }
    for (String cmd : List.of("create-user", "reset-password", "backup", "export", "import")) {
      CliRunner.Result r = cli.run("admin", cmd, "--help");
      assertThat(r.out()).as(cmd).contains("Usage: natter admin " + cmd).contains("Examples:");
    }
    assertThat(cli.run("--help").out()).contains("generate-completion").contains("Exit codes");
    CliRunner.Result v = cli.run("--version");
    assertThat(v.exitCode()).isZero();
    assertThat(v.out()).startsWith("natter ");
    CliRunner.Result completion = cli.run("generate-completion");
    assertThat(completion.exitCode()).isZero();
    assertThat(completion.out()).contains("complete -F").contains("serve").contains("admin");
  }

  private static String tokenOf(CliRunner cli) throws Exception {
    return new ObjectMapper().readTree(cli.configFile().toFile()).get("token").asText();
  }
}
