package dev.natter.client;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Follows one resume: the rooms still catching up, and how many messages each delivered meanwhile.
 * A resume cut short by a lost connection goes on with the next one (its counts are kept). Event
 * thread only.
 */
final class ResumeProgress {
  private final Set<String> catchingUp = new HashSet<>();
  private final Map<String, Integer> replayed = new LinkedHashMap<>();
  private boolean active;

  /** A resume starts (or goes on) with these rooms to catch up. */
  void start(Collection<String> rooms) {
    active = true;
    catchingUp.clear();
    catchingUp.addAll(rooms);
  }

  /** The connection is gone: what was in flight says nothing until the next start. */
  void pause() {
    active = false;
  }

  void delivered(String room, int messages) {
    if (active && catchingUp.contains(room)) {
      replayed.merge(room, messages, Integer::sum);
    }
  }

  /**
   * Rooms that caught up leave the resume; returns its result once no room is left (and only then).
   */
  ConnectionEvent.Resumed check(Predicate<String> caughtUp) {
    if (!active) {
      return null;
    }
    catchingUp.removeIf(caughtUp);
    if (!catchingUp.isEmpty()) {
      return null;
    }
    active = false;
    ConnectionEvent.Resumed done = new ConnectionEvent.Resumed(replayed);
    replayed.clear();
    return done;
  }
}
