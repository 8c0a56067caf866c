package dev.natter.client;

import java.util.Map;

/**
 * A resume is over: after a reconnect (or a first {@code ready} with {@link
 * ChatClientBuilder#resumeFrom}), every room has caught up, its {@code sync} answered and any gap
 * filled. See {@link ChatClientBuilder#onResumed}.
 *
 * @param replayed how many messages each room delivered while catching up (mostly those sent while
 *     the client was away), for the rooms that delivered any
 */
public record Resumed(Map<String, Integer> replayed) {
  public Resumed {
    replayed = Map.copyOf(replayed);
  }

  /** All rooms' messages together. */
  public int total() {
    return replayed.values().stream().mapToInt(Integer::intValue).sum();
  }
}
