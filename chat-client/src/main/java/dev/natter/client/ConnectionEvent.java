package dev.natter.client;

import java.util.Map;

/**
 * What happens to a {@link ChatClient}'s connection, as told to {@link
 * ChatListener#onConnectionEvent}.
 */
public sealed interface ConnectionEvent {

  /**
   * The client's {@link ConnectionState} changed.
   *
   * @param state the new state
   */
  record StateChanged(ConnectionState state) implements ConnectionEvent {}

  /**
   * An attempt to connect failed: signing in, opening the WebSocket, or (before the first {@code
   * ready}) a connection closed before {@code ready}. The client tries again after a backoff unless
   * its state is terminal by then.
   *
   * @param cause why: a {@link dev.natter.core.ChatException} with the server's error code, or an
   *     {@link java.io.IOException} when the server could not be reached
   */
  record ConnectFailed(Throwable cause) implements ConnectionEvent {}

  /**
   * An open connection ended; told before the state changes (to {@code RECONNECTING}, or to a
   * terminal state).
   *
   * @param code the close code: the server's (1000 normal, 1001 going away, 1008 policy, 1009 too
   *     large, 4001 session revoked or expired, 4008 slow consumer, 4029 rate limit exceeded), or
   *     1006 when the connection broke without one or the client gave up on a silent one
   * @param reason the close reason, or what the client saw
   */
  record Disconnected(int code, String reason) implements ConnectionEvent {}

  /**
   * A resume is over: after a reconnect (or a first {@code ready} with {@link
   * ChatClientBuilder#resumeFrom}), every room has caught up, its {@code sync} answered and any gap
   * filled. Told once per reconnect, after the messages it counts.
   *
   * @param replayed how many messages each room delivered while catching up (mostly those sent
   *     while the client was away), for the rooms that delivered any
   */
  record Resumed(Map<String, Integer> replayed) implements ConnectionEvent {
    /**
     * Copies the map.
     *
     * @param replayed messages per room
     */
    public Resumed {
      replayed = Map.copyOf(replayed);
    }

    /**
     * All rooms' messages together.
     *
     * @return the sum of {@link #replayed()}
     */
    public int total() {
      return replayed.values().stream().mapToInt(Integer::intValue).sum();
    }
  }
}
