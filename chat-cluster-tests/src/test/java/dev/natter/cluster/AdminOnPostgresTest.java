package dev.natter.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.natter.cli.CliContext;
import dev.natter.cli.app.Natter;
import dev.natter.core.AuthResult;
import dev.natter.core.ChatEngine;
import dev.natter.core.ChatException;
import dev.natter.core.model.FileInfo;
import dev.natter.core.model.Message;
import dev.natter.core.model.Visibility;
import dev.natter.core.security.Pbkdf2PasswordHasher;
import dev.natter.core.store.blob.FileSystemBlobStore;
import dev.natter.store.postgres.PostgresChatStore;
import dev.natter.store.sqlite.SqliteChatStore;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code natter admin} against a PostgreSQL store ({@code --store} / {@code NATTER_STORE}). */
class AdminOnPostgresTest {
  @RegisterExtension static final Services.Postgres PG = new Services.Postgres();

  private static final String PW = "correct horse battery";
  @TempDir Path tmp;
  private final String db1 = "natter_admin_" + UUID.randomUUID().toString().substring(0, 8);
  private final String db2 = db1 + "_import";

  @AfterEach
  void dropDatabases() {
    Cluster.adminSql("DROP DATABASE IF EXISTS " + db1 + " WITH (FORCE)");
    Cluster.adminSql("DROP DATABASE IF EXISTS " + db2 + " WITH (FORCE)");
  }

  static String url(String database) {
    String jdbc = Services.pgUrl();
    String base =
        jdbc.substring("jdbc:".length(), jdbc.indexOf('/', "jdbc:postgresql://".length()));
    String query = jdbc.contains("?") ? jdbc.substring(jdbc.indexOf('?')) : "";
    return base + "/" + database + query;
  }

  private record Result(int code, String out, String err) {}

  private Result natter(String input, Map<String, String> env, String... args) {
    CliContext context =
        new CliContext(
                env,
                new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                tmp.resolve("home"))
            .passwordHasher(new Pbkdf2PasswordHasher(1000));
    CommandLine cl = Natter.commandLine(context);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void createUserResetPasswordExportAndImportWorkOnPostgres() throws Exception {
    Cluster.adminSql("CREATE DATABASE " + db1);
    Cluster.adminSql("CREATE DATABASE " + db2);
    Map<String, String> onDb1 = Map.of("NATTER_STORE", url(db1));

    Result created = natter(PW + "\n", onDb1, "admin", "create-user", "alice", "--password-stdin");
    assertThat(created.code()).as(created.toString()).isZero();
    assertThat(created.out()).contains("created user alice");

    Result reset =
        natter(
            "a new long password\n",
            Map.of(),
            "admin",
            "reset-password",
            "alice",
            "--password-stdin",
            "--store",
            url(db1));
    assertThat(reset.code()).as(reset.toString()).isZero();
    try (PostgresChatStore store = PostgresChatStore.open(url(db1));
        ChatEngine engine = ChatEngine.builder(store).build()) {
      assertThat(engine.login("alice", "a new long password", null).user().username())
          .isEqualTo("alice");
      assertThatThrownBy(() -> engine.login("alice", PW, null)).isInstanceOf(ChatException.class);
    }

    Path dump = tmp.resolve("dump.json");
    Result exported = natter("", onDb1, "admin", "export", dump.toString());
    assertThat(exported.code()).as(exported.toString()).isZero();
    assertThat(Files.readString(dump)).contains("\"username\" : \"alice\"");

    Result imported =
        natter("", Map.of("NATTER_STORE", url(db2)), "admin", "import", dump.toString());
    assertThat(imported.code()).as(imported.toString()).isZero();
    Path again = tmp.resolve("again.json");
    natter("", Map.of("NATTER_STORE", url(db2)), "admin", "export", again.toString());
    assertThat(Files.readString(again)).isEqualTo(Files.readString(dump));

    Result refused =
        natter("", Map.of("NATTER_STORE", url(db2)), "admin", "import", dump.toString());
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err()).contains("not empty");

    Result backup = natter("", onDb1, "admin", "backup", tmp.resolve("b.db").toString());
    assertThat(backup.code()).isEqualTo(1);
    assertThat(backup.err()).contains("pg_dump");
  }

  private static byte[] read(ChatEngine engine, AuthResult who, String fileId) throws Exception {
    try (InputStream in = engine.downloadFile(who.user(), fileId).body().open(0)) {
      return in.readAllBytes();
    }
  }

  @Test
  void filesTravelFromSqliteThroughAnExportIntoPostgres() throws Exception {
    Cluster.adminSql("CREATE DATABASE " + db2);
    byte[] big = new byte[3 * 1024 * 1024 + 12345]; // four chunks of the PostgreSQL blob store
    new Random(3).nextBytes(big);
    byte[] small = "a small text file".getBytes(StandardCharsets.UTF_8);
    Path dataDir = tmp.resolve("data");
    String room;
    FileInfo bigFile;
    FileInfo smallFile;
    try (SqliteChatStore store = SqliteChatStore.open(dataDir.resolve("natter.db"));
        ChatEngine engine =
            ChatEngine.builder(store)
                .blobStore(FileSystemBlobStore.open(dataDir.resolve("files")))
                .passwordHasher(new Pbkdf2PasswordHasher(1000))
                .build()) {
      AuthResult alice = engine.register("alice", PW, "Alice");
      engine.register("bob", PW, "Bob");
      room =
          engine
              .createRoom(alice.user(), "general", Visibility.PRIVATE, List.of("bob"))
              .room()
              .id();
      bigFile =
          engine.uploadFile(alice.user(), room, "big.bin", new ByteArrayInputStream(big), 10 << 20);
      smallFile =
          engine.uploadFile(
              alice.user(), room, "note.txt", new ByteArrayInputStream(small), 10 << 20);
      engine
          .send(alice.user(), room, "c1", "files", null, List.of(smallFile.id(), bigFile.id()))
          .join();
    }

    Path dump = tmp.resolve("dump.json");
    Result exported =
        natter(
            "", Map.of("NATTER_DATA_DIR", dataDir.toString()), "admin", "export", dump.toString());
    assertThat(exported.code()).as(exported.toString()).isZero();
    assertThat(exported.out()).contains("2 files");

    Result imported =
        natter("", Map.of("NATTER_STORE", url(db2)), "admin", "import", dump.toString());
    assertThat(imported.code()).as(imported.toString()).isZero();
    assertThat(imported.out()).contains("2 files");
    Path again = tmp.resolve("again.json");
    Result reexported =
        natter("", Map.of("NATTER_STORE", url(db2)), "admin", "export", again.toString());
    assertThat(reexported.code()).as(reexported.toString()).isZero();
    // the same document from either store: same files, same order, same bytes
    assertThat(Files.readString(again)).isEqualTo(Files.readString(dump));

    try (PostgresChatStore pg = PostgresChatStore.open(url(db2));
        ChatEngine engine =
            ChatEngine.builder(pg)
                .blobStore(pg.blobStore())
                .passwordHasher(new Pbkdf2PasswordHasher(1000))
                .build()) {
      AuthResult bob = engine.login("bob", PW, null);
      List<Message> history = engine.messages(bob.user(), room, null, null, 10).messages();
      assertThat(history).hasSize(1);
      assertThat(history.get(0).files()).containsExactly(smallFile, bigFile);
      assertThat(read(engine, bob, bigFile.id())).isEqualTo(big);
      assertThat(read(engine, bob, smallFile.id())).isEqualTo(small);
    }
  }
}
