package dev.natter.cli.bench;

/** The kinds of server {@code natter bench} can drive ({@code --protocol}). */
enum Protocol {
  /** Natter: bench users over the HTTP API, {@code send} frames, {@code message} events. */
  NATTER,
  /** A relay that echoes every text frame to every client (bare Tyrus, Node {@code ws}). */
  RELAY,
  /** A Socket.IO 4 room server: Engine.IO v4 over the WebSocket transport, {@code msg} events. */
  SOCKETIO;

  /** The wire of this protocol, reporting to {@code events}. */
  Wire wire(PeerEvents events) {
    return switch (this) {
      case NATTER -> new NatterWire(events);
      case RELAY -> new RelayWire(events);
      case SOCKETIO -> new SocketIoWire(events);
    };
  }
}
