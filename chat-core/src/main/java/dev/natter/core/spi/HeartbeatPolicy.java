package dev.natter.core.spi;

/**
 * When the transport pings a connection, and when it gives up on one that stays silent. The
 * transport sends pings every {@link #intervalMs()} and closes a peer from which nothing (no pong,
 * no frame) arrived for {@link #timeoutMs()}.
 */
public interface HeartbeatPolicy {
  long intervalMs();

  long timeoutMs();

  /** Whether a connection last heard from {@code silentForMs} ago is dead. */
  default boolean isDead(long silentForMs) {
    return silentForMs > timeoutMs();
  }

  static HeartbeatPolicy of(long intervalMs, long timeoutMs) {
    if (intervalMs <= 0 || timeoutMs <= intervalMs) {
      throw new IllegalArgumentException("need 0 < intervalMs < timeoutMs");
    }
    return new HeartbeatPolicy() {
      @Override
      public long intervalMs() {
        return intervalMs;
      }

      @Override
      public long timeoutMs() {
        return timeoutMs;
      }
    };
  }

  /** Pings every 25 s, closes after 60 s of silence. */
  static HeartbeatPolicy defaults() {
    return of(25_000, 60_000);
  }
}
