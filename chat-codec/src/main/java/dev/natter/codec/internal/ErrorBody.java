package dev.natter.codec.internal;

import dev.natter.core.protocol.ErrorCode;

/**
 * An HTTP error answer, <code>{"error": {"code", "message"}}</code>.
 *
 * @param error the code and the message
 */
public record ErrorBody(Detail error) {

  /** An error body; a null message is sent as empty. */
  public static ErrorBody of(ErrorCode code, String message) {
    return new ErrorBody(new Detail(code, message == null ? "" : message));
  }

  /**
   * The inner object.
   *
   * @param code the error code (an unknown one reads as {@link ErrorCode#INTERNAL})
   * @param message what went wrong, for people
   */
  public record Detail(ErrorCode code, String message) {}
}
