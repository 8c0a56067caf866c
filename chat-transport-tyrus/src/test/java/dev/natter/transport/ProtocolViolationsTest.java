package dev.natter.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** Finding 6 (issue 12): frames RFC 6455 forbids close the connection with the right code. */
class ProtocolViolationsTest {

  @Test
  void anOverSizeFrameClosesWith1009EveryTime() throws Exception {
    try (TestServer t = TestServer.start()) {
      TestServer.Account alice = t.register("alice");
      for (int i = 0; i < 10; i++) {
        try (RawWs raw = RawWs.connect(t.server.port(), alice.token(), 0)) {
          raw.sendHeaderOnly(8L << 20);
          Thread writer =
              new Thread(
                  () -> { // the client keeps sending its 8 MB, as a real one would
                    byte[] chunk = new byte[64 * 1024];
                    try {
                      for (int n = 0; n < 128; n++) {
                        raw.output().write(chunk);
                      }
                      raw.output().flush();
                    } catch (java.io.IOException closed) {
                      // the server closed the connection
                    }
                  });
          writer.setDaemon(true);
          writer.start();
          RawWs.Frame close = raw.readUntilClose();
          assertThat(close.closeCode()).as("try %d", i).isEqualTo(1009);
          writer.join(15_000);
        }
      }
    }
  }

  /**
   * The same through the JDK's WebSocket client, which reports 1006 when its own send of the 8 MB
   * fails before its reader has taken the close frame: on a loaded machine that still happens now
   * and then, so this runs only with {@code -Dnatter.longTests=true}. The raw-socket test above
   * holds the server to the guarantee in every build.
   */
  @Test
  @EnabledIfSystemProperty(named = "natter.longTests", matches = "true")
  void anOverSizeMessageFromAJdkClientClosesWith1009EveryTime() {
    try (TestServer t = TestServer.start()) {
      TestServer.Account alice = t.register("alice");
      String big = "x".repeat(8 << 20);
      for (int i = 0; i < 10; i++) {
        Ws ws = t.connect(alice);
        ws.readAll();
        ws.socket.sendText(
            big, true); // fails once the server closes; the close code is what counts
        assertThat(ws.awaitClose(Duration.ofSeconds(20))).as("try %d", i).isEqualTo(1009);
      }
    }
  }

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
