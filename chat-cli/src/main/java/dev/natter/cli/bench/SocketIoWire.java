package dev.natter.cli.bench;

import java.nio.charset.StandardCharsets;

/**
 * The Socket.IO subset the room server needs, over the Engine.IO v4 WebSocket transport ({@code
 * /socket.io/?EIO=4&transport=websocket}): the server's open packet {@code 0{...}} is answered with
 * a connect to the main namespace {@code 40}; its {@code 40{...}} makes the peer ready; pings
 * {@code 2} get pongs {@code 3}; events are {@code 42["msg",{"b":"<mark> ..."}]}.
 */
final class SocketIoWire implements Wire {
  private static final byte[] CONNECT = Bytes.ascii("40");
  private static final byte[] PONG = Bytes.ascii("3");
  private static final byte[] EVENT = Bytes.ascii("42");
  private static final byte[] CONNECT_ERROR = Bytes.ascii("44");

  private final PeerEvents events;

  SocketIoWire(PeerEvents events) {
    this.events = events;
  }

  @Override
  public String path() {
    return "/socket.io/?EIO=4&transport=websocket";
  }

  @Override
  public void opened(Peer peer) {
    // the server speaks first: its open packet
  }

  @Override
  public void text(Peer peer, byte[] a, int from, int to, long now) {
    if (to - from == 0) {
      return;
    }
    if (Bytes.startsWith(a, from, to, EVENT)) {
      long intended = Marker.find(a, from, to);
      if (intended >= 0) {
        events.delivered(peer, intended, now);
      }
    } else if (to - from == 1 && a[from] == '2') {
      peer.send(PONG);
    } else if (Bytes.startsWith(a, from, to, CONNECT)) {
      peer.ready();
    } else if (a[from] == '0') {
      peer.send(CONNECT);
    } else if (Bytes.startsWith(a, from, to, CONNECT_ERROR)) {
      events.failed(peer, -1, "socket.io connect_error", now);
    }
  }

  @Override
  public byte[] message(Peer peer, long intended) {
    return ("42[\"msg\",{\"s\":" + peer.index() + ",\"b\":\"" + Marker.body(intended) + "\"}]")
        .getBytes(StandardCharsets.UTF_8);
  }
}
