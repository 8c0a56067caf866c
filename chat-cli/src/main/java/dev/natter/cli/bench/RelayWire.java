package dev.natter.cli.bench;

import java.nio.charset.StandardCharsets;

/**
 * A broadcast relay: every text frame goes to every client. There is no application handshake: a
 * connection is ready once upgraded; the frame is the mark and a filler.
 */
final class RelayWire implements Wire {
  private final PeerEvents events;

  RelayWire(PeerEvents events) {
    this.events = events;
  }

  @Override
  public String path() {
    return "/ws";
  }

  @Override
  public void opened(Peer peer) {
    peer.ready();
  }

  @Override
  public void text(Peer peer, byte[] a, int from, int to, long now) {
    long intended = Marker.find(a, from, to);
    if (intended >= 0) {
      events.delivered(peer, intended, now);
    }
  }

  @Override
  public byte[] message(Peer peer, long intended) {
    return (Marker.of(intended) + " s=" + peer.index() + Marker.FILLER)
        .getBytes(StandardCharsets.UTF_8);
  }
}
