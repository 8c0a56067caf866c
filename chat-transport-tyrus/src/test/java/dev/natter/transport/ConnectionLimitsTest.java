package dev.natter.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Finding 3 (issue 12): WebSockets are capped per user and per address (refused at the handshake
 * with 429), and a TCP connection that never sends a request is closed after a short time.
 */
class ConnectionLimitsTest {

  private static Ws.Attempt attempt(TestServer t, TestServer.Account a) {
    return Ws.attempt(t.http, t.wsUri(), List.of("Authorization", "Bearer " + a.token()), true);
  }

  @Test
  void aUserOverTheCapIsRefusedWith429WhileOthersConnect() throws Exception {
    try (TestServer t = TestServer.start(e -> {}, s -> s.maxConnections(3, 200))) {
      TestServer.Account alice = t.register("alice");
      TestServer.Account bob = t.register("bob");
      List<Ws> mine = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        mine.add(t.connect(alice));
      }
      Ws.Attempt fourth = attempt(t, alice);
      assertThat(fourth.ws()).isNull();
      assertThat(fourth.refusedStatus()).isEqualTo(429);
      Ws bobWs = t.connect(bob); // another user is not affected
      assertThat(bobWs.closeCode).isNotDone();

      mine.get(0).close();
      mine.get(0).awaitClose(Ws.WAIT);
      Ws.Attempt again = null;
      for (int i = 0; i < 50 && (again == null || again.ws() == null); i++) {
        again = attempt(t, alice); // the count drops once the server has seen the TCP close
        if (again.ws() == null) {
          Thread.sleep(100);
        }
      }
      assertThat(again.ws()).as("a slot is free again").isNotNull();
      again.ws().abort();
    }
  }

  @Test
  void theRefusalHasAJsonBodyNamingTheLimit() throws Exception {
    try (TestServer t = TestServer.start(e -> {}, s -> s.maxConnections(1, 200))) {
      TestServer.Account alice = t.register("alice");
      t.connect(alice);
      RawHttp r = RawHttp.upgrade(t.server.port(), alice.token());
      assertThat(r.status()).isEqualTo(429);
      assertThat(r.headers())
          .as(r.headers().toString())
          .containsEntry("content-type", "application/json; charset=utf-8");
      assertThat(TestServer.json(r.body()).path("error").path("code").asText())
          .isEqualTo("rate_limited");
      assertThat(TestServer.json(r.body()).path("error").path("message").asText())
          .contains("at most 1");
    }
  }

  @Test
  void capsPerAddressCountOnlyNonLoopbackPeers() {
    ConnectionCaps caps = new ConnectionCaps(100, 2);
    assertThat(caps.tryOpen("u1", "203.0.113.5")).isNull();
    assertThat(caps.tryOpen("u2", "203.0.113.5")).isNull();
    assertThat(caps.tryOpen("u3", "203.0.113.5")).contains("this address");
    assertThat(caps.openFor("u3")).isZero(); // the refused one is not counted for its user
    assertThat(caps.tryOpen("u3", "203.0.113.6")).isNull();
    for (int i = 0; i < 5; i++) {
      assertThat(caps.tryOpen("u" + i, "127.0.0.1")).isNull();
      assertThat(caps.tryOpen("u" + i, "::1")).isNull();
    }
    caps.release("u1", "203.0.113.5");
    assertThat(caps.tryOpen("u4", "203.0.113.5")).isNull();
  }

  @Test
  void aSilentOrSlowTcpConnectionIsClosedAfterTheFirstRequestTimeout() throws Exception {
    try (TestServer t = TestServer.start(e -> {}, s -> s.firstRequestTimeoutMs(300))) {
      for (String sent : new String[] {"", "GET /healthz HTTP/1.1\r\nHost: x\r\n"}) {
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress("127.0.0.1", t.server.port()), 5_000);
          s.setSoTimeout(15_000);
          s.getOutputStream().write(sent.getBytes(StandardCharsets.US_ASCII));
          s.getOutputStream().flush();
          InputStream in = s.getInputStream();
          int read;
          try {
            read = in.read();
          } catch (IOException reset) {
            read = -1;
          }
          assertThat(read).as("closed without an answer").isEqualTo(-1);
        }
      }
      // a normal request on a fresh connection still works
      assertThat(t.get("/healthz", null).statusCode()).isEqualTo(200);
    }
  }
}
