package dev.natter.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Finding 6 (issue 12): frames RFC 6455 forbids close the connection with the right code. */
class ProtocolViolationsTest {

  @Test
  void anUnmaskedClientFrameClosesWith1002AndOthersAreNotAffected() throws Exception {
    try (TestServer t = TestServer.start()) {
      TestServer.Account alice = t.register("alice");
      TestServer.Account bob = t.register("bob");
      Ws bobWs = t.connect(bob);
      try (RawWs raw = RawWs.connect(t.server.port(), alice.token(), 0)) {
        assertThat(raw.status).isEqualTo(101);
        raw.sendUnmasked(
            RawWs.TEXT,
            "{\"type\":\"history\",\"id\":\"h\",\"room\":\"x\"}".getBytes(StandardCharsets.UTF_8));
        RawWs.Frame close = raw.readUntilClose(); // no answer to the unmasked request first
        assertThat(close.closeCode()).isEqualTo(1002);
        assertThat(close.closeReason()).contains("masked");
      }
      bobWs.send("{\"type\":\"history\",\"id\":\"b\",\"room\":\"none\"}");
      assertThat(bobWs.next("error").path("id").asText()).isEqualTo("b");
      bobWs.expectNo("never", Duration.ofMillis(50));
    }
  }
}
