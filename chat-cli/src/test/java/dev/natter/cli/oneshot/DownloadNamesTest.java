package dev.natter.cli.oneshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DownloadNamesTest {
  @TempDir Path dir;

  @Test
  void aTakenNameGetsTheNextNumberAndNothingIsOverwritten() throws Exception {
    Files.writeString(dir.resolve("report.pdf"), "old");
    Files.writeString(dir.resolve("report (1).pdf"), "older");
    Path part = dir.resolve(".part");
    Files.writeString(part, "new");

    Path placed = DownloadCommand.placeUnderFreeName(part, dir, "report.pdf");

    assertThat(placed).isEqualTo(dir.resolve("report (2).pdf"));
    assertThat(Files.readString(placed)).isEqualTo("new");
    assertThat(Files.readString(dir.resolve("report.pdf"))).isEqualTo("old");
    assertThat(Files.readString(dir.resolve("report (1).pdf"))).isEqualTo("older");

    Path again = DownloadCommand.placeUnderFreeName(part, dir, "README");
    assertThat(again).isEqualTo(dir.resolve("README"));
  }

  @Test
  void theServersNameBecomesOneHarmlessPathSegment() {
    assertThat(DownloadCommand.safeName("spec.pdf")).isEqualTo("spec.pdf");
    assertThat(DownloadCommand.safeName("../../.bashrc")).isEqualTo("_.._.bashrc");
    assertThat(DownloadCommand.safeName(".hidden")).isEqualTo("hidden");
    assertThat(DownloadCommand.safeName("a\u001b[31mb\u202e.txt")).isEqualTo("ab.txt");
    assertThat(DownloadCommand.safeName("...")).isEqualTo("download");
    assertThat(DownloadCommand.safeName("x".repeat(300) + ".pdf")).hasSize(200).endsWith(".pdf");
  }
}
