package dev.natter.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.natter.transport.TestServer.Account;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebSocketTest {
  TestServer t;
  Account alice;
  Account bob;

  @BeforeEach
  void start() {
    t = TestServer.start();
    alice = t.register("alice");
    bob = t.register("bob");
  }

  @AfterEach
  void stop() {
    t.close();
  }

  @Test
  void handshakeWithoutSessionIsRefusedWith401() {
    assertThat(Ws.attempt(t.http, t.wsUri(), List.of(), true).refusedStatus()).isEqualTo(401);
    assertThat(
            Ws.attempt(t.http, t.wsUri(), List.of("Authorization", "Bearer nope"), true)
                .refusedStatus())
        .isEqualTo(401);
    assertThat(
            Ws.attempt(t.http, t.wsUri(), List.of("Cookie", "natter_session=nope"), true)
                .refusedStatus())
        .isEqualTo(401);
  }

  @Test
  void handshakeFromAForeignOriginIsRefusedWith403() {
    Ws.Attempt a =
        Ws.attempt(
            t.http,
            t.wsUri(),
            List.of("Authorization", "Bearer " + alice.token(), "Origin", "http://evil.example"),
            true);
    assertThat(a.refusedStatus()).isEqualTo(403);
  }

  @Test
  void handshakeWithCookieOrBearerIsAccepted() {
    Ws byCookie =
        Ws.connect(
            t.http,
            t.wsUri(),
            List.of("Cookie", "theme=dark; natter_session=" + alice.token(), "Origin", t.origin()),
            true);
    JsonNode ready = byCookie.next("ready");
    assertThat(ready.path("user").path("username").asText()).isEqualTo("alice");
    assertThat(ready.path("heartbeat").path("intervalMs").asLong()).isPositive();
    Ws byBearer =
        Ws.connect(t.http, t.wsUri(), List.of("Authorization", "Bearer " + bob.token()), true);
    assertThat(byBearer.next("ready").path("user").path("username").asText()).isEqualTo("bob");
    byCookie.abort();
    byBearer.abort();
  }

  @Test
  void twoUsersDmInRealTime() {
    String dm = t.openDm(alice, bob);
    Ws a = t.connect(alice);
    Ws b = t.connect(bob);
    a.send(
        "{\"type\":\"send\",\"id\":\"1\",\"room\":\""
            + dm
            + "\",\"clientMsgId\":\"c-1\",\"body\":\"hi bob\"}");
    JsonNode ack = a.next("ack");
    assertThat(ack.path("id").asText()).isEqualTo("1");
    assertThat(ack.path("clientMsgId").asText()).isEqualTo("c-1");
    assertThat(ack.path("seq").asLong()).isEqualTo(1);
    JsonNode m = b.next("message");
    assertThat(m.path("room").asText()).isEqualTo(dm);
    assertThat(m.path("body").asText()).isEqualTo("hi bob");
    assertThat(m.path("sender").path("username").asText()).isEqualTo("alice");
    assertThat(m.has("clientMsgId")).isFalse();
    JsonNode own = a.next("message");
    assertThat(own.path("clientMsgId").asText()).isEqualTo("c-1");
    b.expectNo("message", Duration.ofMillis(200));
  }
}
