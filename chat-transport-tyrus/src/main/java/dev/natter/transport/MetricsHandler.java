package dev.natter.transport;

import dev.natter.core.protocol.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.function.Supplier;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;

/**
 * {@code GET /metrics}: the registry's scrape in the Prometheus text format; with a token, only for
 * requests that send it as {@code Authorization: Bearer <token>}.
 */
final class MetricsHandler extends HttpHandler {
  static final String PATH = "/metrics";

  private final Supplier<String> scrape;
  private final HttpReplies replies;
  private final byte[] token;

  /**
   * @param token the bearer token a scraper must send, or null for none
   */
  MetricsHandler(Supplier<String> scrape, HttpReplies replies, String token) {
    this.scrape = scrape;
    this.replies = replies;
    this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
  }

  private boolean authorized(Request request) {
    if (token == null) {
      return true;
    }
    String sent = Sessions.token(request.getHeader("Authorization"), List.of());
    return sent != null && MessageDigest.isEqual(token, sent.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void service(Request request, Response response) throws IOException {
    if (!request.getMethod().getMethodString().equals("GET")) {
      replies.write(response, replies.methodNotAllowed("GET"));
      return;
    }
    if (!authorized(request)) {
      replies.write(
          response,
          replies
              .error(ErrorCode.UNAUTHORIZED, "metrics need the metrics token")
              .header("WWW-Authenticate", "Bearer"));
      return;
    }
    byte[] text = scrape.get().getBytes(StandardCharsets.UTF_8);
    response.setStatus(200);
    response.setContentType("text/plain; version=0.0.4; charset=utf-8");
    response.setHeader("Cache-Control", "no-store");
    response.setContentLength(text.length);
    response.getOutputStream().write(text);
  }
}
