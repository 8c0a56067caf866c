package dev.natter.client;

import dev.natter.core.protocol.ClientCommand;
import dev.natter.core.protocol.ServerEvent;
import java.util.concurrent.CompletableFuture;

/**
 * How a {@link ChatClient} reaches the server's WebSocket: opens authenticated connections that
 * carry protocol records. The real one is {@link TyrusTransport}; tests use fakes.
 */
interface Transport {

  /**
   * Opens a connection authenticated with {@code token}. On success the listener's {@link
   * Listener#onOpen} is called before anything else. The future fails with {@link
   * dev.natter.core.ChatException.Unauthorized} when the server refuses the token (HTTP 401), with
   * another exception when the server cannot be reached; {@code onOpen} is then never called.
   */
  CompletableFuture<?> open(String token, Listener listener);

  /** An open connection. Calls may come from any thread; none of them blocks. */
  interface Link {
    /** Queues a frame; a connection that cannot take it is ended (reported as closed, 1006). */
    void send(ClientCommand command);

    /** Sends a WebSocket ping; the pong is reported as {@link Listener#onActivity()}. */
    void ping();

    /** Starts a clean close with this code. */
    void close(int code, String reason);

    /** Drops the connection at once; the listener may or may not hear of it. */
    void abort();
  }

  /** What a connection reports, from any thread, in the order it happened. */
  interface Listener {
    /** The connection is open; always the first call. */
    void onOpen(Link link);

    void onEvent(ServerEvent event);

    /** A text frame that is not a protocol event this client knows (it is skipped). */
    void onUndecodable(String frame, RuntimeException error);

    /** Something else arrived (a pong, a binary frame): the peer is alive. */
    void onActivity();

    /** The connection ended: a close frame's code, or 1006 when it broke without one. */
    void onClosed(int code, String reason);
  }
}
