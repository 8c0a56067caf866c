package dev.natter.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.natter.cli.Account;
import dev.natter.cli.CliException;
import dev.natter.cli.ExitCodes;
import dev.natter.client.Outbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFilesTest {
  @TempDir Path tmp;

  @Test
  void configIsSavedOwnerOnlyAndReadBack() throws Exception {
    ConfigFile file = new ConfigFile(tmp.resolve("a/b/config.json"));
    assertThat(file.load()).isEqualTo(CliConfig.empty());
    file.save(new CliConfig("http://127.0.0.1:8080", "alice", "t0ken"));
    assertThat(file.load()).isEqualTo(new CliConfig("http://127.0.0.1:8080", "alice", "t0ken"));
    assertThat(Files.getPosixFilePermissions(file.path()))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.getPosixFilePermissions(file.path().getParent()))
        .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    // a file made readable by others is tightened on the next save
    Files.setPosixFilePermissions(file.path(), PosixFilePermissions.fromString("rw-r--r--"));
    file.save(file.load().withLogin("alice", "new"));
    assertThat(Files.getPosixFilePermissions(file.path()))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
  }

  @Test
  void aBrokenConfigIsAClearFailure() throws Exception {
    Path p = tmp.resolve("config.json");
    Files.writeString(p, "{not json");
    Throwable t = catchThrowable(() -> new ConfigFile(p).load());
    assertThat(t).isInstanceOf(ConfigFileException.class).hasMessageContaining("not valid JSON");
    assertThat(ExitCodes.exitCodeOf(t)).isEqualTo(ExitCodes.FAILURE);
    assertThat(ExitCodes.messageOf(t)).startsWith("the config file " + p).contains("not valid");
  }

  @Test
  void outboxSurvivesAReopenAndIsOwnerOnly() throws Exception {
    Path p = tmp.resolve("outbox.json");
    PrivateFileOutbox box = new PrivateFileOutbox(p);
    box.add(new Outbox.Entry("id-1", "room", "first", null));
    box.add(new Outbox.Entry("id-2", "room", "second\nline", "m1"));
    assertThat(Files.getPosixFilePermissions(p))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    PrivateFileOutbox again = new PrivateFileOutbox(p);
    assertThat(again.entries())
        .containsExactly(
            new Outbox.Entry("id-1", "room", "first", null),
            new Outbox.Entry("id-2", "room", "second\nline", "m1"));
    again.remove("id-1");
    again.remove("id-2");
    assertThat(p).doesNotExist();
    assertThat(new PrivateFileOutbox(p).entries()).isEmpty();
  }

  @Test
  void serverUrls() {
    assertThat(Account.parseServer("localhost:9000").toString()).isEqualTo("http://localhost:9000");
    assertThat(Account.parseServer("https://chat.example.org/").toString())
        .isEqualTo("https://chat.example.org");
    assertThatThrownBy(() -> Account.parseServer("ftp://x")).isInstanceOf(CliException.class);
  }
}
