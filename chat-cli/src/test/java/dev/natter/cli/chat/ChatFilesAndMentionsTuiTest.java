package dev.natter.cli.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.natter.cli.CliRunner;
import dev.natter.cli.TestServer;
import dev.natter.client.ChatClient;
import dev.natter.client.TransferProgress;
import dev.natter.core.model.FileInfo;
import dev.natter.core.model.Message;
import dev.natter.core.model.NotifyLevel;
import dev.natter.core.model.RoomSummary;
import dev.natter.core.model.Visibility;
import dev.natter.core.protocol.ServerEvent;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files and mentions in {@code natter chat}, on a JLine terminal over pipes against a real server:
 * {@code /upload} with its progress line, {@code [file: ...]} lines, the mention highlight and the
 * bell within the room's level, {@code /notify}, {@code /bell}, mention counts in the status line
 * and {@code @} completion of the current room's members.
 */
@Timeout(120)
class ChatFilesAndMentionsTuiTest {
  private static final String PW = "correct horse battery";
  @TempDir Path tmp;
  TestServer server;
  CliRunner alice;
  ChatClient bob;
  final List<Message> bobSaw = new CopyOnWriteArrayList<>();
  String general;

  @BeforeEach
  void setUp() {
    server = TestServer.start(tmp.resolve("data"));
    bob = ChatClient.builder(server.uri()).register("bob", PW, "Bob").build();
    bob.addListener(
        (c, event) -> {
          if (event instanceof ServerEvent.MessageEvent e) {
            bobSaw.add(e.message());
          }
        });
    bob.connect().join();
    general = bob.createRoom("general", Visibility.PUBLIC, List.of()).join().room().id();
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

  /** {@code natter chat}, once it has joined #general. */
  private Tui chatInGeneral() throws Exception {
    Tui tui = new Tui(alice.context("").workingDirectory(tmp));
    try {
      tui.waitFor("you are in no room yet");
      tui.line("/join general").waitFor("now in #general");
      return tui;
    } catch (Exception | AssertionError e) {
      tui.close();
      throw e;
    }
  }

  /** {@code natter chat --room general} when she is a member of #general already. */
  private Tui chatStartingInGeneral() throws Exception {
    Tui tui = new Tui(alice.context("").workingDirectory(tmp), "--room", "general");
    try {
      tui.waitFor("now in #general");
      return tui;
    } catch (Exception | AssertionError e) {
      tui.close();
      throw e;
    }
  }

  @Test
  void uploadShowsAProgressLineThenTheFileInTheRoom() throws Exception {
    byte[] content = new byte[3_000_000];
    new Random(7).nextBytes(content);
    Path spec = Files.write(tmp.resolve("spec v2.bin"), content);
    try (Tui tui = chatInGeneral()) {
      tui.mark().line("/upload \"" + spec + "\" the new spec");

      tui.waitFor("uploaded spec v2.bin (3.0 MB) to #general");
      await().until(() -> bobSaw.stream().anyMatch(m -> !m.files().isEmpty()));
      Message m = bobSaw.stream().filter(x -> !x.files().isEmpty()).findFirst().orElseThrow();
      assertThat(m.body()).isEqualTo("the new spec");
      FileInfo file = m.files().get(0);
      assertThat(file.name()).isEqualTo("spec v2.bin");
      assertThat(file.size()).isEqualTo(content.length);
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      bob.download(file.id(), got, TransferProgress.NONE).get(20, TimeUnit.SECONDS);
      assertThat(got.toByteArray()).isEqualTo(content);

      // her own message comes back with the file under it
      tui.waitFor("<alice> the new spec").waitFor("[file: spec v2.bin 3.0 MB " + file.id() + "]");
      // the progress line stood above the status line, from 0 % to 100 %, then went away
      List<String> statuses = tui.statuses();
      assertThat(statuses)
          .anyMatch(
              s -> s.startsWith("uploading spec v2.bin to #general [----") && s.contains(" 0%"))
          .anyMatch(s -> s.contains("[####################] 100% 3.0 MB of 3.0 MB"));
      await().until(() -> !tui.status().contains("uploading"));

      // a file from someone else, without text
      Path notes = Files.writeString(tmp.resolve("notes.txt"), "x".repeat(1_200));
      FileInfo up = bob.upload(general, notes).get(10, TimeUnit.SECONDS);
      tui.mark();
      bob.sendWithFiles(general, "", List.of(up.id())).get(10, TimeUnit.SECONDS);
      tui.waitFor("<bob> [file: notes.txt 1.2 kB " + up.id() + "]");

      // a missing file is refused at once, before any request
      tui.mark().line("/upload " + tmp.resolve("missing.pdf")).waitFor("!! no file ");
    }
  }

  @Test
  void aRefusedUploadSaysWhy() throws Exception {
    Path big = tmp.resolve("big.bin");
    try (var out = Files.newOutputStream(big)) {
      byte[] chunk = new byte[1 << 20];
      for (int i = 0; i < 26; i++) {
        out.write(chunk); // over the default limit of 25 MB
      }
    }
    try (Tui tui = chatInGeneral()) {
      tui.mark().line("/upload " + big);
      tui.waitFor("!! not sent: big.bin to #general: too large", java.time.Duration.ofSeconds(60));
      await().until(() -> !tui.status().contains("uploading"));
    }
  }

  @Test
  void mentionsOfMeAreHighlightedAndRingTheBellWithinTheRoomsLevel() throws Exception {
    try (Tui tui = chatInGeneral()) {
      bob.send(general, "hello everyone").join();
      tui.waitFor("<bob> hello everyone");
      assertThat(tui.styleOf("hello everyone")).doesNotContain("43");

      // muted: highlighted, but silent
      tui.mark().line("/notify none").waitFor("#general: notify none");
      bob.send(general, "@alice muted here").join();
      tui.waitFor("<bob> @alice muted here");
      assertThat(tui.styleOf("@alice muted here")).contains("43");
      // the plain message and the muted mention were both on screen before these: no ring yet
      assertThat(tui.bells()).isZero();

      tui.mark().line("/notify").waitFor("#general: notify none");
      tui.mark().line("/notify mentions").waitFor("#general: notify mentions");
      bob.send(general, "still plain").join();
      tui.waitFor("<bob> still plain");
      assertThat(tui.bells()).isZero();
      bob.send(general, "@alice look at this").join();
      tui.waitFor("<bob> @alice look at this");
      assertThat(tui.styleOf("@alice look at this")).contains("43", "1");
      await().until(() -> tui.bells() == 1);

      tui.mark().line("/notify loud").waitFor("usage: /notify [all|mentions|none]");
    }
  }

  @Test
  void notifyLevelReachesMyOtherDevices() throws Exception {
    ChatClient aliceElsewhere = ChatClient.builder(server.uri()).login("alice", PW).build();
    List<RoomSummary> roomEvents = new CopyOnWriteArrayList<>();
    aliceElsewhere.addListener(
        (c, e) -> {
          if (e instanceof ServerEvent.RoomEvent r) {
            roomEvents.add(r.room());
          }
        });
    try (Tui tui = chatInGeneral()) {
      aliceElsewhere.connect().get(10, TimeUnit.SECONDS);
      tui.mark().line("/notify mentions").waitFor("#general: notify mentions");
      await()
          .until(
              () ->
                  roomEvents.stream()
                      .anyMatch(
                          s ->
                              s.room().id().equals(general)
                                  && s.notifyLevel() == NotifyLevel.MENTIONS));
      // and the other way round: set elsewhere, shown here
      aliceElsewhere.setNotifyLevel(general, NotifyLevel.NONE).get(10, TimeUnit.SECONDS);
      await()
          .untilAsserted(
              () -> {
                tui.mark().line("/notify");
                tui.waitFor("#general: notify none");
              });
    } finally {
      aliceElsewhere.close();
    }
  }

  @Test
  void theBellSettingIsSavedAndOffNeverRings() throws Exception {
    try (Tui tui = chatInGeneral()) {
      tui.mark().line("/bell").waitFor("bell mentions");
      tui.mark().line("/bell off").waitFor("bell off (saved in");
      assertThat(new ObjectMapper().readTree(alice.configFile().toFile()).get("bell").asText())
          .isEqualTo("off");
      bob.send(general, "@alice are you there").join();
      tui.waitFor("<bob> @alice are you there");
      assertThat(tui.styleOf("@alice are you there")).contains("43");
      tui.line("/quit");
      assertThat(tui.awaitExit()).isZero();
      assertThat(tui.bells()).isZero();
    }
    // the next run reads it from the config file; all rings for any message
    try (Tui tui = chatStartingInGeneral()) {
      tui.mark().line("/bell").waitFor("bell off");
      tui.mark().line("/bell all").waitFor("bell all (saved in");
      bob.send(general, "no mention at all").join();
      tui.waitFor("<bob> no mention at all");
      await().until(() -> tui.bells() == 1);
    }
  }

  @Test
  void theStatusLineCountsMentionsApartFromUnread() throws Exception {
    try (ChatClient a = ChatClient.builder(server.uri()).login("alice", PW).build()) {
      a.joinByName("general").join();
    }
    String random =
        bob.createRoom("random", Visibility.PRIVATE, List.of("alice")).join().room().id();
    try (Tui tui = chatStartingInGeneral()) {
      bob.send(random, "plain one").join();
      bob.send(random, "@alice one for you").join();
      bob.send(random, "@room everyone").join();
      tui.waitFor("<bob> @room everyone");
      tui.waitForStatus("unread: #random(3 @2)");
      tui.mark().line("/join random").waitFor("now in #random");
      tui.waitForStatus("| #random");
      assertThat(tui.status()).doesNotContain("@2");
    }
    // a new run reads the counts from the server's room summaries
    bob.send(random, "@alice while you were away").join();
    bob.send(random, "and more").join();
    try (Tui tui = chatStartingInGeneral()) {
      tui.waitForStatus("unread: #random(2 @1)");
    }
  }

  @Test
  void atCompletesTheMembersOfTheCurrentRoom() throws Exception {
    ChatClient carol = ChatClient.builder(server.uri()).register("carol", PW, "Carol").build();
    try {
      carol.session().join();
      carol.openDm("alice").join(); // alice knows carol, who is not in #general
      try (Tui tui = new Tui(alice.context(""))) {
        tui.waitFor("now in @carol"); // the DM is her only room
        tui.line("/join general").waitFor("now in #general");
        tui.mark().type("hi @b\t").waitFor("hi @bob ");
        tui.type("and @ro\t").waitFor("and @room ");
        tui.type("\r");
        await().until(() -> bobSaw.stream().anyMatch(m -> m.body().equals("hi @bob and @room")));
        // in a message, @ lists only the members (and @room); /dm completes any user
        tui.mark().type("@\t\t").waitFor("@room");
        assertThat(tui.sinceMark()).contains("@bob").doesNotContain("@carol");
        tui.type("\u0015"); // Ctrl-U: clear the line
        tui.mark().type("/dm @ca\t").waitFor("/dm @carol ");
      }
    } finally {
      carol.close();
    }
  }
}
