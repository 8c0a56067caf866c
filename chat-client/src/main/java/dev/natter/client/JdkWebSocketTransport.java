package dev.natter.client;

import dev.natter.codec.JsonCodec;
import dev.natter.core.ChatException;
import dev.natter.core.protocol.ClientCommand;
import dev.natter.core.protocol.ServerEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The WebSocket of the JDK's {@link HttpClient}: no dependency, answers the server's pings with
 * pongs by itself and sends {@code Authorization: Bearer} on the handshake.
 */
final class JdkWebSocketTransport implements Transport {
  private static final Logger LOG = Logger.getLogger(JdkWebSocketTransport.class.getName());
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private final HttpClient http;
  private final URI endpoint;
  private final JsonCodec codec = JsonCodec.shared();

  JdkWebSocketTransport(HttpClient http, URI server) {
    this.http = http;
    this.endpoint = webSocketUri(server);
  }

  /** {@code http://host:port/base} becomes {@code ws://host:port/base/ws}. */
  static URI webSocketUri(URI server) {
    String scheme = server.getScheme();
    String wsScheme;
    if ("http".equalsIgnoreCase(scheme) || "ws".equalsIgnoreCase(scheme)) {
      wsScheme = "ws";
    } else if ("https".equalsIgnoreCase(scheme) || "wss".equalsIgnoreCase(scheme)) {
      wsScheme = "wss";
    } else {
      throw new IllegalArgumentException("server URI must be http(s)://host:port, not " + server);
    }
    String path = server.getPath() == null ? "" : server.getPath();
    if (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return URI.create(wsScheme + "://" + server.getRawAuthority() + path + "/ws");
  }

  @Override
  public CompletableFuture<?> open(String token, Listener listener) {
    return http.newWebSocketBuilder()
        .header("Authorization", "Bearer " + token)
        .connectTimeout(CONNECT_TIMEOUT)
        .buildAsync(endpoint, new Frames(listener))
        .handle(
            (ws, error) -> {
              if (error == null) {
                return ws;
              }
              Throwable cause = error instanceof CompletionException ? error.getCause() : error;
              if (cause instanceof WebSocketHandshakeException h) {
                int status = h.getResponse().statusCode();
                if (status == 401) {
                  throw new CompletionException(
                      new ChatException.Unauthorized("the server refused the session token"));
                }
                throw new CompletionException(
                    new java.io.IOException("WebSocket handshake refused: HTTP " + status, h));
              }
              throw new CompletionException(cause);
            });
  }

  /** The JDK listener: reassembles text frames, decodes them, reports in order. */
  private final class Frames implements WebSocket.Listener {
    private final Listener listener;
    private final StringBuilder partial = new StringBuilder();
    private boolean closed;

    Frames(Listener listener) {
      this.listener = listener;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
      listener.onOpen(new JdkLink(webSocket, this));
      webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        ServerEvent event = null;
        try {
          event = codec.decodeEvent(text);
        } catch (RuntimeException e) {
          // An event type this client does not know yet, or a malformed frame: skip it.
          LOG.log(Level.FINE, "ignoring a frame: {0}", e.getMessage());
          listener.onActivity();
        }
        if (event != null) {
          listener.onEvent(event);
        }
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      listener.onActivity();
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
      listener.onActivity(); // the JDK sends the pong itself
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
      listener.onActivity();
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      end(statusCode, reason);
      return null; // the JDK answers with a close frame
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      LOG.log(Level.FINE, "WebSocket error", error);
      end(1006, String.valueOf(error));
    }

    /** Reports the end once; the JDK says nothing after {@code abort()}, so we may say it. */
    synchronized void end(int code, String reason) {
      if (!closed) {
        closed = true;
        listener.onClosed(code, reason);
      }
    }
  }

  /** Sends one frame at a time, as the JDK requires. */
  private final class JdkLink implements Link {
    private final WebSocket ws;
    private final Frames frames;
    private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);

    JdkLink(WebSocket ws, Frames frames) {
      this.ws = ws;
      this.frames = frames;
    }

    @Override
    public synchronized void send(ClientCommand command) {
      String text = codec.encode(command);
      tail =
          tail.thenCompose(x -> ws.sendText(text, true))
              .exceptionally(
                  e -> {
                    LOG.log(Level.FINE, "send failed: {0}", e.toString());
                    ws.abort();
                    frames.end(1006, "send failed: " + e);
                    return null;
                  });
    }

    @Override
    public synchronized void close(int code, String reason) {
      tail =
          tail.thenCompose(x -> ws.sendClose(code, reason == null ? "" : reason))
              .exceptionally(e -> null);
      // If the server never answers the close frame, do not keep the socket forever.
      CompletableFuture.delayedExecutor(5, TimeUnit.SECONDS).execute(ws::abort);
    }

    @Override
    public void abort() {
      ws.abort();
      frames.end(1006, "aborted");
    }
  }
}
