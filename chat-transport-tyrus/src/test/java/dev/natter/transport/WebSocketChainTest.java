package dev.natter.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * After the handshake a WebSocket's bytes bypass Grizzly's HTTP codec, which would otherwise keep
 * the upgrade request (headers, parsing state: about 9.5 KB) for the connection's life; frames
 * still flow both ways, and the gate still guards them.
 */
class WebSocketChainTest {

  @Test
  void anUpgradedConnectionKeepsNoHttpRequestAndItsFramesFlow() throws Exception {
    try (TestServer t = TestServer.start()) {
      TestServer.Account alice = t.register("alice");
      TestServer.Account bob = t.register("bob");
      String dm = t.openDm(alice, bob);
      Ws aliceWs = t.connect(alice);
      Ws bobWs = t.connect(bob);
      await().until(() -> t.server.sockets().connections().size() == 2);
      for (WsConnection c : t.server.sockets().connections()) {
        assertThat(UpgradeGate.keepsHttpRequest(c.socket())).isFalse();
      }

      aliceWs.send(
          "{\"type\":\"send\",\"id\":\"s1\",\"room\":\""
              + dm
              + "\",\"clientMsgId\":\"c1\",\"body\":\"hi\"}");
      assertThat(aliceWs.next("ack").path("id").asText()).isEqualTo("s1");
      assertThat(bobWs.next("message").path("body").asText()).isEqualTo("hi");

      try (RawWs raw = RawWs.connect(t.server.port(), bob.token(), 0)) {
        raw.sendUnmasked(RawWs.TEXT, "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(raw.readUntilClose().closeCode()).isEqualTo(1002); // the gate still guards
      }
    }
  }

  /**
   * Closed WebSockets are not kept (the listener's idle-timeout filter must see each close, or its
   * queue keeps every connection for good). A thread may still hold the last one it served in a
   * stack slot, so a few may stay until that thread moves on; 20 may not.
   */
  @Test
  void closedWebSocketsAreNotKept() {
    try (TestServer t = TestServer.start()) {
      TestServer.Account alice = t.register("alice");
      List<WeakReference<WsConnection>> closed = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        Ws ws = t.connect(alice);
        await().until(() -> t.server.sockets().connections().size() == 1);
        closed.add(new WeakReference<>(t.server.sockets().connections().get(0)));
        if (i % 2 == 0) {
          ws.close(); // a closing handshake
        } else {
          ws.abort(); // a lost connection
        }
        await().until(() -> t.server.sockets().connections().isEmpty());
      }
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> {
                System.gc();
                return closed.stream().filter(r -> r.get() != null).count() <= 3;
              });
    }
  }
}
