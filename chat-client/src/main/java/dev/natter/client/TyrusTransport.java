package dev.natter.client;

import dev.natter.codec.JsonCodec;
import dev.natter.core.ChatException;
import dev.natter.core.protocol.ClientCommand;
import dev.natter.core.protocol.ServerEvent;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.PongMessage;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.glassfish.tyrus.client.ClientManager;
import org.glassfish.tyrus.client.ClientProperties;
import org.glassfish.tyrus.client.exception.DeploymentHandshakeException;
import org.glassfish.tyrus.container.jdk.client.JdkClientContainer;
import org.glassfish.tyrus.core.HandshakeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket of Tyrus's client on its JDK NIO container (no Grizzly): {@code Authorization:
 * Bearer} on the handshake, whole text messages up to {@link #MAX_INCOMING_CHARS} (a bigger one
 * closes the connection with 1009), and a send path bounded to {@link #MAX_QUEUED_CHARS} of frames
 * not yet written (a connection whose peer stops reading is ended rather than queueing without
 * limit). Tyrus answers the server's pings itself; pongs to our own {@link Link#ping()} count as
 * activity.
 *
 * <p>Threads: frames are read and decoded on the container's worker threads, one connection's in
 * order; the blocking calls of the Jakarta API (connect, close, ping) run on a small shared pool of
 * daemon threads, so no caller blocks.
 */
final class TyrusTransport implements Transport {
  private static final Logger LOG = LoggerFactory.getLogger(TyrusTransport.class);

  /** The longest text message taken from the server (a {@code ready} with many rooms is big). */
  static final int MAX_INCOMING_CHARS = 16 * 1024 * 1024;

  /** How much may wait to be written before the connection counts as stuck. */
  static final long MAX_QUEUED_CHARS = 8L * 1024 * 1024;

  /** How long a close may take before the connection is dropped anyway. */
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

  private static final Executor BLOCKING = blockingPool();

  private final ClientManager manager;
  private final URI endpoint;
  private final JsonCodec codec = JsonCodec.shared();

  TyrusTransport(URI server, Duration connectTimeout) {
    this.endpoint = webSocketUri(server);
    this.manager = ClientManager.createClient(JdkClientContainer.class.getName());
    Map<String, Object> properties = manager.getProperties();
    properties.put(ClientProperties.HANDSHAKE_TIMEOUT, (int) connectTimeout.toMillis());
    // The engine's frame buffer must hold the biggest frame we accept (plus its header).
    properties.put(ClientProperties.INCOMING_BUFFER_SIZE, MAX_INCOMING_CHARS + 16);
    manager.setDefaultMaxTextMessageBufferSize(MAX_INCOMING_CHARS);
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
    ClientEndpointConfig config =
        ClientEndpointConfig.Builder.create().configurator(new BearerAuth(token)).build();
    Frames frames = new Frames(listener);
    return CompletableFuture.runAsync(() -> connect(frames, config), BLOCKING);
  }

  private void connect(Frames frames, ClientEndpointConfig config) {
    try {
      manager.connectToServer(frames, config, endpoint);
    } catch (DeploymentException | IOException | RuntimeException e) {
      throw new CompletionException(failure(e));
    }
  }

  /**
   * A refused token becomes {@code Unauthorized}, a busy server (503: too many handshakes at once)
   * a {@link ServerBusyException}; anything else an {@link IOException}.
   */
  private static Throwable failure(Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      int status = -1;
      if (t instanceof DeploymentHandshakeException h) {
        status = h.getHttpStatusCode();
      } else if (t instanceof HandshakeException h) {
        status = h.getHttpStatusCode();
      }
      if (status == 401) {
        return new ChatException.Unauthorized("the server refused the session token");
      }
      if (status == 503) {
        return new ServerBusyException("WebSocket handshake refused: HTTP 503 (server busy)", e);
      }
      if (status > 0) {
        return new IOException("WebSocket handshake refused: HTTP " + status, e);
      }
    }
    return e instanceof IOException ? e : new IOException(String.valueOf(e.getMessage()), e);
  }

  private static Executor blockingPool() {
    AtomicInteger n = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            10,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> {
              Thread t = new Thread(r, "natter-client-io-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    return pool;
  }

  /** Adds the bearer token to the handshake; this is no browser, so it sends no Origin. */
  private static final class BearerAuth extends ClientEndpointConfig.Configurator {
    private final String token;

    BearerAuth(String token) {
      this.token = token;
    }

    @Override
    public void beforeRequest(Map<String, List<String>> headers) {
      headers.keySet().removeIf(name -> name.equalsIgnoreCase("Origin"));
      headers.put("Authorization", List.of("Bearer " + token));
    }

    @Override
    public void afterResponse(HandshakeResponse response) {
      // nothing to check beyond what Tyrus checks
    }
  }

  /** One connection's endpoint: decodes whole text messages and reports in order. */
  private final class Frames extends Endpoint {
    private final Listener listener;
    private boolean closed;

    Frames(Listener listener) {
      this.listener = listener;
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
      session.setMaxTextMessageBufferSize(MAX_INCOMING_CHARS);
      // Never idle out (the heartbeat decides). Negative, not 0: with 0 Tyrus schedules a no-op
      // idle check on its timer thread for every message received.
      session.setMaxIdleTimeout(-1);
      session.addMessageHandler(String.class, this::text);
      session.addMessageHandler(PongMessage.class, pong -> listener.onActivity());
      session.addMessageHandler(ByteBuffer.class, bytes -> listener.onActivity());
      listener.onOpen(new TyrusLink(session, this));
    }

    private void text(String text) {
      ServerEvent event;
      try {
        event = codec.decodeEvent(text);
      } catch (RuntimeException e) {
        listener.onUndecodable(text, e);
        return;
      }
      listener.onEvent(event);
    }

    @Override
    public void onClose(Session session, CloseReason reason) {
      end(reason.getCloseCode().getCode(), reason.getReasonPhrase());
    }

    @Override
    public void onError(Session session, Throwable error) {
      LOG.debug("WebSocket error", error);
      if (!session.isOpen()) {
        end(1006, String.valueOf(error));
      }
    }

    /** Reports the end once, whoever notices it first. */
    synchronized void end(int code, String reason) {
      if (!closed) {
        closed = true;
        listener.onClosed(code, reason);
      }
    }
  }

  /** Sends without blocking, with the frames not yet written bounded. */
  private final class TyrusLink implements Link {
    private final Session session;
    private final RemoteEndpoint.Async remote;
    private final Frames frames;
    private final AtomicLong queued = new AtomicLong();

    TyrusLink(Session session, Frames frames) {
      this.session = session;
      this.remote = session.getAsyncRemote();
      this.frames = frames;
    }

    @Override
    public void send(ClientCommand command) {
      String text = codec.encode(command);
      long size = text.length();
      if (queued.addAndGet(size) > MAX_QUEUED_CHARS) {
        queued.addAndGet(-size);
        fail("the send queue is full: the server does not read");
        return;
      }
      try {
        remote.sendText(
            text,
            result -> {
              queued.addAndGet(-size);
              if (!result.isOK()) {
                fail("send failed: " + result.getException());
              }
            });
      } catch (RuntimeException e) {
        queued.addAndGet(-size);
        fail("send failed: " + e);
      }
    }

    @Override
    public void ping() {
      BLOCKING.execute(
          () -> {
            try {
              remote.sendPing(ByteBuffer.allocate(0));
            } catch (IOException | RuntimeException e) {
              fail("ping failed: " + e);
            }
          });
    }

    @Override
    public void close(int code, String reason) {
      BLOCKING.execute(() -> closeNow(code, reason == null ? "" : reason));
      CompletableFuture.delayedExecutor(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS, BLOCKING)
          .execute(() -> frames.end(1006, "no answer to the close"));
    }

    @Override
    public void abort() {
      frames.end(1006, "aborted");
      BLOCKING.execute(() -> closeNow(CloseReason.CloseCodes.GOING_AWAY.getCode(), "abandoned"));
    }

    private void fail(String why) {
      LOG.debug("connection ends: {}", why);
      frames.end(1006, why);
      BLOCKING.execute(() -> closeNow(CloseReason.CloseCodes.GOING_AWAY.getCode(), "stuck"));
    }

    private void closeNow(int code, String reason) {
      try {
        if (session.isOpen()) {
          session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
        }
      } catch (IOException | RuntimeException e) {
        LOG.debug("close failed", e);
      }
    }
  }
}
