package dev.natter.cli.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.natter.cli.CliRunner;
import dev.natter.cli.TestServer;
import dev.natter.client.ChatClient;
import dev.natter.client.HistoryQuery;
import dev.natter.client.TcpProxy;
import dev.natter.core.model.Message;
import dev.natter.core.model.Visibility;
import dev.natter.core.protocol.ServerEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code natter chat} driven through a JLine terminal over pipes, against a real server. */
class ChatTuiTest {
  private static final String PW = "correct horse battery";
  @TempDir Path tmp;
  TestServer server;
  CliRunner alice;
  ChatClient bob;
  final List<Message> bobSaw = new CopyOnWriteArrayList<>();
  final List<String> bobSawTyping = new CopyOnWriteArrayList<>();
  String general;

  @BeforeEach
  void setUp() {
    server = TestServer.start(tmp.resolve("data"));
    bob = ChatClient.builder(server.uri()).register("bob", PW, "Bob").build();
    bob.addListener(
        (c, event) -> {
          if (event instanceof ServerEvent.MessageEvent e) {
            bobSaw.add(e.message());
          } else if (event instanceof ServerEvent.TypingEvent e) {
            bobSawTyping.add(e.user().username() + ":" + e.active());
          }
        });
    bob.connect().join();
    general = bob.createRoom("general", Visibility.PUBLIC, List.of()).join().room().id();
    bob.send(general, "welcome to general").join();
    alice = new CliRunner(tmp.resolve("alice")).env("NATTER_SERVER", server.uri().toString());
    CliRunner.Result r =
        alice.runWithInput(PW + "\n", "register", "-u", "alice", "--password-stdin");
    assertThat(r.exitCode()).as(r.toString()).isZero();
  }

  @AfterEach
  void tearDown() {
    bob.close();
    server.close();
  }

  private Tui chat(String... args) throws Exception {
    return new Tui(alice.context(""), args);
  }

  /** {@code natter chat --room general}, once it has joined #general (alice is not in it yet). */
  private Tui chatInGeneral() throws Exception {
    Tui tui = chat("--room", "general");
    try {
      tui.waitFor("you are in no room yet");
      tui.line("/join general").waitFor("now in #general");
      return tui;
    } catch (Exception | AssertionError e) {
      tui.close();
      throw e;
    }
  }

  private List<String> bodiesBobSaw() {
    return bobSaw.stream().map(Message::body).toList();
  }

  @Test
  void joinCompleteChatAndRunCommands() throws Exception {
    try (Tui tui = chat()) {
      tui.waitFor("connected to").waitFor("you are in no room yet");

      // Tab completes commands, then public room names
      tui.mark().type("/jo\t");
      tui.waitFor("/join ");
      tui.type("gen\t").waitFor("#general");
      tui.mark().type("\r").waitFor("now in #general");
      tui.waitFor("<bob> welcome to general"); // scrollback on join

      // messages from another client arrive above the prompt with room and sender
      tui.mark();
      bob.send(general, "hi alice").join();
      tui.waitFor("#general #2 <bob> hi alice");

      // who is typing shows in the status line
      bob.typing(general, true);
      tui.waitForStatus("bob is typing");

      // what alice types goes to the current room, and bob sees her typing first
      tui.type("hello bob");
      await().until(() -> bobSawTyping.contains("alice:true"));
      tui.type("\r");
      await().until(() -> bodiesBobSaw().contains("hello bob"));
      tui.line("/me waves");
      await().until(() -> bodiesBobSaw().contains("/me waves"));
      tui.waitFor("* alice waves");

      // user names complete (for /dm, /msg, /invite, /kick)
      tui.mark().type("/msg bo\t").waitFor("/msg bob ");
      tui.line("psst");
      await().until(() -> bodiesBobSaw().contains("psst"));

      tui.mark().line("/who").waitFor("2 members").waitFor("bob (online)");
      tui.mark().line("/rooms").waitFor("* #general").waitFor("@bob");

      // edit, react and delete by seq
      int seq = seqOf(tui.text(), "<alice> hello bob");
      tui.mark().line("/edit #" + seq + " hello bob, edited");
      tui.waitFor("alice edited: hello bob, edited");
      tui.mark().line("/react #" + seq + " 👍").waitFor("reactions: 👍 alice");
      tui.mark().line("/react #" + seq + " 👍").waitFor("reactions: none");
      tui.mark().line("/delete #" + seq).waitFor("message deleted");

      tui.mark().line("/history 3").waitFor("last 3 messages of #general");
      tui.mark().line("/search welcome").waitFor("1 result(s)").waitFor("welcome to general");
      tui.mark().line("/help").waitFor("/react <#seq> <emoji>").waitFor("Alt-A");
      tui.mark().line("/nonsense").waitFor("unknown command /nonsense");
      tui.mark().line("/edit #999 nope").waitFor("no message #999");

      tui.line("/quit");
      assertThat(tui.awaitExit()).isZero();
    }
  }

  @Test
  void hostileTextIsNeutralised() throws Exception {
    try (Tui tui = chatInGeneral()) {
      tui.mark();
      bob.send(
              general,
              "\u001b[2J\u001b]0;pwned\u0007red\u001b[31m\u009b1m ok\u202egnp.exe\u0008\u0007 end")
          .join();
      tui.waitFor("red ok");
      String raw = tui.raw();
      assertThat(raw).doesNotContain("\u001b[2J").doesNotContain("pwned").doesNotContain("\u009b");
      assertThat(raw).doesNotContain("\u202e").doesNotContain("\u0008");
      assertThat(tui.sinceMark()).contains("red ok" + "gnp.exe end");
    }
  }

  @Test
  void altAJumpsToTheNextRoomWithUnreadMessages() throws Exception {
    String random =
        bob.createRoom("random", Visibility.PRIVATE, List.of("alice")).join().room().id();
    try (Tui tui = chat("--room", "random")) {
      tui.waitFor("now in #random");
      tui.line("/join general").waitFor("now in #general");
      tui.mark();
      bob.send(random, "news in random").join();
      tui.waitFor("#random #1 <bob> news in random");
      tui.waitForStatus("unread: #random(1)");
      tui.mark().type("\u001ba").waitFor("now in #random");
      tui.waitForStatus("| #random");
      bob.send(general, "back in general").join();
      tui.waitForStatus("unread: #general(1)");
      tui.mark().type("\u000e").waitFor("now in #general"); // Ctrl-N
      tui.mark().type("\u001ba").waitFor("no unread messages");
    }
  }

  @Test
  void reconnectsAfterAServerRestartAndShowsMissedMessagesOnce() throws Exception {
    try (Tui tui = chatInGeneral()) {
      bob.close();
      tui.mark();
      server.stop();
      tui.waitFor("connection lost");
      tui.waitForStatus("[reconnecting]");
      server.restart();
      ChatClient bob2 = ChatClient.builder(server.uri()).login("bob", PW).build();
      bob2.connect().join();
      for (int i = 1; i <= 3; i++) {
        bob2.send(general, "missed " + i).join();
      }
      tui.waitFor("reconnected", Duration.ofSeconds(20));
      tui.waitFor("missed 3", Duration.ofSeconds(10));
      bob2.close();
      Thread.sleep(300);
      String after = tui.sinceMark();
      for (int i = 1; i <= 3; i++) {
        assertThat(count(after, "<bob> missed " + i)).as("missed " + i).isEqualTo(1);
      }
      assertThat(after.indexOf("missed 1")).isLessThan(after.indexOf("missed 2"));
      assertThat(after.indexOf("missed 2")).isLessThan(after.indexOf("missed 3"));
    }
  }

  @Test
  void startedBeforeTheServerItConnectsOnceTheServerIsUp() throws Exception {
    server.stop();
    try (Tui tui = chat()) {
      tui.waitFor("cannot reach " + server.uri()).waitFor("retrying in the background");
      tui.waitForStatus("[offline: retrying]");
      server.restart();
      tui.waitFor("connected to", Duration.ofSeconds(20)).waitFor("you are in no room yet");
      tui.waitForStatus("[online]");
      assertThat(count(tui.text(), "cannot reach")).isEqualTo(1);
    }
  }

  @Test
  void saysOnceHowManyMessagesItMissedDuringAnOutage() throws Exception {
    String token =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(alice.configFile().toFile())
            .get("token")
            .asText();
    try (TcpProxy proxy = new TcpProxy(server.port())) {
      alice.env("NATTER_SERVER", proxy.uri().toString()).env("NATTER_TOKEN", token);
      try (Tui tui = chatInGeneral()) {
        tui.mark();
        proxy.refuse(true);
        proxy.cut();
        tui.waitFor("connection lost");
        for (int i = 1; i <= 3; i++) {
          bob.send(general, "while away " + i).join();
        }
        proxy.refuse(false);
        tui.waitFor("3 missed messages", Duration.ofSeconds(20));
        bob.send(general, "back live").join();
        tui.waitFor("<bob> back live");
        String after = tui.sinceMark();
        assertThat(count(after, "missed message")).isEqualTo(1);
        assertThat(after.indexOf("while away 3")).isLessThan(after.indexOf("3 missed messages"));
      }
    }
  }

  @Test
  void messagesTypedOfflineSurviveAClientRestart() throws Exception {
    Path outbox = alice.configFile().resolveSibling("outbox.json");
    try (Tui tui = chatInGeneral()) {
      server.stop();
      tui.waitFor("connection lost");
      tui.mark().line("typed while offline").waitFor("(queued) <alice> typed while offline");
      tui.waitForStatus("1 queued");
      tui.line("/quit");
      assertThat(tui.awaitExit()).isZero();
    }
    assertThat(outbox).exists();
    assertThat(Files.getPosixFilePermissions(outbox))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.readString(outbox)).contains("typed while offline");

    server.restart();
    bob.close();
    bobSaw.clear();
    ChatClient bob2 = ChatClient.builder(server.uri()).login("bob", PW).build();
    bob2.addListener(
        (c, event) -> {
          if (event instanceof ServerEvent.MessageEvent e) {
            bobSaw.add(e.message());
          }
        });
    bob2.connect().join();
    try (Tui tui = chat("--room", "general")) {
      tui.waitFor("unsent message(s) from last time");
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> bodiesBobSaw().contains("typed while offline"));
      tui.waitFor("<alice> typed while offline");
      await().until(() -> !Files.exists(outbox));
      Thread.sleep(300);
      assertThat(bodiesBobSaw()).containsOnlyOnce("typed while offline");
      assertThat(
              bob2.history(general, HistoryQuery.latest(10)).join().messages().stream()
                  .filter(m -> m.body().equals("typed while offline"))
                  .count())
          .isEqualTo(1);
    } finally {
      bob2.close();
    }
  }

  @Test
  void signsInOrRegistersOnFirstUseAndAgainAfterTheSessionEnds() throws Exception {
    CliRunner carol =
        new CliRunner(tmp.resolve("carol")).env("NATTER_SERVER", server.uri().toString());
    try (Tui tui = new Tui(carol.context(""))) {
      tui.waitFor("not logged in").waitFor("username: ");
      tui.line("carol").waitFor("password: ");
      tui.line(PW).waitFor("Register 'carol'? [y/N]");
      tui.line("y").waitFor("repeat password: ");
      tui.line(PW).waitFor("registered and signed in as carol");
      tui.waitFor("connected to");
      assertThat(tui.text()).doesNotContain(PW);
      assertThat(Files.readString(carol.configFile())).contains("\"username\" : \"carol\"");

      // an administrator resets the password: the session ends, /login signs in again
      server.running().engine().resetPassword("carol", "a brand new password");
      tui.waitFor("/login to sign in again");
      tui.waitForStatus("[signed out: /login]");
      tui.mark().line("/login").waitFor("username: ");
      tui.line("carol").waitFor("password: ");
      tui.line("a brand new password").waitFor("signed in as carol");
      tui.waitFor("connected to");
      tui.waitForStatus("[online]");
    }
  }

  private static int count(String haystack, String needle) {
    int n = 0;
    for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }

  private static int seqOf(String screen, String text) {
    Matcher m = Pattern.compile("#(\\d+) " + Pattern.quote(text)).matcher(screen);
    if (!m.find()) {
      throw new AssertionError("no '" + text + "' on screen:\n" + screen);
    }
    return Integer.parseInt(m.group(1));
  }
}
