package dev.natter.cli.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One simulated client: its plan (token, room, whether it reads), its connection, its state. The
 * {@link Wire} turns the connection's frames into {@link PeerEvents}; the peer reports its own life
 * (ready, closed) to a {@link Lifecycle}.
 */
final class Peer implements WsConnection.Listener {
  /** Hears when peers get ready or end. Called on I/O threads. */
  interface Lifecycle {
    /** {@code peer} is ready ({@code ready}), or ended before it was. Called once per peer. */
    void settled(Peer peer, boolean ready);

    /** {@code peer}'s connection ended; {@code byUs} when the load generator closed it. */
    void closed(Peer peer, int code, String reason, boolean byUs);
  }

  /** What one peer is: its bearer token and room (Natter; else null) and whether it reads. */
  record Plan(String token, String room, boolean reads) {
    static Plan anonymous() {
      return new Plan(null, null, true);
    }
  }

  private final int index;
  private final Plan plan;
  private final String clientMsgIdPrefix;
  private final Wire wire;
  private final Lifecycle lifecycle;
  private final AtomicLong messages = new AtomicLong();
  private volatile WsConnection connection;
  private volatile boolean ready;
  private volatile boolean closing;
  private volatile int closeCode = -1;
  private boolean settled; // loop thread
  private int busyRetries; // loop thread
  private IoLoop loop;
  private InetSocketAddress server;
  private InetAddress source;

  /** How long a handshake refused as busy (503) keeps being retried, about a second apart. */
  private static final int MAX_BUSY_RETRIES = 60;

  private static final java.util.concurrent.ScheduledExecutorService RETRIES =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "bench-handshake-retry");
            t.setDaemon(true);
            return t;
          });

  Peer(int index, Plan plan, String runId, Wire wire, Lifecycle lifecycle) {
    this.index = index;
    this.plan = plan;
    this.clientMsgIdPrefix = "b" + runId + "-" + index + "-";
    this.wire = wire;
    this.lifecycle = lifecycle;
  }

  int index() {
    return index;
  }

  String room() {
    return plan.room();
  }

  /** Whether this peer reads (and so counts as a recipient); a slow reader does not. */
  boolean reads() {
    return plan.reads();
  }

  /** A client message id unique to this peer and run. */
  String nextClientMsgId() {
    return clientMsgIdPrefix + messages.incrementAndGet();
  }

  void connect(IoLoop loop, InetSocketAddress server, InetAddress source) throws IOException {
    this.loop = loop;
    this.server = server;
    this.source = source;
    connection = WsConnection.open(loop, server, source, wire.path(), plan.token(), this);
  }

  /**
   * A handshake the server refused as busy (HTTP 503 during a burst of handshakes: it sheds what is
   * over its handshake budget) is tried again after its {@code Retry-After} (1 s) with jitter.
   */
  private boolean retryBusyHandshake(int code, String reason) {
    if (ready
        || closing
        || code != 1002
        || reason == null
        || !reason.startsWith("upgrade refused: HTTP/1.1 503")
        || busyRetries++ >= MAX_BUSY_RETRIES) {
      return false;
    }
    long delayMs = 1_000 + java.util.concurrent.ThreadLocalRandom.current().nextLong(500);
    RETRIES.schedule(
        () ->
            loop.execute(
                () -> {
                  try {
                    connect(loop, server, source);
                  } catch (IOException e) {
                    closed(connection, 1006, "connect: " + e.getMessage());
                  }
                }),
        delayMs,
        java.util.concurrent.TimeUnit.MILLISECONDS);
    return true;
  }

  /** The wire saw the server's ready signal (I/O thread). A peer that never reads stops here. */
  void ready() {
    if (ready) {
      return;
    }
    ready = true;
    if (!plan.reads()) {
      connection.reading(false);
    }
    settle(true);
  }

  boolean isReady() {
    return ready;
  }

  boolean isOpen() {
    WsConnection c = connection;
    return c != null && c.isOpen();
  }

  /** The close code the connection ended with, or -1 while open. */
  int closeCode() {
    return closeCode;
  }

  /** The payload of one load message from this peer, intended at {@code intended}. */
  byte[] message(long intended) {
    return wire.message(this, intended);
  }

  /** Sends a text message; false when the connection is not open. */
  boolean send(byte[] payload) {
    WsConnection c = connection;
    if (c == null || !c.isOpen()) {
      return false;
    }
    c.sendText(payload);
    return true;
  }

  /** Lets a peer that stopped reading read again (to learn whether the server closed it). */
  void resumeReading() {
    WsConnection c = connection;
    if (c != null) {
      c.resumeReading();
    }
  }

  /** Closes the connection normally. */
  void close() {
    closing = true;
    WsConnection c = connection;
    if (c != null) {
      c.close();
    }
  }

  @Override
  public void opened(WsConnection c) {
    connection = c; // the same object connect() stores, perhaps not yet: the loop may be faster
    wire.opened(this);
  }

  @Override
  public void text(WsConnection c, byte[] a, int from, int to, long now) {
    wire.text(this, a, from, to, now);
  }

  @Override
  public void closed(WsConnection c, int code, String reason) {
    if (retryBusyHandshake(code, reason)) {
      return;
    }
    closeCode = code;
    settle(false);
    lifecycle.closed(this, code, reason, closing);
  }

  private void settle(boolean isReady) {
    if (!settled) {
      settled = true;
      lifecycle.settled(this, isReady);
    }
  }
}
