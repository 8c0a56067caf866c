package dev.natter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.natter.client.ChatClient;
import dev.natter.client.HistoryQuery;
import dev.natter.client.Outbox;
import dev.natter.core.AuthResult;
import dev.natter.core.ChatEngine;
import dev.natter.core.model.FileInfo;
import dev.natter.core.model.Membership;
import dev.natter.core.model.Message;
import dev.natter.core.model.Room;
import dev.natter.core.model.RoomSummary;
import dev.natter.core.model.Visibility;
import dev.natter.core.protocol.ServerEvent;
import dev.natter.core.spi.ChatStore;
import dev.natter.core.spi.StoreTransfer;
import dev.natter.store.sqlite.SqliteChatStore;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin commands, on the database of a running server. */
class AdminCommandsTest {
  private static final String PW = "correct horse battery";
  @TempDir Path tmp;

  private CliRunner cli(Path dataDir) {
    return new CliRunner(tmp.resolve("home")).env("NATTER_DATA_DIR", dataDir.toString());
  }

  @Test
  void createUserAndResetPasswordWhileTheServerRuns() {
    try (TestServer server = TestServer.start(tmp.resolve("data"))) {
      CliRunner cli = cli(server.dataDir());
      CliRunner.Result created =
          cli.runWithInput(PW + "\n", "admin", "create-user", "erin", "--password-stdin");
      assertThat(created.exitCode()).as(created.toString()).isZero();
      assertThat(created.out()).contains("created user erin");

      ChatClient c = ChatClient.builder(server.uri()).login("erin", PW).build();
      c.connect().join();
      c.close();

      CliRunner.Result dup =
          cli.runWithInput(PW + "\n", "admin", "create-user", "erin", "--password-stdin");
      assertThat(dup.exitCode()).isEqualTo(1);
      assertThat(dup.err()).contains("conflict");

      CliRunner.Result reset =
          cli.runWithInput(
              "a new long password\n", "admin", "reset-password", "erin", "--password-stdin");
      assertThat(reset.exitCode()).as(reset.toString()).isZero();
      ChatClient old = ChatClient.builder(server.uri()).login("erin", PW).build();
      assertThatThrownBy(() -> old.connect().join()).hasMessageContaining("wrong username");
      ChatClient fresh =
          ChatClient.builder(server.uri()).login("erin", "a new long password").build();
      fresh.connect().join();
      fresh.close();

      CliRunner.Result missing =
          cli.runWithInput(PW + "\n", "admin", "reset-password", "nobody", "--password-stdin");
      assertThat(missing.exitCode()).isEqualTo(1);
      assertThat(missing.err().strip().lines()).hasSize(1);
    }
  }

  @Test
  void onlineBackupHoldsTheDataAndItsFiles() throws Exception {
    byte[] bytes = random(200_000, 9);
    Path backup = tmp.resolve("backups/natter-backup.db");
    String[] roomId = new String[1];
    try (TestServer server = TestServer.start(tmp.resolve("data"))) {
      ChatClient alice = ChatClient.builder(server.uri()).register("alice", PW).build();
      alice.connect().join();
      RoomSummary room = alice.createRoom("ops", Visibility.PUBLIC, List.of()).join();
      roomId[0] = room.room().id();
      alice.send(room.room().id(), "before the backup").join();
      ChatEngine engine = server.running().engine();
      AuthResult a = engine.login("alice", PW, null);
      FileInfo report =
          engine.uploadFile(
              a.user(), room.room().id(), "report.bin", new ByteArrayInputStream(bytes), 1 << 20);
      engine
          .send(a.user(), room.room().id(), "f1", "the report", null, List.of(report.id()))
          .join();

      CliRunner.Result r = cli(server.dataDir()).run("admin", "backup", backup.toString());
      assertThat(r.exitCode()).as(r.toString()).isZero();
      assertThat(r.out()).contains("with 1 file blobs (200000 bytes)");
      alice.send(room.room().id(), "after the backup").join();
      alice.close();

      Files.copy(backup, tmp.resolve("inspect.db")); // a store opened on it writes beside it
      try (SqliteChatStore copy = SqliteChatStore.open(tmp.resolve("inspect.db"))) {
        assertThat(copy.findCredentials("alice")).isPresent();
        assertThat(copy.messagesAfter(room.room().id(), 0, 10))
            .extracting(Message::body)
            .containsExactly("before the backup", "the report");
      }
      assertThat(regularFiles(Path.of(backup + ".files"))).isEqualTo(1);
      try (Stream<Path> beside = Files.list(backup.getParent())) {
        assertThat(beside.map(p -> p.getFileName().toString()))
            .containsExactlyInAnyOrder("natter-backup.db", "natter-backup.db.files");
      }
      CliRunner.Result again = cli(server.dataDir()).run("admin", "backup", backup.toString());
      assertThat(again.exitCode()).isEqualTo(1);
      assertThat(again.err()).contains("exists");
    }

    // restore as documented: the database as natter.db, the blobs into files/
    Path restored = tmp.resolve("restored");
    Files.createDirectories(restored.resolve("files"));
    Files.copy(backup, restored.resolve("natter.db"));
    Path from = Path.of(backup + ".files");
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path to = restored.resolve("files").resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to);
        }
      }
    }
    try (TestServer server = TestServer.start(restored)) {
      AuthResult a = server.running().engine().login("alice", PW, null);
      List<Message> history =
          server.running().engine().messages(a.user(), roomId[0], null, null, 10).messages();
      assertThat(history)
          .extracting(Message::body)
          .containsExactly("before the backup", "the report");
      String fileId = history.get(1).files().get(0).id();
      HttpResponse<byte[]> got = download(server, a.token(), fileId);
      assertThat(got.statusCode()).isEqualTo(200);
      assertThat(got.body()).isEqualTo(bytes);
    }
  }

  /** Everything a store holds but sessions, through the export methods of the store port. */
  record Snapshot(
      List<StoreTransfer.ExportedUser> users,
      List<Room> rooms,
      Map<String, List<Membership>> memberships,
      Map<String, List<StoreTransfer.ExportedMessage>> messages) {
    static Snapshot of(SqliteChatStore store) {
      List<Room> rooms = store.exportRooms(null, 1000);
      Map<String, List<Membership>> memberships = new TreeMap<>();
      Map<String, List<StoreTransfer.ExportedMessage>> messages = new TreeMap<>();
      for (Room room : rooms) {
        memberships.put(room.id(), store.memberships(room.id()));
        messages.put(room.id(), store.exportMessages(room.id(), 0, 1000));
      }
      return new Snapshot(store.exportUsers(null, 1000), rooms, memberships, messages);
    }
  }

  @Test
  void exportImportExportIsExact() throws Exception {
    Path exported = tmp.resolve("export-1.json");
    Snapshot before;
    ServerEvent.Ack m1; // its clientMsgId is still in alice's outbox after the move
    try (TestServer server = TestServer.start(tmp.resolve("data"))) {
      ChatClient alice = ChatClient.builder(server.uri()).register("alice", PW, "Alice").build();
      ChatClient bob = ChatClient.builder(server.uri()).register("bob", PW, "Bob").build();
      ChatClient carol = ChatClient.builder(server.uri()).register("carol", PW).build();
      alice.connect().join();
      bob.connect().join();
      carol.connect().join();
      String general = alice.createRoom("general", Visibility.PUBLIC, List.of()).join().room().id();
      String secret =
          alice.createRoom("secret", Visibility.PRIVATE, List.of("carol")).join().room().id();
      bob.join(general).join();
      String dm = bob.openDm("alice").join().room().id();
      String empty = alice.createRoom("empty", Visibility.PUBLIC, List.of()).join().room().id();
      alice.leave(empty).join(); // no member, no message left
      carol.createRoom("quiet", Visibility.PRIVATE, List.of()).join(); // members, no message
      m1 = alice.send(new Outbox.Entry("outbox-1", general, "hello 👋 world", null)).join();
      ServerEvent.Ack m2 = bob.send(general, "a typo hree").join();
      ServerEvent.Ack m3 = bob.send(general, "to be deleted").join();
      alice.send(general, "multi\nline\tbody", m1.messageId()).join();
      bob.edit(general, m2.messageId(), "a typo here").join();
      bob.delete(general, m3.messageId()).join();
      bob.react(general, m1.messageId(), "👍", true).join();
      alice.react(general, m1.messageId(), "🎉", true).join();
      alice.react(general, m1.messageId(), "👍", true).join();
      carol.send(secret, "psst").join();
      bob.send(dm, "hi alice").join();
      alice.markRead(general, 2);
      carol.markRead(secret, 1);
      Thread.sleep(300); // read markers are fire-and-forget
      alice.close();
      bob.close();
      carol.close();
      // each close records the user's last-seen time after the fact: export once all are stored
      ChatStore live = server.running().store();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  Stream.of("alice", "bob", "carol")
                      .map(name -> live.findCredentials(name).orElseThrow().user().id())
                      .allMatch(id -> live.lastSeen(id).isPresent()));

      CliRunner.Result r = cli(server.dataDir()).run("admin", "export", exported.toString());
      assertThat(r.exitCode()).as(r.toString()).isZero();
      assertThat(r.out()).contains("exported 3 users, 5 rooms, 6 messages");
    }
    try (SqliteChatStore original = SqliteChatStore.open(tmp.resolve("data/natter.db"))) {
      before = Snapshot.of(original);
    }
    assertThat(before.rooms()).extracting(Room::name).contains("empty", "quiet");

    JsonNode doc = new ObjectMapper().readTree(exported.toFile());
    assertThat(doc.get("format").asText()).isEqualTo("natter-export");
    assertThat(doc.get("version").asInt()).isEqualTo(3);
    assertThat(doc.get("users").get(0).has("createdAt")).isTrue();
    assertThat(doc.get("users").get(0).get("passwordHash").asText()).startsWith("pbkdf2-sha256$");
    JsonNode generalJson = null;
    for (JsonNode room : doc.get("rooms")) {
      if (room.get("name").asText().equals("general")) {
        generalJson = room;
      }
    }
    assertThat(generalJson).isNotNull();
    JsonNode first = generalJson.get("messages").get(0);
    assertThat(first.get("reactions").get("👍").size()).isEqualTo(2);
    assertThat(first.get("clientMsgId").asText()).isEqualTo("outbox-1");
    assertThat(generalJson.get("messages").get(2).get("deleted").asBoolean()).isTrue();
    assertThat(generalJson.get("messages").get(1).has("editedAt")).isTrue();

    Path fresh = tmp.resolve("fresh");
    CliRunner.Result imported = cli(fresh).run("admin", "import", exported.toString());
    assertThat(imported.exitCode()).as(imported.toString()).isZero();
    Path exported2 = tmp.resolve("export-2.json");
    CliRunner.Result again = cli(fresh).run("admin", "export", exported2.toString());
    assertThat(again.exitCode()).as(again.toString()).isZero();
    assertThat(Files.readString(exported2)).isEqualTo(Files.readString(exported));
    try (SqliteChatStore copy = SqliteChatStore.open(fresh.resolve("natter.db"))) {
      // everything the store holds came across: createdAt of users and rooms, password hashes,
      // last seen, the rooms without members or messages, memberships, and every message with
      // its clientMsgId, edits, deletion and reactions
      assertThat(Snapshot.of(copy)).isEqualTo(before);
    }

    CliRunner.Result twice = cli(fresh).run("admin", "import", exported.toString());
    assertThat(twice.exitCode()).isEqualTo(1);
    assertThat(twice.err()).contains("empty data directory");

    // the imported data serves: bob signs in with his old password and sees the history
    try (TestServer server = TestServer.start(fresh)) {
      ChatClient bob = ChatClient.builder(server.uri()).login("bob", PW).build();
      bob.connect().join();
      RoomSummary general =
          bob.rooms().join().stream()
              .filter(s -> s.room().name().equals("general"))
              .findFirst()
              .get();
      assertThat(bob.history(general.room().id(), HistoryQuery.latest(10)).join().messages())
          .extracting(Message::body)
          .containsExactly("hello 👋 world", "a typo here", "", "multi\nline\tbody");
      ServerEvent.Ack next = bob.send(general.room().id(), "after the import").join();
      assertThat(next.seq()).isEqualTo(5);
      assertThat(bob.publicRooms().join()).extracting(s -> s.room().name()).contains("empty");

      // alice's outbox still held "outbox-1" (its ack was lost in the move): the resend is a
      // duplicate and gets the original ack, not a second message
      ChatClient alice = ChatClient.builder(server.uri()).login("alice", PW).build();
      alice.connect().join();
      ServerEvent.Ack resent =
          alice
              .send(new Outbox.Entry("outbox-1", general.room().id(), "hello 👋 world", null))
              .join();
      assertThat(resent.messageId()).isEqualTo(m1.messageId());
      assertThat(resent.seq()).isEqualTo(m1.seq());
      assertThat(resent.ts()).isEqualTo(m1.ts());
      assertThat(alice.history(general.room().id(), HistoryQuery.latest(10)).join().messages())
          .extracting(Message::seq)
          .containsExactly(1L, 2L, 3L, 4L, 5L);
      alice.close();
      bob.close();
    }
  }

  static byte[] png(int width, int height) throws Exception {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int x = 0; x < width; x++) {
      img.setRGB(x, x % height, 0x00FF00 + x);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }

  static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  static HttpResponse<byte[]> download(TestServer server, String token, String fileId)
      throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    return http.send(
        HttpRequest.newBuilder(server.uri().resolve("/api/files/" + fileId))
            .header("Authorization", "Bearer " + token)
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private static long regularFiles(Path dir) throws Exception {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).count();
    }
  }

  @Test
  void exportAndImportCarryFilesWithTheirBytes() throws Exception {
    byte[] image = png(400, 300);
    byte[] data = random(300_000, 42);
    byte[] note = "not sent yet".getBytes(StandardCharsets.UTF_8);
    Path exported = tmp.resolve("files-1.json");
    String room;
    FileInfo img;
    FileInfo bin;
    FileInfo same;
    FileInfo pending;
    try (TestServer server = TestServer.start(tmp.resolve("data"))) {
      ChatEngine engine = server.running().engine();
      AuthResult alice = engine.register("alice", PW, "Alice");
      AuthResult bob = engine.register("bob", PW, "Bob");
      room =
          engine
              .createRoom(alice.user(), "general", Visibility.PRIVATE, List.of("bob"))
              .room()
              .id();
      img =
          engine.uploadFile(
              alice.user(), room, "shot.png", new ByteArrayInputStream(image), 1 << 20);
      bin =
          engine.uploadFile(
              alice.user(), room, "data.bin", new ByteArrayInputStream(data), 1 << 20);
      same =
          engine.uploadFile(bob.user(), room, "copy.bin", new ByteArrayInputStream(data), 1 << 20);
      pending =
          engine.uploadFile(bob.user(), room, "later.txt", new ByteArrayInputStream(note), 1 << 20);
      // attached in an order of their own, not by id
      engine.send(alice.user(), room, "c1", "two files", null, List.of(bin.id(), img.id())).join();
      engine.send(bob.user(), room, "c2", "", null, List.of(same.id())).join();
      assertThat(img.width()).isEqualTo(400);

      CliRunner.Result r = cli(server.dataDir()).run("admin", "export", exported.toString());
      assertThat(r.exitCode()).as(r.toString()).isZero();
      assertThat(r.out()).contains("2 messages, 4 files");
    }

    JsonNode doc = new ObjectMapper().readTree(exported.toFile());
    assertThat(doc.get("version").asInt()).isEqualTo(3);
    List<String> keys = doc.get("blobs").findValuesAsText("sha256");
    assertThat(keys).doesNotHaveDuplicates().isSorted(); // the shared bytes once, by key
    JsonNode messages = doc.get("rooms").get(0).get("messages");
    assertThat(messages.get(0).get("files").findValuesAsText("id"))
        .containsExactly(bin.id(), img.id());
    assertThat(messages.get(0).get("files").get(1).get("width").asInt()).isEqualTo(400);
    assertThat(doc.get("uploads").findValuesAsText("id")).containsExactly(pending.id());
    assertThat(doc.get("uploads").get(0).get("roomId").asText()).isEqualTo(room);

    Path fresh = tmp.resolve("fresh");
    CliRunner.Result imported = cli(fresh).run("admin", "import", exported.toString());
    assertThat(imported.exitCode()).as(imported.toString()).isZero();
    assertThat(imported.out()).contains("4 files");
    Path exported2 = tmp.resolve("files-2.json");
    CliRunner.Result again = cli(fresh).run("admin", "export", exported2.toString());
    assertThat(again.exitCode()).as(again.toString()).isZero();
    assertThat(Files.readString(exported2)).isEqualTo(Files.readString(exported));

    try (TestServer server = TestServer.start(fresh)) {
      AuthResult bob = server.running().engine().login("bob", PW, null);
      HttpResponse<byte[]> got = download(server, bob.token(), img.id());
      assertThat(got.statusCode()).isEqualTo(200);
      assertThat(got.body()).isEqualTo(image);
      assertThat(download(server, bob.token(), same.id()).body()).isEqualTo(data);
      assertThat(download(server, bob.token(), bin.id()).body()).isEqualTo(data);

      ChatClient client = ChatClient.builder(server.uri()).login("bob", PW).build();
      client.connect().join();
      List<Message> history = client.history(room, HistoryQuery.latest(10)).join().messages();
      assertThat(history.get(0).files()).containsExactly(bin, img);
      assertThat(history.get(1).files()).containsExactly(same);
      client.close();
      // the upload not sent before the move can still be sent
      Message later =
          server
              .running()
              .engine()
              .send(bob.user(), room, "c3", "", null, List.of(pending.id()))
              .join();
      assertThat(later.files()).containsExactly(pending);
      assertThat(download(server, bob.token(), pending.id()).body()).isEqualTo(note);
    }

    // bytes that do not match their key: refused, and nothing is left behind
    ObjectNode tampered = (ObjectNode) new ObjectMapper().readTree(exported.toFile());
    ObjectNode first = (ObjectNode) tampered.get("blobs").get(0);
    first.put("data", random(100, 7));
    Path bad = tmp.resolve("tampered.json");
    new ObjectMapper().writeValue(bad.toFile(), tampered);
    Path other = tmp.resolve("other");
    CliRunner.Result refused = cli(other).run("admin", "import", bad.toString());
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err()).contains("SHA-256");
    assertThat(other.resolve("natter.db")).doesNotExist();
    assertThat(regularFiles(other)).isZero();
  }
}
