package dev.natter.core;

import dev.natter.core.spi.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Tells a user's contacts about presence changes at most once per {@link Limits#presenceDebounce()}
 * per user: the first change goes out at once; changes within the window after it are folded into
 * one told at the window's end, and only if the status then differs from the one last told. A user
 * whose connections come and go 40 times a second thus costs each contact a few events, not 80.
 * Whether the status differs from the one last told is the {@link
 * dev.natter.core.spi.PresenceDirectory}'s to say (across nodes: a change is told by one node).
 */
final class PresenceDebounce {
  private final Clock clock;
  private final long windowNanos;
  private final ScheduledExecutorService timers;
  private final Function<String, Optional<Boolean>> claimChange;
  private final BiConsumer<String, Boolean> tell;
  private final ConcurrentHashMap<String, State> states = new ConcurrentHashMap<>();

  private static final class State {
    long toldAt;
    boolean told;
    boolean pending;
  }

  /**
   * @param claimChange the status to tell about a user id, if it differs from the one last told
   * @param tell tells a user's contacts a status (user id, online)
   */
  PresenceDebounce(
      Clock clock,
      Duration window,
      ScheduledExecutorService timers,
      Function<String, Optional<Boolean>> claimChange,
      BiConsumer<String, Boolean> tell) {
    this.clock = clock;
    this.windowNanos = window.toNanos();
    this.timers = timers;
    this.claimChange = claimChange;
    this.tell = tell;
  }

  /** The user's status may have changed: tell it now, or at the end of the current window. */
  void changed(String userId) {
    if (windowNanos == 0) {
      claimChange.apply(userId).ifPresent(online -> tell.accept(userId, online));
      return;
    }
    State s = states.computeIfAbsent(userId, k -> new State());
    long delayNanos;
    synchronized (s) {
      if (s.pending) {
        return; // the scheduled check will tell the status of that moment
      }
      long now = clock.nanoTime();
      long sinceTold = now - s.toldAt;
      if (!s.told || sinceTold >= windowNanos) {
        tellIfChanged(userId, s, now);
        return;
      }
      s.pending = true;
      delayNanos = windowNanos - sinceTold;
    }
    try {
      timers.schedule(() -> windowEnded(userId, s), delayNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closing) {
      // the engine is closing: nobody is left to tell
    }
  }

  private void windowEnded(String userId, State s) {
    synchronized (s) {
      s.pending = false;
      tellIfChanged(userId, s, clock.nanoTime());
    }
  }

  private void tellIfChanged(String userId, State s, long now) {
    Optional<Boolean> change = claimChange.apply(userId);
    if (change.isEmpty()) {
      return;
    }
    s.told = true;
    s.toldAt = now;
    tell.accept(userId, change.get());
  }

  /** Forgets users whose last change is long told, so idle users use no memory. */
  void prune() {
    long now = clock.nanoTime();
    states
        .entrySet()
        .removeIf(
            e -> {
              State s = e.getValue();
              synchronized (s) {
                return !s.pending && now - s.toldAt > windowNanos;
              }
            });
  }
}
