package dev.natter.transport;

import java.io.IOException;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;

/** {@code GET /healthz}: {@code {"status":"ok"}} while the server answers at all. */
final class HealthHandler extends HttpHandler {
  static final String PATH = "/healthz";

  private final HttpReplies replies;

  HealthHandler(HttpReplies replies) {
    this.replies = replies;
  }

  @Override
  public void service(Request request, Response response) throws IOException {
    boolean get = request.getMethod().getMethodString().equals("GET");
    replies.write(
        response, get ? Reply.ok("{\"status\":\"ok\"}") : replies.methodNotAllowed("GET"));
  }
}
