package dev.natter.codec.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonMappingException;

/**
 * What is wrong with a decoded value, in the protocol's words. Thrown by the codec's own
 * deserializers; Jackson adds the path of the field on its way out, and {@link DecodeFailures}
 * turns it into the client's message: {@code "path" problem} for a field, or the bare text for a
 * problem with the whole frame.
 */
final class WireProblem extends JsonMappingException {
  static final String TYPE_REQUIRED = "\"type\" is required";
  static final String TYPE_NOT_A_STRING = "\"type\" must be a string";

  private static final long serialVersionUID = 1L;

  private final boolean aboutField;
  private final boolean typeMissing;

  private WireProblem(JsonParser p, String problem, boolean aboutField, boolean typeMissing) {
    super(p, problem);
    this.aboutField = aboutField;
    this.typeMissing = typeMissing;
  }

  /** A problem with the field being read, for example {@code "must be a string"}. */
  static WireProblem field(JsonParser p, String problem) {
    return new WireProblem(p, problem, true, false);
  }

  /** A problem with the whole frame; {@code message} is what the client reads. */
  static WireProblem frame(JsonParser p, String message) {
    return new WireProblem(p, message, false, false);
  }

  /**
   * The frame has no string {@code type}. Jackson buffers a {@code type} that is an object or an
   * array like any other field, so whether it was absent or of the wrong kind is only known from
   * the frame itself ({@link DecodeFailures} looks).
   */
  static WireProblem typeMissing(JsonParser p) {
    return new WireProblem(p, TYPE_REQUIRED, false, true);
  }

  /** No stack trace: this is the client's mistake, translated and never logged as a failure. */
  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }

  boolean isTypeMissing() {
    return typeMissing;
  }

  /** The message for the client, given the dotted path of the field that failed. */
  String describe(String path) {
    return aboutField ? "\"" + path + "\" " + getOriginalMessage() : getOriginalMessage();
  }
}
