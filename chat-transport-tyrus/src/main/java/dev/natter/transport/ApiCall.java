package dev.natter.transport;

import dev.natter.codec.FieldBound;
import dev.natter.core.ChatException;
import dev.natter.core.model.User;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;
import org.glassfish.grizzly.http.server.Request;

/** One API request as a route handler sees it: the request, its path captures and helpers. */
final class ApiCall {
  private final ApiContext context;
  private final Request request;
  private final Map<String, String> params;
  private String body; // read at most once

  ApiCall(ApiContext context, Request request, Map<String, String> params) {
    this.context = context;
    this.request = request;
    this.params = params;
  }

  Request request() {
    return request;
  }

  /** A path capture, such as {@code room} in {@code /rooms/{room}}, within its field's bound. */
  String path(String name) {
    return bounded(name, params.get(name));
  }

  /** A query parameter within its field's bound, or null. */
  String query(String name) {
    return bounded(name, request.getParameter(name));
  }

  private static String bounded(String name, String value) {
    FieldBound.of(name).ifPresent(b -> b.checkValue(value));
    return value;
  }

  /** An integer query parameter, or null when absent or empty. */
  Long longQuery(String name) {
    String v = request.getParameter(name);
    if (v == null || v.isEmpty()) {
      return null;
    }
    long value;
    try {
      value = Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new ChatException.BadRequest("\"" + name + "\" must be an integer");
    }
    FieldBound.of(name).ifPresent(b -> b.checkValue(value));
    return value;
  }

  /** The request's session token (bearer first, then the cookie), or null. */
  String token() {
    return Sessions.token(request.getHeader("Authorization"), request.getHeaders("Cookie"));
  }

  /** The signed-in user; {@code Unauthorized} without a valid session. */
  User me() {
    String token = token();
    return timed("http.authenticate", () -> context.engine().authenticate(token)).user();
  }

  /** Times an engine call under {@code natter.engine.calls{op}}. */
  <T> T timed(String op, Supplier<T> call) {
    return context.metrics().timed(op, call);
  }

  /** Times an engine call that returns nothing. */
  void timedRun(String op, Runnable call) {
    context
        .metrics()
        .timed(
            op,
            () -> {
              call.run();
              return null;
            });
  }

  /** The body as a JSON object. */
  RequestBody json() {
    return RequestBody.parse(context.codec(), body());
  }

  /** Whether the session cookie should carry {@code Secure}. */
  boolean secure() {
    Boolean forced = context.secureCookies();
    if (forced != null) {
      return forced;
    }
    return request.isSecure() || "https".equalsIgnoreCase(request.getHeader("X-Forwarded-Proto"));
  }

  /**
   * The body as text, at most {@link ApiContext#maxRequestBytes()} ({@code TooLarge} beyond). Reads
   * exactly {@code Content-Length}: with an {@code Upgrade: h2c} header (the JDK's HttpClient sends
   * one) Grizzly does not delimit the body, so reading to the end would wait forever.
   */
  String body() {
    if (body != null) {
      return body;
    }
    int max = context.maxRequestBytes();
    long declared = request.getContentLengthLong();
    if (declared > max) {
      throw new ChatException.TooLarge("the request body is over " + max + " bytes");
    }
    try {
      InputStream in = request.getInputStream();
      byte[] bytes;
      if (declared >= 0) {
        bytes = in.readNBytes((int) declared);
        if (bytes.length < declared) {
          throw new ChatException.BadRequest("the request body ended early");
        }
      } else if (request.getHeader("Upgrade") != null) {
        bytes = new byte[0]; // an undelimited body cannot be read safely
      } else {
        bytes = in.readNBytes(max + 1);
        if (bytes.length > max) {
          throw new ChatException.TooLarge("the request body is over " + max + " bytes");
        }
      }
      body = new String(bytes, StandardCharsets.UTF_8);
      return body;
    } catch (IOException e) {
      throw new ChatException.BadRequest("could not read the request body");
    }
  }
}
