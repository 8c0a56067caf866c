package dev.natter.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.natter.core.Limits;
import dev.natter.core.protocol.CloseCode;
import dev.natter.core.spi.HeartbeatPolicy;
import dev.natter.transport.TestServer.Account;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Heartbeats, frame size limits and slow consumers. */
class LivenessTest {

  private static double counter(TestServer t, String name) {
    var c = t.server.meterRegistry().find(name).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void aPeerThatDoesNotAnswerPingsIsClosedWhileOneThatDoesStays() throws Exception {
    try (TestServer t = TestServer.start(e -> e.heartbeat(HeartbeatPolicy.of(200, 600)), s -> {})) {
      Account alice = t.register("alice");
      Account bob = t.register("bob");
      Ws answering = t.connect(bob); // the JDK client answers pings by itself
      long start = System.nanoTime();
      try (RawWs silent = RawWs.connect(t.server.port(), alice.token(), 0)) {
        assertThat(silent.status).isEqualTo(101);
        int pings = 0;
        RawWs.Frame close = null;
        while (close == null) {
          RawWs.Frame f = silent.read();
          if (f.opcode() == RawWs.PING) {
            pings++; // and never answered
          } else if (f.opcode() == RawWs.CLOSE) {
            close = f;
          }
        }
        long closedAfterMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(pings).isGreaterThanOrEqualTo(2);
        assertThat(close.closeCode()).isEqualTo(CloseCode.GOING_AWAY.code());
        assertThat(close.closeReason()).isEqualTo("heartbeat timeout");
        assertThat(closedAfterMs).isBetween(600L, 3_000L);
        // the peer never answers the close either: the server cuts the socket
        silent.soTimeout(5_000);
        boolean eof;
        try {
          eof = silent.atEof() || silent.atEof();
        } catch (IOException reset) {
          eof = true;
        }
        assertThat(eof).isTrue();
      }
      assertThat(counter(t, "natter.heartbeat.timeouts")).isEqualTo(1);
      // the peer that answered pings all along is still here and usable
      answering.send("{\"type\":\"history\",\"id\":\"h\",\"room\":\"nope\"}");
      JsonNode error = answering.next("error");
      assertThat(error.path("id").asText()).isEqualTo("h");
      assertThat(answering.closeCode).isNotDone();
    }
  }

  @Test
  void aFrameOverTheLimitClosesWith1009() {
    try (TestServer t = TestServer.start(e -> {}, s -> s.maxFrameBytes(4096))) {
      Account alice = t.register("alice");
      Ws ws = t.connect(alice);
      ws.send("{\"type\":\"typing\",\"room\":\"" + "x".repeat(5000) + "\",\"active\":true}");
      assertThat(ws.awaitClose(Duration.ofSeconds(5))).isEqualTo(CloseCode.TOO_LARGE.code());

      Ws huge = t.connect(alice);
      huge.socket.sendText("y".repeat(300_000), true);
      assertThat(huge.awaitClose(Duration.ofSeconds(5))).isEqualTo(CloseCode.TOO_LARGE.code());

      // a frame just under the limit is fine (and answered as the malformed command it is)
      Ws ok = t.connect(alice);
      ok.send("{\"type\":\"typing\",\"room\":\"" + "x".repeat(3900) + "\",\"active\":true}");
      assertThat(ok.next("error").path("code").asText()).isIn("bad_request", "not_found");
      assertThat(ok.closeCode).isNotDone();
    }
  }

  @Test
  void aReaderThatStopsReadingIsClosedWith4008WhileOthersKeepReceiving() throws Exception {
    long budget = 64 * 1024;
    try (TestServer t =
        TestServer.start(
            e -> e.limits(Limits.defaults().withSendRate(100_000, Duration.ofSeconds(1))),
            s -> s.outboundBudgetBytes(budget))) {
      Account alice = t.register("alice");
      Account bob = t.register("bob");
      Account carol = t.register("carol");
      String room = t.createRoom(alice, "flood", "private", "bob", "carol");
      Ws sender = t.connect(alice);
      Ws fast = t.connect(bob);
      String body = "z".repeat(15_000);
      long maxInFlight = 0;
      int sent = 0;
      try (RawWs slow = RawWs.connect(t.server.port(), carol.token(), 4096)) {
        assertThat(slow.status).isEqualTo(101);
        while (counter(t, "natter.slow.consumer.closes") < 1 && sent < 2_000) {
          sender.send(
              "{\"type\":\"send\",\"id\":\"s"
                  + sent
                  + "\",\"room\":\""
                  + room
                  + "\",\"clientMsgId\":\"c"
                  + sent
                  + "\",\"body\":\""
                  + body
                  + "\"}");
          sent++;
          sender.next("ack");
          maxInFlight = Math.max(maxInFlight, t.server.outboundBytes());
        }
        assertThat(counter(t, "natter.slow.consumer.closes")).isEqualTo(1);
        // what waits for the slow reader never passes its budget (plus one message)
        assertThat(maxInFlight).isLessThan(3 * (budget + 16_000));
        // the slow reader, reading at last, finds what was queued and then the close: 4008
        int received = 0;
        RawWs.Frame f;
        while ((f = slow.read()).opcode() != RawWs.CLOSE) {
          if (f.opcode() == RawWs.TEXT && f.text().contains("\"type\":\"message\"")) {
            received++;
          }
        }
        assertThat(f.closeCode()).isEqualTo(CloseCode.SLOW_CONSUMER.code());
        assertThat(received).isLessThan(sent);
      }
      // the fast reader got every message, in order, and still gets new ones
      for (int i = 0; i < sent; i++) {
        JsonNode m = fast.next("message");
        assertThat(m.path("seq").asLong()).isEqualTo(i + 1);
      }
      sender.send(
          "{\"type\":\"send\",\"id\":\"last\",\"room\":\""
              + room
              + "\",\"clientMsgId\":\"last\",\"body\":\"still here?\"}");
      assertThat(fast.next("message").path("body").asText()).isEqualTo("still here?");
      assertThat(t.server.outboundBytes()).isLessThan(budget);
      System.out.printf(
          "slow consumer: closed after %d messages of 15 kB, max in flight %d bytes%n",
          sent, maxInFlight);
    }
  }

  @Test
  void closingTheServerSendsGoingAway() {
    TestServer t = TestServer.start();
    Account alice = t.register("alice");
    Ws ws = t.connect(alice);
    t.server.close();
    assertThat(ws.awaitClose(Duration.ofSeconds(5))).isEqualTo(CloseCode.GOING_AWAY.code());
    t.close();
  }

  @Test
  void idleKeepAliveHttpConnectionsAreClosedButWebSocketsAreNot() throws Exception {
    try (TestServer t = TestServer.start(e -> {}, s -> s.httpIdleTimeoutMs(300))) {
      Account alice = t.register("alice");
      Ws ws = t.connect(alice);
      try (java.net.Socket http = new java.net.Socket("127.0.0.1", t.server.port())) {
        http.setSoTimeout(10_000);
        http.getOutputStream()
            .write(
                "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        byte[] buf = new byte[4096];
        int n = http.getInputStream().read(buf);
        String head = new String(buf, 0, n, java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(head).startsWith("HTTP/1.1 200").doesNotContainIgnoringCase("grizzly");
        long start = System.nanoTime();
        int r;
        try {
          r = http.getInputStream().read(buf); // blocks until the server closes the idle connection
        } catch (IOException reset) {
          r = -1;
        }
        assertThat(r).isEqualTo(-1);
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000);
      }
      // the WebSocket, quiet as well all that time, is still open
      ws.send("{\"type\":\"history\",\"id\":\"h\",\"room\":\"none\"}");
      assertThat(ws.next("error").path("id").asText()).isEqualTo("h");
    }
  }

  @Test
  void connectionsThatNeverCompleteARequestAreClosedToo() throws Exception {
    try (TestServer t = TestServer.start(e -> {}, s -> s.httpIdleTimeoutMs(300));
        java.net.Socket raw = new java.net.Socket("127.0.0.1", t.server.port())) {
      raw.setSoTimeout(10_000);
      raw.getOutputStream()
          .write(
              "GET /healthz HTTP/1.1\r\nHo".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      long start = System.nanoTime();
      byte[] rest;
      try {
        rest = raw.getInputStream().readAllBytes();
      } catch (IOException reset) {
        rest = new byte[0];
      }
      assertThat(rest).isEmpty();
      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000);
    }
  }
}
