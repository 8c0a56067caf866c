package dev.natter.core.protocol;

/** Every reason the server closes a WebSocket, with its close code. The only list of them. */
public enum CloseCode {
  NORMAL(1000, "normal closure"),
  GOING_AWAY(1001, "server going away"),
  POLICY(1008, "policy violation"),
  TOO_LARGE(1009, "frame too large"),
  SESSION_REVOKED(4001, "session revoked or expired"),
  SLOW_CONSUMER(4008, "slow consumer: outbound queue full"),
  RATE_LIMITED(4029, "rate limit exceeded");

  private final int code;
  private final String reason;

  CloseCode(int code, String reason) {
    this.code = code;
    this.reason = reason;
  }

  public int code() {
    return code;
  }

  public String reason() {
    return reason;
  }

  /** Whether a client should reconnect (with backoff) after this close. */
  public boolean shouldReconnect() {
    return this != NORMAL && this != SESSION_REVOKED;
  }
}
