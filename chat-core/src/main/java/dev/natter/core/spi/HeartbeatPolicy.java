package dev.natter.core.spi;

/**
 * When the transport pings a connection, and when it gives up on one that stays silent. The
 * transport sends pings every {@link #intervalMs()} and closes a peer from which nothing (no pong,
 * no frame) arrived for {@link #timeoutMs()}.
 */
public interface HeartbeatPolicy {
  /**
   * How often the transport pings each connection.
   *
   * @return the ping interval in milliseconds
   */
  long intervalMs();

  /**
   * How long a connection may stay silent before it is closed.
   *
   * @return the silence deadline in milliseconds, longer than {@link #intervalMs()}
   */
  long timeoutMs();

  /**
   * Whether a connection last heard from {@code silentForMs} ago is dead.
   *
   * @param silentForMs milliseconds since anything arrived from the peer
   * @return true once the silence is longer than {@link #timeoutMs()}
   */
  default boolean isDead(long silentForMs) {
    return silentForMs > timeoutMs();
  }

  /**
   * A fixed policy.
   *
   * @param intervalMs the ping interval in milliseconds, positive
   * @param timeoutMs the silence deadline in milliseconds, longer than the interval
   * @return the policy
   * @throws IllegalArgumentException unless {@code 0 < intervalMs < timeoutMs}
   */
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

  /**
   * Pings every 25 s, closes after 60 s of silence.
   *
   * @return the default policy
   */
  static HeartbeatPolicy defaults() {
    return of(25_000, 60_000);
  }
}
