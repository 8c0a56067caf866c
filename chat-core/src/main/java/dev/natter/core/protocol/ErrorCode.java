package dev.natter.core.protocol;

import java.util.Locale;

/** The protocol's error codes, each with the HTTP status an HTTP API answers it with. */
public enum ErrorCode {
  BAD_REQUEST(400),
  UNAUTHORIZED(401),
  FORBIDDEN(403),
  NOT_FOUND(404),
  CONFLICT(409),
  TOO_LARGE(413),
  RATE_LIMITED(429),
  INTERNAL(500);

  private final int httpStatus;

  ErrorCode(int httpStatus) {
    this.httpStatus = httpStatus;
  }

  public int httpStatus() {
    return httpStatus;
  }

  /** The name on the wire, for example {@code "bad_request"}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
