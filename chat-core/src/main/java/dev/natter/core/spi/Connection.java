package dev.natter.core.spi;

import dev.natter.core.protocol.CloseCode;
import dev.natter.core.protocol.ServerEvent;

/**
 * What the engine needs from a transport for one client connection. Implementations must not block
 * in {@link #send}: they queue the event and write it asynchronously.
 *
 * <p>The engine sends the same event instance to many connections; a transport should encode it
 * once and reuse the bytes.
 */
public interface Connection {
  /**
   * A unique id for this connection (for logs and metrics).
   *
   * @return the id
   */
  String id();

  /**
   * Queues an event for this client.
   *
   * @param event the event; the same instance may be sent to other connections
   * @return false if the connection's outbound budget is exhausted (a slow consumer); the engine
   *     then closes it with {@link CloseCode#SLOW_CONSUMER}
   */
  boolean send(ServerEvent event);

  /**
   * Closes the connection with a close code. Idempotent.
   *
   * @param code why
   */
  void close(CloseCode code);
}
