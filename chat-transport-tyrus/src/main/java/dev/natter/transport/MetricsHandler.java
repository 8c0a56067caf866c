package dev.natter.transport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;

/** {@code GET /metrics}: the registry's scrape in the Prometheus text format. */
final class MetricsHandler extends HttpHandler {
  static final String PATH = "/metrics";

  private final Supplier<String> scrape;
  private final HttpReplies replies;

  MetricsHandler(Supplier<String> scrape, HttpReplies replies) {
    this.scrape = scrape;
    this.replies = replies;
  }

  @Override
  public void service(Request request, Response response) throws IOException {
    if (!request.getMethod().getMethodString().equals("GET")) {
      replies.write(response, replies.methodNotAllowed("GET"));
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
