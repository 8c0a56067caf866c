package dev.natter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.natter.client.ChatClient;
import dev.natter.client.HistoryQuery;
import dev.natter.core.model.FileInfo;
import dev.natter.core.model.Message;
import dev.natter.core.model.Visibility;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code natter download} and {@code natter send --file}, in-process against a real server. */
@Timeout(120)
class FileCommandsTest {
  private static final String PW = "correct horse battery";
  @TempDir static Path tmp;
  static TestServer server;
  static ChatClient bob;
  static String general;
  static CliRunner alice;

  @BeforeAll
  static void start() {
    server = TestServer.start(tmp.resolve("data"));
    bob = ChatClient.builder(server.uri()).register("bob", PW, "Bob").build();
    bob.connect().join();
    general = bob.createRoom("general", Visibility.PUBLIC, List.of()).join().room().id();
    alice = new CliRunner(tmp.resolve("alice")).env("NATTER_SERVER", server.uri().toString());
    CliRunner.Result r =
        alice.runWithInput(PW + "\n", "register", "-u", "alice", "--password-stdin");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    ChatClient a = ChatClient.builder(server.uri()).login("alice", PW).build();
    a.joinByName("general").join();
    a.close();
  }

  @AfterAll
  static void stop() {
    bob.close();
    server.close();
  }

  private static CliRunner.Result run(Path cwd, String... args) {
    return CliRunner.run(alice.context("").workingDirectory(cwd), args);
  }

  private static FileInfo sentByBob(String name, byte[] content) throws Exception {
    Path file = Files.write(Files.createTempDirectory(tmp, "bob").resolve(name), content);
    FileInfo up = bob.upload(general, file).join();
    bob.sendWithFiles(general, "", List.of(up.id())).join();
    return up;
  }

  @Test
  void downloadSavesTheFileUnderItsNameAndNeverOverwrites() throws Exception {
    byte[] content = new byte[1_500_000];
    new Random(3).nextBytes(content);
    FileInfo f = sentByBob("report.pdf", content);
    Path dir = Files.createDirectories(tmp.resolve("dl"));

    CliRunner.Result first = run(dir, "download", f.id());
    assertThat(first.exitCode()).as(first.toString()).isZero();
    assertThat(first.out()).isEqualTo("saved report.pdf (1.5 MB)\n");
    assertThat(Files.readAllBytes(dir.resolve("report.pdf"))).isEqualTo(content);

    Files.write(dir.resolve("report.pdf"), "mine".getBytes());
    CliRunner.Result second = run(dir, "download", f.id());
    assertThat(second.exitCode()).as(second.toString()).isZero();
    assertThat(second.out()).isEqualTo("saved report (1).pdf (1.5 MB)\n");
    assertThat(Files.readString(dir.resolve("report.pdf"))).isEqualTo("mine");
    assertThat(Files.readAllBytes(dir.resolve("report (1).pdf"))).isEqualTo(content);

    // -o: a new file, or a directory
    CliRunner.Result named = run(dir, "download", f.id(), "-o", "copy.pdf");
    assertThat(named.exitCode()).as(named.toString()).isZero();
    assertThat(Files.readAllBytes(dir.resolve("copy.pdf"))).isEqualTo(content);
    Path sub = Files.createDirectories(dir.resolve("sub"));
    assertThat(run(dir, "download", f.id(), "-o", "sub").out())
        .isEqualTo("saved sub/report.pdf (1.5 MB)\n");
    assertThat(Files.readAllBytes(sub.resolve("report.pdf"))).isEqualTo(content);

    // an existing file named with -o is refused and kept
    CliRunner.Result refused = run(dir, "download", f.id(), "-o", "report.pdf");
    assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
    assertThat(refused.err()).contains("report.pdf exists; not overwriting it");
    assertThat(Files.readString(dir.resolve("report.pdf"))).isEqualTo("mine");

    // an unknown id: not found, and nothing left behind
    List<Path> before;
    try (var s = Files.list(dir)) {
      before = s.sorted().toList();
    }
    CliRunner.Result unknown = run(dir, "download", "no-such-file");
    assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(1);
    assertThat(unknown.err()).contains("not found");
    try (var s = Files.list(dir)) {
      assertThat(s.sorted().toList()).isEqualTo(before);
    }
  }

  @Test
  void sendWithFilesUploadsThemAndSendsOneMessage() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("send"));
    Files.writeString(dir.resolve("a.txt"), "alpha");
    Files.writeString(dir.resolve("b.txt"), "beta!");

    CliRunner.Result r =
        run(dir, "send", "general", "--file", "a.txt", "--file", "b.txt", "two", "files");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).matches("sent #\\d+ to #general with 2 files\n");

    CliRunner.Result alone = run(dir, "send", "general", "--file", "a.txt");
    assertThat(alone.exitCode()).as(alone.toString()).isZero();
    assertThat(alone.out()).matches("sent #\\d+ to #general with 1 file\n");

    List<Message> last = bob.history(general, HistoryQuery.latest(2)).join().messages();
    assertThat(last.get(0).body()).isEqualTo("two files");
    assertThat(last.get(0).files()).extracting(FileInfo::name).containsExactly("a.txt", "b.txt");
    assertThat(last.get(0).files()).extracting(FileInfo::size).containsExactly(5L, 5L);
    assertThat(last.get(1).body()).isEmpty();
    assertThat(last.get(1).files()).extracting(FileInfo::name).containsExactly("a.txt");

    // history prints the files
    CliRunner.Result history = run(dir, "history", "general", "-n", "1");
    assertThat(history.out())
        .contains("<alice> [file: a.txt 5 B " + last.get(1).files().get(0).id() + "]");

    CliRunner.Result missing = run(dir, "send", "general", "--file", "nope.txt", "hi");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).contains("no readable file");
    CliRunner.Result empty = run(dir, "send", "general");
    assertThat(empty.exitCode()).isEqualTo(2);
  }
}
