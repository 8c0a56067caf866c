package dev.natter.core;

import dev.natter.core.model.User;
import dev.natter.core.protocol.ServerEvent;
import dev.natter.core.spi.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Who is typing where. An {@code active: true} is broadcast at most once per {@code throttle} per
 * user and room, and expires by itself {@code expiry} after the last one: then the others get
 * {@code active: false}.
 */
final class TypingTracker {
  private final LiveClients clients;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;
  private final Duration expiry;
  private final long throttleNanos;
  private final Map<String, Typist> typists = new ConcurrentHashMap<>();

  TypingTracker(
      LiveClients clients,
      ScheduledExecutorService scheduler,
      Clock clock,
      Duration expiry,
      Duration throttle) {
    this.clients = clients;
    this.scheduler = scheduler;
    this.clock = clock;
    this.expiry = expiry;
    this.throttleNanos = throttle.toNanos();
  }

  void typing(String roomId, User user, boolean active) {
    if (active) {
      start(roomId, user);
    } else {
      stop(roomId, user);
    }
  }

  private void start(String roomId, User user) {
    String key = key(roomId, user.id());
    long now = clock.nanoTime();
    boolean[] broadcast = new boolean[1];
    typists.compute(
        key,
        (k, old) -> {
          if (old != null) {
            old.expiry.cancel(false);
          }
          boolean due = old == null || now - old.lastBroadcastNanos >= throttleNanos;
          broadcast[0] = due;
          long last = due ? now : old.lastBroadcastNanos;
          ScheduledFuture<?> timer =
              scheduler.schedule(
                  () -> expire(roomId, user), expiry.toMillis(), TimeUnit.MILLISECONDS);
          return new Typist(last, timer);
        });
    if (broadcast[0]) {
      clients.toRoom(roomId, new ServerEvent.TypingEvent(roomId, user, true), user.id());
    }
  }

  /** Stops typing (explicitly, on send, or when the user's last connection ends). */
  void stop(String roomId, User user) {
    Typist removed = typists.remove(key(roomId, user.id()));
    if (removed != null) {
      removed.expiry.cancel(false);
      clients.toRoom(roomId, new ServerEvent.TypingEvent(roomId, user, false), user.id());
    }
  }

  /** Stops every indicator of a user (the user went offline). */
  void stopAll(User user) {
    String suffix = "\u0000" + user.id();
    for (String key : typists.keySet()) {
      if (key.endsWith(suffix)) {
        stop(key.substring(0, key.length() - suffix.length()), user);
      }
    }
  }

  private void expire(String roomId, User user) {
    String key = key(roomId, user.id());
    Typist current = typists.get(key);
    if (current != null && current.expiry.getDelay(TimeUnit.NANOSECONDS) <= 0) {
      stop(roomId, user);
    }
  }

  private static String key(String roomId, String userId) {
    return roomId + "\u0000" + userId;
  }

  private record Typist(long lastBroadcastNanos, ScheduledFuture<?> expiry) {}
}
