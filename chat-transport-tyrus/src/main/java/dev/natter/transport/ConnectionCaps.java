package dev.natter.transport;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts open WebSockets per user and per client address and refuses one over either cap, so that
 * one account or one machine cannot hold the server's sockets and memory. Peers on the loopback
 * interface are not counted per address (see {@link Addresses#isLoopback}).
 */
final class ConnectionCaps {
  private final int perUser;
  private final int perAddress;
  private final ConcurrentHashMap<String, Integer> byUser = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Integer> byAddress = new ConcurrentHashMap<>();

  ConnectionCaps(int perUser, int perAddress) {
    this.perUser = perUser;
    this.perAddress = perAddress;
  }

  /**
   * Counts one more connection, or refuses it.
   *
   * @return null when counted (call {@link #release} when it ends), else why it was refused
   */
  String tryOpen(String userId, String address) {
    String counted = Addresses.forLimits(address);
    if (!tryIncrement(byUser, userId, perUser)) {
      return "too many connections for this user (at most " + perUser + ")";
    }
    if (counted != null && !tryIncrement(byAddress, counted, perAddress)) {
      decrement(byUser, userId);
      return "too many connections from this address (at most " + perAddress + ")";
    }
    return null;
  }

  /** Forgets a connection counted by {@link #tryOpen}. */
  void release(String userId, String address) {
    decrement(byUser, userId);
    String counted = Addresses.forLimits(address);
    if (counted != null) {
      decrement(byAddress, counted);
    }
  }

  int openFor(String userId) {
    return byUser.getOrDefault(userId, 0);
  }

  private static boolean tryIncrement(
      ConcurrentHashMap<String, Integer> counts, String key, int cap) {
    boolean[] ok = {false};
    counts.compute(
        key,
        (k, n) -> {
          int now = n == null ? 0 : n;
          if (now >= cap) {
            return n;
          }
          ok[0] = true;
          return now + 1;
        });
    return ok[0];
  }

  private static void decrement(ConcurrentHashMap<String, Integer> counts, String key) {
    counts.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
  }
}
