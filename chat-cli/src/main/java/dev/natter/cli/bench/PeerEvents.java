package dev.natter.cli.bench;

/**
 * What a {@link Wire} makes of the frames a peer receives. Called on the peer's I/O thread; times
 * are on the run's {@link BenchClock}; {@code intended} is the intended send time carried by the
 * message or request, -1 when unknown.
 */
interface PeerEvents {
  /** A load message reached {@code peer}. */
  void delivered(Peer peer, long intended, long now);

  /** The server acknowledged a message {@code peer} sent (Natter: after its commit). */
  void acked(Peer peer, long intended, long now);

  /** The server refused a request of {@code peer} with an error {@code code}. */
  void failed(Peer peer, long intended, String code, long now);

  /** A history page arrived: the oldest seq in it (-1 when empty) and whether there is more. */
  void page(Peer peer, long intended, long oldestSeq, boolean hasMore, long now);
}
