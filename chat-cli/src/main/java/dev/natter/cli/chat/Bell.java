package dev.natter.cli.chat;

import dev.natter.core.model.NotifyLevel;
import java.util.Locale;
import java.util.Optional;

/**
 * When the terminal bell rings for a new message of someone else: the user's setting ({@code bell}
 * in the config file: {@code mentions}, the default, {@code all} or {@code off}) within the room's
 * notification level (synced from the server: a room at {@code none} never rings, one at {@code
 * mentions} only for mentions of me). At most one ring a second, so catching up after a reconnect
 * does not ring a burst.
 */
final class Bell {
  /** The user's setting. */
  enum Setting {
    ALL,
    MENTIONS,
    OFF;

    static final Setting DEFAULT = MENTIONS;

    String word() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The setting for a word of the config file or {@code /bell}; empty for anything else. */
    static Optional<Setting> parse(String word) {
      for (Setting s : values()) {
        if (s.word().equalsIgnoreCase(word == null ? "" : word.strip())) {
          return Optional.of(s);
        }
      }
      return Optional.empty();
    }
  }

  private static final long MIN_GAP_NANOS = 1_000_000_000L;

  private final Runnable ring;
  private volatile Setting setting;
  private long lastRing;
  private boolean rangBefore;

  Bell(Setting setting, Runnable ring) {
    this.setting = setting;
    this.ring = ring;
  }

  Setting setting() {
    return setting;
  }

  void setting(Setting setting) {
    this.setting = setting;
  }

  /** Whether a new message of someone else rings, by setting and level. */
  static boolean rings(Setting setting, NotifyLevel level, boolean mentionsMe) {
    if (setting == Setting.OFF || level == NotifyLevel.NONE) {
      return false;
    }
    return mentionsMe || (setting == Setting.ALL && level == NotifyLevel.ALL);
  }

  /** A new message of someone else arrived: rings if it should and did not ring just now. */
  synchronized void onMessage(NotifyLevel level, boolean mentionsMe) {
    if (!rings(setting, level, mentionsMe)) {
      return;
    }
    long now = System.nanoTime();
    if (rangBefore && now - lastRing < MIN_GAP_NANOS) {
      return;
    }
    rangBefore = true;
    lastRing = now;
    ring.run();
  }
}
