package dev.natter.client;

/** Where a {@link ChatClient}'s connection stands. */
public enum ConnectionState {
  /** Built, {@link ChatClient#connect()} not called yet. */
  NEW,
  /** Signing in and opening the first connection. */
  CONNECTING,
  /** The server said {@code ready}: events flow and requests are sent at once. */
  CONNECTED,
  /**
   * The connection was lost; the client retries with backoff. Sends are kept in the {@link Outbox}
   * and go out after the next {@code ready}.
   */
  RECONNECTING,
  /** The session was revoked or expired (close 4001, or HTTP 401): no reconnect. Terminal. */
  SIGNED_OUT,
  /** Closed by {@link ChatClient#close()}, by the server with 1000, or the first connect failed. */
  CLOSED;

  /**
   * Whether the client has stopped for good.
   *
   * @return true for {@link #SIGNED_OUT} and {@link #CLOSED}
   */
  public boolean isTerminal() {
    return this == SIGNED_OUT || this == CLOSED;
  }
}
