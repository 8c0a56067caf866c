package dev.natter.transport;

import java.io.IOException;
import java.util.Optional;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;

/**
 * The browser UI: its files with cache headers and ETags, and {@code index.html} for the UI's own
 * routes (see {@link UiResources#resolve}); HTML pages get a strict Content-Security-Policy.
 */
final class UiHandler extends HttpHandler {
  private static final String CSP =
      "default-src 'self'; connect-src 'self'; img-src 'self' data:;"
          + " style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'self';"
          + " frame-ancestors 'none'";

  private final UiResources ui;
  private final HttpReplies replies;

  UiHandler(UiResources ui, HttpReplies replies) {
    this.ui = ui;
    this.replies = replies;
  }

  @Override
  public void service(Request request, Response response) throws IOException {
    String method = request.getMethod().getMethodString();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      replies.write(response, replies.methodNotAllowed("GET, HEAD"));
      return;
    }
    Optional<UiResources.File> found = ui.resolve(request.getRequestURI());
    if (found.isEmpty()) {
      replies.write(response, replies.notFound());
      return;
    }
    UiResources.File file = found.get();
    response.setHeader("Cache-Control", file.cacheControl());
    response.setHeader("ETag", file.etag());
    response.setHeader("X-Content-Type-Options", "nosniff");
    if (file.name().endsWith(".html")) {
      response.setHeader("X-Frame-Options", "DENY");
      response.setHeader("Referrer-Policy", "no-referrer");
      response.setHeader("Content-Security-Policy", CSP);
    }
    String inm = request.getHeader("If-None-Match");
    if (inm != null && inm.contains(file.etag())) {
      response.setStatus(304);
      return;
    }
    response.setStatus(200);
    response.setContentType(file.contentType());
    response.setContentLength(file.bytes().length);
    if (method.equals("GET")) {
      response.getOutputStream().write(file.bytes());
    }
  }
}
