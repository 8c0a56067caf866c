package dev.natter.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Finding 11 (issue 12, the transport's part): refused upgrades say what they are, cookie-only
 * state-changing requests without {@code Origin} must be JSON, and {@code /metrics} may need a
 * token.
 */
class HttpHardeningTest {
  private static final String ROOM = "{\"name\":\"general\",\"visibility\":\"public\"}";

  @Test
  void aRefusedUpgradeHasAJsonContentTypeAndNosniff() throws Exception {
    try (TestServer t = TestServer.start()) {
      RawHttp r = RawHttp.upgrade(t.server.port(), null);
      assertThat(r.status()).isEqualTo(401);
      assertThat(r.headers())
          .containsEntry("content-type", "application/json; charset=utf-8")
          .containsEntry("x-content-type-options", "nosniff");
      assertThat(TestServer.json(r.body()).path("error").path("code").asText())
          .isEqualTo("unauthorized");
    }
  }

  private static HttpRequest.Builder cookiePost(TestServer t, String token, String type) {
    return HttpRequest.newBuilder(t.uri("/api/rooms"))
        .POST(HttpRequest.BodyPublishers.ofString(ROOM))
        .header("Cookie", "natter_session=" + token)
        .header("Content-Type", type);
  }

  @Test
  void aCookieOnlyStateChangeWithoutOriginMustBeJson() {
    try (TestServer t = TestServer.start()) {
      TestServer.Account alice = t.register("alice");

      HttpResponse<String> form = t.send(cookiePost(t, alice.token(), "text/plain"));
      TestServer.assertError(form, 403, "forbidden");
      assertThat(form.body()).contains("application/json");
      HttpResponse<String> urlencoded =
          t.send(cookiePost(t, alice.token(), "application/x-www-form-urlencoded"));
      TestServer.assertError(urlencoded, 403, "forbidden");
      assertThat(t.get("/api/rooms", alice.token()).body()).isEqualTo("[]"); // nothing created

      assertThat(t.send(cookiePost(t, alice.token(), "application/json")).statusCode())
          .isEqualTo(201);
      assertThat(
              t.send(
                      cookiePost(t, alice.token(), "text/plain")
                          .header("Sec-Fetch-Site", "same-origin"))
                  .statusCode())
          .isEqualTo(201);
      // a bearer token cannot be sent by another site's form: no rule about the type
      assertThat(
              t.send(
                      HttpRequest.newBuilder(t.uri("/api/rooms"))
                          .POST(HttpRequest.BodyPublishers.ofString(ROOM))
                          .header("Authorization", "Bearer " + alice.token())
                          .header("Content-Type", "text/plain"))
                  .statusCode())
          .isEqualTo(201);
      // reads are not state changes
      assertThat(
              t.send(
                      HttpRequest.newBuilder(t.uri("/api/me"))
                          .header("Cookie", "natter_session=" + alice.token()))
                  .statusCode())
          .isEqualTo(200);
    }
  }

  @Test
  void metricsNeedTheTokenWhenOneIsSet() {
    try (TestServer t = TestServer.start(e -> {}, s -> s.metricsToken("scrape-secret"))) {
      TestServer.assertError(t.get("/metrics", null), 401, "unauthorized");
      TestServer.assertError(t.get("/metrics", "wrong"), 401, "unauthorized");
      HttpResponse<String> ok = t.get("/metrics", "scrape-secret");
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.body()).contains("natter_connections");
    }
    try (TestServer t = TestServer.start()) {
      assertThat(t.get("/metrics", null).statusCode()).isEqualTo(200);
    }
  }
}
