package dev.natter.core.protocol;

import java.util.Locale;

/** The protocol's error codes, each with the HTTP status an HTTP API answers it with. */
public enum ErrorCode {
  /** The request was malformed or broke a rule about its content (400). */
  BAD_REQUEST(400),
  /** No valid session (401). */
  UNAUTHORIZED(401),
  /** Signed in, but not allowed to do this (403). */
  FORBIDDEN(403),
  /** The thing asked for does not exist (404). */
  NOT_FOUND(404),
  /** The request conflicts with what exists (409). */
  CONFLICT(409),
  /** The request or a field of it is over a size limit (413). */
  TOO_LARGE(413),
  /** Too many requests; try again later (429). */
  RATE_LIMITED(429),
  /** The server failed; nothing was done (500). */
  INTERNAL(500);

  private final int httpStatus;

  ErrorCode(int httpStatus) {
    this.httpStatus = httpStatus;
  }

  /**
   * The HTTP status an HTTP API answers this error with.
   *
   * @return a 4xx or 5xx status
   */
  public int httpStatus() {
    return httpStatus;
  }

  /**
   * The name on the wire.
   *
   * @return the lower-case name, for example {@code "bad_request"}
   */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
