package dev.natter.transport;

import static dev.natter.transport.TestServer.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The browser UI from the classpath: files, cache headers, SPA fallback, what it never swallows.
 */
class UiTest {
  @TempDir Path tmp;

  private static ClassLoader directoryUi() {
    URL root = UiTest.class.getResource("/test-ui/");
    return new URLClassLoader(new URL[] {root}, null);
  }

  /** The same UI packed in a jar, with directory entries, the way chat-web ships it. */
  private ClassLoader jarUi() throws IOException {
    Path jar = tmp.resolve("ui.jar");
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file)) {
      for (String dir : List.of("natter-ui/", "natter-ui/assets/")) {
        out.putNextEntry(new JarEntry(dir));
        out.closeEntry();
      }
      for (String name :
          List.of(
              "natter-ui/index.html",
              "natter-ui/favicon.svg",
              "natter-ui/assets/app-3f9a1c.js",
              "natter-ui/assets/app-3f9a1c.css")) {
        out.putNextEntry(new JarEntry(name));
        out.write(UiTest.class.getResourceAsStream("/test-ui/" + name).readAllBytes());
        out.closeEntry();
      }
    }
    return new URLClassLoader(new URL[] {jar.toUri().toURL()}, null);
  }

  @Test
  void servesTheUiFromADirectory() {
    check(directoryUi());
  }

  @Test
  void servesTheUiFromAJar() throws IOException {
    check(jarUi());
  }

  private void check(ClassLoader loader) {
    try (TestServer t = TestServer.start(e -> {}, s -> s.ui(true).uiClassLoader(loader))) {
      assertThat(t.server.servesUi()).isTrue();
      HttpResponse<String> index = t.get("/", null);
      assertThat(index.statusCode()).isEqualTo(200);
      assertThat(index.body()).contains("Natter test UI");
      assertThat(index.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
      assertThat(index.headers().firstValue("Cache-Control")).contains("no-cache");
      assertThat(index.headers().firstValue("Content-Security-Policy")).isPresent();
      assertThat(index.headers().firstValue("Server")).isEmpty();

      HttpResponse<String> js = t.get("/assets/app-3f9a1c.js", null);
      assertThat(js.statusCode()).isEqualTo(200);
      assertThat(js.body()).contains("natter test ui");
      assertThat(js.headers().firstValue("Content-Type"))
          .contains("text/javascript; charset=utf-8");
      assertThat(js.headers().firstValue("Cache-Control"))
          .contains("public, max-age=31536000, immutable");
      assertThat(t.get("/assets/app-3f9a1c.css", null).headers().firstValue("Content-Type"))
          .contains("text/css; charset=utf-8");
      HttpResponse<String> icon = t.get("/favicon.svg", null);
      assertThat(icon.headers().firstValue("Content-Type")).contains("image/svg+xml");
      assertThat(icon.headers().firstValue("Cache-Control")).contains("no-cache");

      // UI routes fall back to index.html
      for (String route : List.of("/rooms/abc", "/login", "/settings/", "/index")) {
        HttpResponse<String> r = t.get(route, null);
        assertThat(r.statusCode()).as(route).isEqualTo(200);
        assertThat(r.body()).as(route).contains("Natter test UI");
      }
      // a revalidation of index.html with its ETag gets 304
      String etag = index.headers().firstValue("ETag").orElseThrow();
      HttpResponse<String> again =
          t.send(HttpRequest.newBuilder(t.uri("/")).header("If-None-Match", etag));
      assertThat(again.statusCode()).isEqualTo(304);

      // missing files and assets are 404s, never index.html
      assertError(t.get("/assets/missing-123.js", null), 404, "not_found");
      assertError(t.get("/assets/", null), 404, "not_found");
      assertError(t.get("/robots.txt", null), 404, "not_found");
      assertError(t.get("/../secret.txt", null), 404, "not_found");
      assertError(t.get("/assets/..%2f..%2fpom.xml", null), 404, "not_found");
      // the API, the socket, health and metrics are never the UI
      assertError(t.get("/api/unknown", null), 404, "not_found");
      assertError(t.get("/api/me", null), 401, "unauthorized");
      assertThat(t.get("/ws", null).statusCode()).isEqualTo(426);
      assertThat(t.get("/healthz", null).body()).contains("ok");
      assertThat(t.get("/metrics", null).body()).contains("natter_connections");
      // an upgrade to another path is refused, not answered with index.html
      assertThat(
              Ws.attempt(
                      t.http,
                      java.net.URI.create("ws://127.0.0.1:" + t.server.port() + "/rooms"),
                      List.of(),
                      true)
                  .refusedStatus())
          .isEqualTo(404);
      assertThat(t.send(t.request("POST", "/", null, "{}")).statusCode()).isEqualTo(405);
    }
  }

  @Test
  void withoutUiOnTheClasspathOrWhenTurnedOffThereIsNone() {
    ClassLoader empty = new URLClassLoader(new URL[0], null);
    try (TestServer t = TestServer.start(e -> {}, s -> s.ui(true).uiClassLoader(empty))) {
      assertThat(t.server.servesUi()).isFalse();
      assertError(t.get("/", null), 404, "not_found");
    }
    try (TestServer t = TestServer.start(e -> {}, s -> s.ui(false).uiClassLoader(directoryUi()))) {
      assertThat(t.server.servesUi()).isFalse();
      assertError(t.get("/", null), 404, "not_found");
    }
  }

  @SuppressWarnings("unused")
  private static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }
}
