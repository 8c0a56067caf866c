package dev.natter.transport;

import dev.natter.codec.JsonCodec;
import dev.natter.core.ChatException;
import dev.natter.core.protocol.ErrorCode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.glassfish.grizzly.http.server.Response;

/** Error answers in the protocol's shape, and writing a {@link Reply}; errors are counted. */
final class HttpReplies {
  private static final String JSON = "application/json; charset=utf-8";

  private final JsonCodec codec;
  private final ServerMetrics metrics;

  HttpReplies(JsonCodec codec, ServerMetrics metrics) {
    this.codec = codec;
    this.metrics = metrics;
  }

  /** The error for a failed engine call; a rate-limited client is told when to come back. */
  Reply error(ChatException e) {
    Reply r = error(e.code(), e.getMessage());
    if (e.code() == ErrorCode.RATE_LIMITED) {
      r.header("Retry-After", "60");
    }
    return r;
  }

  Reply error(ErrorCode code, String message) {
    return error(code.httpStatus(), code, message);
  }

  Reply error(int status, ErrorCode code, String message) {
    metrics.error(code);
    return new Reply(status, codec.encodeError(code, message));
  }

  Reply notFound() {
    return error(ErrorCode.NOT_FOUND, "not found");
  }

  Reply methodNotAllowed(String allow) {
    return error(405, ErrorCode.BAD_REQUEST, "method not allowed; use " + allow)
        .header("Allow", allow);
  }

  /**
   * Writes the reply: as JSON when it has a body, never cached (unless it says otherwise); a
   * streamed body as its own type.
   */
  void write(Response response, Reply reply) throws IOException {
    metrics.httpResponse(reply.status);
    response.setStatus(reply.status);
    if (!reply.hasHeader("Cache-Control")) {
      response.setHeader("Cache-Control", "no-store");
    }
    response.setHeader("X-Content-Type-Options", "nosniff");
    for (String[] h : reply.headers) {
      response.addHeader(h[0], h[1]);
    }
    if (reply.stream != null) {
      response.setContentType(reply.streamType);
      response.setContentLengthLong(reply.streamLength);
      reply.stream.writeTo(response.getOutputStream());
      return;
    }
    if (reply.body == null) {
      response.setContentLength(0);
      return;
    }
    byte[] bytes = reply.body.getBytes(StandardCharsets.UTF_8);
    response.setContentType(JSON);
    response.setContentLength(bytes.length);
    OutputStream out = response.getOutputStream();
    out.write(bytes);
  }
}
