package dev.natter.transport;

import dev.natter.codec.JsonCodec;
import dev.natter.core.protocol.CloseCode;
import dev.natter.core.spi.HeartbeatPolicy;
import jakarta.websocket.Session;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open WebSockets of one server: creates each {@link WsConnection}, forgets it when it ends,
 * pings them all on the heartbeat and closes the silent ones, and closes them all on shutdown (then
 * stops the {@link FlushLanes} that write their frames).
 */
final class WsConnections {
  private static final Logger LOG = LoggerFactory.getLogger(WsConnections.class);

  private final Set<WsConnection> open = ConcurrentHashMap.newKeySet();
  private final JsonCodec codec;
  private final ServerMetrics metrics;
  private final ScheduledExecutorService timers;
  private final HeartbeatPolicy heartbeat;
  private final long budgetBytes;
  private final long abortAfterMs;
  private final FlushLanes lanes;
  private volatile boolean closing;

  /**
   * @param timers runs the heartbeat and the grace periods after a close
   * @param budgetBytes bytes that may wait to be written to one connection
   * @param lanes the threads that write the connections' frames (none: the delivering thread does)
   */
  WsConnections(
      JsonCodec codec,
      ServerMetrics metrics,
      ScheduledExecutorService timers,
      HeartbeatPolicy heartbeat,
      long budgetBytes,
      FlushLanes lanes) {
    this.codec = codec;
    this.metrics = metrics;
    this.timers = timers;
    this.heartbeat = heartbeat;
    this.budgetBytes = budgetBytes;
    this.abortAfterMs = Math.max(1_000, Math.min(10_000, heartbeat.timeoutMs()));
    this.lanes = lanes;
  }

  /** A new connection, counted as open (and closed at once if the server is closing). */
  WsConnection open(String id, Session session, org.glassfish.grizzly.Connection<?> socket) {
    WsConnection c =
        new WsConnection(
            id, session, socket, codec, metrics, timers, budgetBytes, abortAfterMs, lanes.assign());
    open.add(c);
    if (closing) {
      c.close(CloseCode.GOING_AWAY);
    }
    return c;
  }

  void ended(WsConnection c) {
    open.remove(c);
  }

  /** The open connections (for tests). */
  List<WsConnection> connections() {
    return List.copyOf(open);
  }

  int count() {
    return open.size();
  }

  /** Bytes queued and not yet written, over all connections. */
  long outboundBytes() {
    long sum = 0;
    for (WsConnection c : open) {
      sum += c.inFlightBytes();
    }
    return sum;
  }

  /** Starts pinging every {@code intervalMs}. */
  void startHeartbeat() {
    long interval = heartbeat.intervalMs();
    timers.scheduleAtFixedRate(this::heartbeatTick, interval, interval, TimeUnit.MILLISECONDS);
  }

  private void heartbeatTick() {
    try {
      for (WsConnection c : open) {
        if (c.isClosing()) {
          continue;
        }
        if (heartbeat.isDead(c.silentForMs())) {
          metrics.heartbeatTimeouts.increment();
          c.close(CloseCode.GOING_AWAY, "heartbeat timeout");
        } else {
          c.ping();
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("heartbeat tick failed", e);
    }
  }

  /**
   * Closes every connection with {@link CloseCode#GOING_AWAY}, waits up to {@code graceMs} for the
   * closing handshakes, then cuts what is left.
   */
  void closeAll(long graceMs) {
    closing = true;
    List<WsConnection> closed = List.copyOf(open);
    for (WsConnection c : closed) {
      c.close(CloseCode.GOING_AWAY);
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMs);
    // wait for the peers to answer, then for the close frames to leave the write queues: the
    // listener stops right after, and a frame still queued then would reach the peer as 1006
    while ((!open.isEmpty() || !closed.stream().allMatch(WsConnection::flushed))
        && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    for (WsConnection c : List.copyOf(open)) {
      c.abort();
    }
    lanes.close();
  }
}
