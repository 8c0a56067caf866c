package dev.natter.cli.term;

import static org.assertj.core.api.Assertions.assertThat;

import dev.natter.core.model.FileInfo;
import org.junit.jupiter.api.Test;

class FileLabelTest {
  @Test
  void sizesForPeopleInDecimalUnits() {
    assertThat(FileLabel.size(0)).isEqualTo("0 B");
    assertThat(FileLabel.size(999)).isEqualTo("999 B");
    assertThat(FileLabel.size(1000)).isEqualTo("1.0 kB");
    assertThat(FileLabel.size(48_213)).isEqualTo("48.2 kB");
    assertThat(FileLabel.size(999_999)).isEqualTo("1.0 MB");
    assertThat(FileLabel.size(1_200_000)).isEqualTo("1.2 MB");
    assertThat(FileLabel.size(25_000_000)).isEqualTo("25.0 MB");
    assertThat(FileLabel.size(3_500_000_000L)).isEqualTo("3.5 GB");
  }

  @Test
  void aLabelHasNameSizeAndIdWithForeignTextSanitized() {
    assertThat(
            FileLabel.of(new FileInfo("f-1", "spec.pdf", "application/pdf", 1_200_000, null, null)))
        .isEqualTo("[file: spec.pdf 1.2 MB f-1]");
    assertThat(FileLabel.of(new FileInfo("f-2", "evil\u001b[2J\u202e.png", "image/png", 10, 1, 1)))
        .isEqualTo("[file: evil.png 10 B f-2]");
  }
}
