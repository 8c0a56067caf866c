package dev.natter.core.protocol;

import java.util.Optional;

/**
 * Every reason the server closes a WebSocket, with its close code: the only list of them. Servers
 * close with these; clients read them back with {@link #of(int)} to decide whether to reconnect.
 */
public enum CloseCode {
  /** 1000: a clean close asked for by either side; no reconnect. */
  NORMAL(1000, "normal closure"),
  /** 1001: the server is shutting down, or the peer stayed silent past the heartbeat timeout. */
  GOING_AWAY(1001, "server going away"),
  /** 1002: the client broke the WebSocket protocol (RFC 6455), such as an unmasked frame. */
  PROTOCOL_ERROR(1002, "protocol error"),
  /** 1007: a text message that is not valid UTF-8. */
  INVALID_TEXT(1007, "invalid UTF-8"),
  /** 1008: the connection broke a policy (not authenticated, a foreign origin). */
  POLICY(1008, "policy violation"),
  /** 1009: a frame over the size limit. */
  TOO_LARGE(1009, "frame too large"),
  /** 1011: the server failed unexpectedly while handling the connection. */
  INTERNAL_ERROR(1011, "internal error"),
  /** 4001: the login session was revoked (logout, password reset) or expired; no reconnect. */
  SESSION_REVOKED(4001, "session revoked or expired"),
  /** 4008: the client did not read fast enough and its outbound queue filled up. */
  SLOW_CONSUMER(4008, "slow consumer: outbound queue full"),
  /** 4029: the client kept sending while rate limited. */
  RATE_LIMITED(4029, "rate limit exceeded");

  private final int code;
  private final String reason;

  CloseCode(int code, String reason) {
    this.code = code;
    this.reason = reason;
  }

  /**
   * The numeric close code on the wire.
   *
   * @return the WebSocket close status code, such as 1000 or 4001
   */
  public int code() {
    return code;
  }

  /**
   * The default close reason sent with the code.
   *
   * @return a short English phrase
   */
  public String reason() {
    return reason;
  }

  /**
   * Whether a client should reconnect (with backoff) after this close.
   *
   * @return false for {@link #NORMAL} and {@link #SESSION_REVOKED}, true otherwise
   */
  public boolean shouldReconnect() {
    return this != NORMAL && this != SESSION_REVOKED;
  }

  /**
   * The close reason with this numeric code.
   *
   * @param code a WebSocket close status code
   * @return the matching constant, or empty for a code this server never sends (such as 1006, which
   *     only reports a connection that ended without a close frame)
   */
  public static Optional<CloseCode> of(int code) {
    for (CloseCode c : values()) {
      if (c.code == code) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }
}
