package dev.natter.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
}
