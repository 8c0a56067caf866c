package dev.natter.core;

import dev.natter.core.protocol.ErrorCode;

/**
 * The one root exception of Natter. Each subclass names what failed and carries the protocol's
 * error code, so every adapter maps failures the same way.
 */
public class ChatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The protocol's error code for this failure. */
  private final ErrorCode code;

  /**
   * A failure with a protocol error code.
   *
   * @param code the error code clients receive
   * @param message what went wrong, in words a client may show
   */
  public ChatException(ErrorCode code, String message) {
    super(message);
    this.code = code;
  }

  /**
   * A failure with a protocol error code and its cause.
   *
   * @param code the error code clients receive
   * @param message what went wrong, in words a client may show
   * @param cause the underlying failure
   */
  public ChatException(ErrorCode code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  /**
   * The protocol's error code for this failure.
   *
   * @return the code clients receive in {@code error} events and HTTP error bodies
   */
  public ErrorCode code() {
    return code;
  }

  /**
   * The failure behind an asynchronous result: the {@code ChatException} inside a {@link
   * java.util.concurrent.CompletionException} or {@link java.util.concurrent.ExecutionException},
   * or anything else as an {@code internal} error.
   */
  static ChatException from(Throwable error) {
    Throwable t = error;
    while ((t instanceof java.util.concurrent.CompletionException
            || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof ChatException e) {
      return e;
    }
    return new ChatException(ErrorCode.INTERNAL, "internal error", t);
  }

  /** The request was malformed or broke a rule about its content. */
  public static final class BadRequest extends ChatException {
    private static final long serialVersionUID = 1L;

    /**
     * A {@code bad_request} failure.
     *
     * @param message what went wrong, in words a client may show
     */
    public BadRequest(String message) {
      super(ErrorCode.BAD_REQUEST, message);
    }
  }

  /** No valid session. */
  public static final class Unauthorized extends ChatException {
    private static final long serialVersionUID = 1L;

    /**
     * A {@code unauthorized} failure.
     *
     * @param message what went wrong, in words a client may show
     */
    public Unauthorized(String message) {
      super(ErrorCode.UNAUTHORIZED, message);
    }
  }

  /** Authenticated, but not allowed to do this. */
  public static final class Forbidden extends ChatException {
    private static final long serialVersionUID = 1L;

    /**
     * A {@code forbidden} failure.
     *
     * @param message what went wrong, in words a client may show
     */
    public Forbidden(String message) {
      super(ErrorCode.FORBIDDEN, message);
    }
  }

  /** The thing asked for does not exist. */
  public static final class NotFound extends ChatException {
    private static final long serialVersionUID = 1L;

    /**
     * A {@code not_found} failure.
     *
     * @param message what went wrong, in words a client may show
     */
    public NotFound(String message) {
      super(ErrorCode.NOT_FOUND, message);
    }
  }

  /** The request conflicts with what exists (a taken username, say). */
  public static final class Conflict extends ChatException {
    private static final long serialVersionUID = 1L;

    /**
     * A {@code conflict} failure.
     *
     * @param message what went wrong, in words a client may show
     */
    public Conflict(String message) {
      super(ErrorCode.CONFLICT, message);
    }
  }

  /** The request or one of its fields is over a size limit. */
  public static final class TooLarge extends ChatException {
    private static final long serialVersionUID = 1L;

    /**
     * A {@code too_large} failure.
     *
     * @param message what went wrong, in words a client may show
     */
    public TooLarge(String message) {
      super(ErrorCode.TOO_LARGE, message);
    }
  }

  /** Too many requests; try again later. */
  public static final class RateLimited extends ChatException {
    private static final long serialVersionUID = 1L;

    /**
     * A {@code rate_limited} failure.
     *
     * @param message what went wrong, in words a client may show
     */
    public RateLimited(String message) {
      super(ErrorCode.RATE_LIMITED, message);
    }
  }

  /** A store or other infrastructure failure; nothing was acknowledged. */
  public static final class StoreFailure extends ChatException {
    private static final long serialVersionUID = 1L;

    /**
     * An {@code internal} failure of the store or other infrastructure.
     *
     * @param message what went wrong, in words a client may show
     * @param cause the underlying failure
     */
    public StoreFailure(String message, Throwable cause) {
      super(ErrorCode.INTERNAL, message, cause);
    }
  }
}
