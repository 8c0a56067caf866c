package dev.natter.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.natter.core.security.Pbkdf2PasswordHasher;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Finding 2 (issue 12): a registration flood gets 429 while sign-ins still go through:
 * registrations only ever hold a share of the password workers and their queue.
 */
class RegistrationFloodTest {

  @Test
  void aRegistrationFloodIsRefusedWhileALoginStillSucceeds() throws Exception {
    try (TestServer t =
        TestServer.start(
            e -> e.passwordHasher(new Pbkdf2PasswordHasher(200_000)), // hashing that costs
            s -> s.passwordThreads(2))) {
      t.register("alice");
      CountDownLatch firstRefusal = new CountDownLatch(1);
      List<CompletableFuture<HttpResponse<String>>> flood = new ArrayList<>();
      for (int i = 0; i < 120; i++) {
        HttpRequest r =
            t.request(
                    "POST",
                    "/api/register",
                    null,
                    "{\"username\":\"flood" + i + "\",\"password\":\"correct horse battery\"}")
                .timeout(Duration.ofSeconds(60))
                .build();
        flood.add(
            t.http
                .sendAsync(r, HttpResponse.BodyHandlers.ofString())
                .whenComplete(
                    (resp, error) -> {
                      if (resp != null && resp.statusCode() == 429) {
                        firstRefusal.countDown();
                      }
                    }));
      }
      assertThat(firstRefusal.await(30, TimeUnit.SECONDS)).as("the flood meets a 429").isTrue();

      HttpResponse<String> login =
          t.post(
              "/api/login",
              null,
              "{\"username\":\"alice\",\"password\":\"correct horse battery\"}");
      assertThat(login.statusCode()).as(login.body()).isEqualTo(200);

      CompletableFuture.allOf(flood.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      long refused = flood.stream().filter(f -> f.join().statusCode() == 429).count();
      assertThat(refused).isGreaterThan(0);
      assertThat(
              TestServer.json(
                      flood.stream()
                          .map(CompletableFuture::join)
                          .filter(r -> r.statusCode() == 429)
                          .findFirst()
                          .orElseThrow())
                  .path("error")
                  .path("code")
                  .asText())
          .isEqualTo("rate_limited");
    }
  }
}
