package dev.natter.cli.bench;

/** How the load generator speaks to one kind of server over a raw WebSocket. */
interface Wire {
  /** The WebSocket path of the upgrade request. */
  String path();

  /** The handshake of {@code peer} completed. */
  void opened(Peer peer);

  /** A text message arrived for {@code peer} in {@code a[from, to)}. */
  void text(Peer peer, byte[] a, int from, int to, long now);

  /** The payload that sends one load message from {@code peer} into its room. */
  byte[] message(Peer peer, long intended);
}
