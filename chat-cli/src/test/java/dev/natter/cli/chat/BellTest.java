package dev.natter.cli.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.natter.core.model.NotifyLevel;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BellTest {
  @Test
  void theSettingRingsWithinTheRoomsLevel() {
    for (NotifyLevel level : NotifyLevel.values()) {
      assertThat(Bell.rings(Bell.Setting.OFF, level, true)).isFalse();
    }
    assertThat(Bell.rings(Bell.Setting.MENTIONS, NotifyLevel.ALL, true)).isTrue();
    assertThat(Bell.rings(Bell.Setting.MENTIONS, NotifyLevel.ALL, false)).isFalse();
    assertThat(Bell.rings(Bell.Setting.MENTIONS, NotifyLevel.MENTIONS, true)).isTrue();
    assertThat(Bell.rings(Bell.Setting.MENTIONS, NotifyLevel.NONE, true)).isFalse();
    assertThat(Bell.rings(Bell.Setting.ALL, NotifyLevel.ALL, false)).isTrue();
    assertThat(Bell.rings(Bell.Setting.ALL, NotifyLevel.MENTIONS, false)).isFalse();
    assertThat(Bell.rings(Bell.Setting.ALL, NotifyLevel.MENTIONS, true)).isTrue();
    assertThat(Bell.rings(Bell.Setting.ALL, NotifyLevel.NONE, true)).isFalse();
  }

  @Test
  void aBurstRingsOnce() {
    AtomicInteger rings = new AtomicInteger();
    Bell bell = new Bell(Bell.Setting.ALL, rings::incrementAndGet);
    bell.onMessage(NotifyLevel.NONE, true);
    assertThat(rings).hasValue(0);
    for (int i = 0; i < 50; i++) {
      bell.onMessage(NotifyLevel.ALL, false);
    }
    assertThat(rings).hasValue(1); // 50 calls in far less than the one-second gap
  }

  @Test
  void settingsReadFromTheConfigWord() {
    assertThat(Bell.Setting.parse("Mentions")).hasValue(Bell.Setting.MENTIONS);
    assertThat(Bell.Setting.parse(" off ")).hasValue(Bell.Setting.OFF);
    assertThat(Bell.Setting.parse("loud")).isEmpty();
    assertThat(Bell.Setting.parse(null)).isEmpty();
    assertThat(Bell.Setting.DEFAULT).isEqualTo(Bell.Setting.MENTIONS);
  }
}
