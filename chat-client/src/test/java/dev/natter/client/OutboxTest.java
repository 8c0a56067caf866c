package dev.natter.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxTest {
  @Test
  void inMemoryKeepsInsertionOrderAndReplacesById() {
    Outbox box = Outbox.inMemory();
    box.add(new Outbox.Entry("1", "r", "a", null));
    box.add(new Outbox.Entry("2", "r", "b", "m1"));
    box.add(new Outbox.Entry("1", "r", "a2", null));
    assertThat(box.entries()).extracting(Outbox.Entry::body).containsExactly("a2", "b");
    box.remove("1");
    box.remove("unknown");
    assertThat(box.entries()).containsExactly(new Outbox.Entry("2", "r", "b", "m1"));
  }

  @Test
  void aFileOutboxSurvivesARestart(@TempDir Path dir) {
    Path file = dir.resolve("sub/outbox.jsonl");
    Outbox box = Outbox.file(file);
    box.add(new Outbox.Entry("1", "r", "héllo \"quoted\"\nline", null));
    box.add(new Outbox.Entry("2", "r", "b", "m1"));
    box.remove("1");
    box.add(new Outbox.Entry("3", "s", "c", null));

    Outbox reopened = Outbox.file(file);
    assertThat(reopened.entries())
        .containsExactly(
            new Outbox.Entry("2", "r", "b", "m1"), new Outbox.Entry("3", "s", "c", null));
    reopened.remove("2");
    reopened.remove("3");
    assertThat(Outbox.file(file).entries()).isEmpty();
  }
}
