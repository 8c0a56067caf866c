package dev.natter.core;

import dev.natter.core.protocol.ErrorCode;

/**
 * The one root exception of Natter. Each subclass names what failed and carries the protocol's
 * error code, so every adapter maps failures the same way.
 */
public class ChatException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final ErrorCode code;

  public ChatException(ErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  public ChatException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public ErrorCode code() {
    return code;
  }

  /** The request was malformed or broke a rule about its content. */
  public static final class BadRequest extends ChatException {
    private static final long serialVersionUID = 1L;

    public BadRequest(String message) {
      super(ErrorCode.BAD_REQUEST, message);
    }
  }

  /** No valid session. */
  public static final class Unauthorized extends ChatException {
    private static final long serialVersionUID = 1L;

    public Unauthorized(String message) {
      super(ErrorCode.UNAUTHORIZED, message);
    }
  }

  /** Authenticated, but not allowed to do this. */
  public static final class Forbidden extends ChatException {
    private static final long serialVersionUID = 1L;

    public Forbidden(String message) {
      super(ErrorCode.FORBIDDEN, message);
    }
  }

  /** The thing asked for does not exist. */
  public static final class NotFound extends ChatException {
    private static final long serialVersionUID = 1L;

    public NotFound(String message) {
      super(ErrorCode.NOT_FOUND, message);
    }
  }

  /** The request conflicts with what exists (a taken username, say). */
  public static final class Conflict extends ChatException {
    private static final long serialVersionUID = 1L;

    public Conflict(String message) {
      super(ErrorCode.CONFLICT, message);
    }
  }

  /** The request or one of its fields is over a size limit. */
  public static final class TooLarge extends ChatException {
    private static final long serialVersionUID = 1L;

    public TooLarge(String message) {
      super(ErrorCode.TOO_LARGE, message);
    }
  }

  /** Too many requests; try again later. */
  public static final class RateLimited extends ChatException {
    private static final long serialVersionUID = 1L;

    public RateLimited(String message) {
      super(ErrorCode.RATE_LIMITED, message);
    }
  }

  /** A store or other infrastructure failure; nothing was acknowledged. */
  public static final class StoreFailure extends ChatException {
    private static final long serialVersionUID = 1L;

    public StoreFailure(String message, Throwable cause) {
      super(ErrorCode.INTERNAL, message, cause);
    }
  }
}
