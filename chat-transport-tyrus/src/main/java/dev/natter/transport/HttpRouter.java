package dev.natter.transport;

import dev.natter.core.protocol.ErrorCode;
import java.io.IOException;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;

/**
 * Every plain HTTP request, by path: the API, {@code /healthz}, {@code /metrics} (when the server
 * has a Prometheus registry), a 426 for {@code /ws} without an upgrade, and the UI for the rest
 * (404 without one). The API, health and metrics paths never fall through to the UI.
 */
final class HttpRouter extends HttpHandler {
  private final HttpApi api;
  private final HttpHandler health;
  private final HttpHandler metrics;
  private final HttpHandler ui;
  private final HttpReplies replies;

  /**
   * @param metrics the {@code /metrics} handler, or null when metrics are not served
   * @param ui the UI handler, or null when no UI is served
   */
  HttpRouter(
      HttpApi api, HttpHandler health, HttpHandler metrics, HttpHandler ui, HttpReplies replies) {
    this.api = api;
    this.health = health;
    this.metrics = metrics;
    this.ui = ui;
    this.replies = replies;
  }

  /**
   * {@code Expect: 100-continue}: no 100 for an API request whose declared body is too large; the
   * handler then answers 413 and closes the connection, and the client never sends the body.
   */
  @Override
  protected boolean sendAcknowledgment(Request request, Response response) throws IOException {
    if (HttpApi.owns(request.getRequestURI()) && !api.welcomesBody(request)) {
      return true;
    }
    return super.sendAcknowledgment(request, response);
  }

  @Override
  public void service(Request request, Response response) throws Exception {
    String path = request.getRequestURI();
    if (HttpApi.owns(path)) {
      api.service(request, response);
    } else if (path.equals(HealthHandler.PATH)) {
      health.service(request, response);
    } else if (path.equals(MetricsHandler.PATH) && metrics != null) {
      metrics.service(request, response);
    } else if (path.equals("/ws")) {
      replies.write(
          response, replies.error(426, ErrorCode.BAD_REQUEST, "use a WebSocket upgrade on /ws"));
    } else if (ui != null && !path.equals(MetricsHandler.PATH)) {
      ui.service(request, response);
    } else {
      replies.write(response, replies.notFound());
    }
  }
}
