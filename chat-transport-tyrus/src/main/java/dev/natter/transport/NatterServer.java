package dev.natter.transport;

import dev.natter.codec.JsonCodec;
import dev.natter.core.ChatEngine;
import dev.natter.core.protocol.CloseCode;
import dev.natter.core.spi.HeartbeatPolicy;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.http.server.ServerConfiguration;
import org.glassfish.grizzly.nio.transport.TCPNIOTransport;
import org.glassfish.grizzly.nio.transport.TCPNIOTransportBuilder;
import org.glassfish.grizzly.strategies.WorkerThreadIOStrategy;
import org.glassfish.grizzly.threadpool.ThreadPoolConfig;
import org.glassfish.tyrus.container.grizzly.server.WebSocketAddOn;
import org.glassfish.tyrus.core.TyrusWebSocketEngine;
import org.glassfish.tyrus.server.TyrusServerContainer;
import org.glassfish.tyrus.spi.WebSocketEngine;

/**
 * Natter's server: the WebSocket at {@code /ws}, the JSON HTTP API under {@code /api}, {@code
 * /healthz}, {@code /metrics} (Prometheus) and the browser UI, all on one port, in front of a
 * {@link ChatEngine}.
 *
 * <pre>{@code
 * try (NatterServer server = NatterServer.builder(engine).port(8080).build().start()) {
 *   System.out.println("listening on " + server.uri());
 *   ...
 * }
 * }</pre>
 *
 * <p>Closing the server stops accepting connections, closes every WebSocket with 1001 and stops the
 * listener; it closes neither the engine nor its store, which belong to the caller.
 */
public final class NatterServer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(NatterServer.class.getName());

  /** Default largest text frame (message) a client may send: 64 KiB. */
  public static final int DEFAULT_MAX_FRAME_BYTES = 64 * 1024;

  /** Default bytes queued to one client before it is closed as a slow consumer: 1 MiB. */
  public static final long DEFAULT_OUTBOUND_BUDGET_BYTES = 1024 * 1024;

  /** Default largest HTTP request body: 64 KiB. */
  public static final int DEFAULT_MAX_REQUEST_BYTES = 64 * 1024;

  private final String host;
  private final int requestedPort;
  private final ChatEngine engine;
  private final Set<String> configuredOrigins;
  private final int maxFrameBytes;
  private final long outboundBudgetBytes;
  private final int maxRequestBytes;
  private final boolean uiWanted;
  private final ClassLoader uiLoader;
  private final Boolean secureCookies;
  private final int workerThreads;
  private final int passwordThreads;
  private final long httpIdleTimeoutMs;
  private final long abortAfterMs;
  private final HeartbeatPolicy heartbeat;
  private final JsonCodec codec = JsonCodec.shared();
  private final ServerMetrics metrics;
  private final Set<WsConnection> connections = ConcurrentHashMap.newKeySet();
  private final AtomicInteger passwordThreadIds = new AtomicInteger();

  private volatile Set<String> allowedOrigins = Set.of();
  private volatile boolean uiServed;
  private HttpServer http;
  private NetworkListener listener;
  private UpgradeGate gate;
  private ScheduledExecutorService timers;
  private ThreadPoolExecutor passwordWork;
  private volatile int port = -1;
  private volatile boolean started;
  private volatile boolean closed;

  private NatterServer(Builder b) {
    this.host = b.host;
    this.requestedPort = b.port;
    this.engine = b.engine;
    this.configuredOrigins = b.allowedOrigins == null ? null : Set.copyOf(b.allowedOrigins);
    this.maxFrameBytes = b.maxFrameBytes;
    this.outboundBudgetBytes = b.outboundBudgetBytes;
    this.maxRequestBytes = b.maxRequestBytes;
    this.uiWanted = b.ui;
    this.uiLoader = b.uiClassLoader != null ? b.uiClassLoader : NatterServer.class.getClassLoader();
    this.secureCookies = b.secureCookies;
    this.workerThreads = b.workerThreads;
    this.passwordThreads = b.passwordThreads;
    this.httpIdleTimeoutMs = b.httpIdleTimeoutMs;
    this.heartbeat = engine.heartbeat();
    this.abortAfterMs = Math.max(1_000, Math.min(10_000, heartbeat.timeoutMs()));
    PrometheusMeterRegistry registry =
        b.registry != null ? b.registry : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    this.metrics = new ServerMetrics(registry, connections::size, this::outboundBytes);
  }

  /** Starts building a server in front of an engine. */
  public static Builder builder(ChatEngine engine) {
    return new Builder(engine);
  }

  // =====================================================================================
  // Life cycle

  /** Binds the port and starts serving. Returns this server. */
  public synchronized NatterServer start() {
    if (started) {
      throw new IllegalStateException("already started");
    }
    started = true;
    timers =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "natter-heartbeat");
              t.setDaemon(true);
              return t;
            });
    passwordWork =
        new ThreadPoolExecutor(
            passwordThreads,
            passwordThreads,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(64),
            r -> {
              Thread t = new Thread(r, "natter-password-" + passwordThreadIds.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    passwordWork.allowCoreThreadTimeOut(true);

    gate = new UpgradeGate(engine, codec, metrics, this::originAllowed, maxFrameBytes);
    Container container = new Container(maxFrameBytes + 16 * 1024);
    try {
      container.engine().register(NatterEndpoint.config(this), "");
    } catch (DeploymentException e) {
      throw new IllegalStateException("cannot deploy the WebSocket endpoint", e);
    }

    http = new HttpServer();
    listener = new NetworkListener("natter", host, requestedPort);
    TCPNIOTransport transport =
        TCPNIOTransportBuilder.newInstance()
            .setIOStrategy(WorkerThreadIOStrategy.getInstance())
            .setWorkerThreadPoolConfig(
                ThreadPoolConfig.defaultConfig()
                    .setPoolName("natter-worker")
                    .setCorePoolSize(workerThreads)
                    .setMaxPoolSize(workerThreads)
                    .setDaemon(true))
            .setSelectorThreadPoolConfig(
                ThreadPoolConfig.defaultConfig()
                    .setPoolName("natter-selector")
                    .setCorePoolSize(1)
                    .setMaxPoolSize(1)
                    .setDaemon(true))
            .setSelectorRunnersCount(1)
            .setReuseAddress(true)
            .build();
    listener.setTransport(transport);
    // WebSockets live long and may be quiet: Grizzly's keep-alive timeout would end them after 30
    // s.
    // Idle plain HTTP connections are closed by the gate's sweep instead.
    listener.getKeepAlive().setIdleTimeoutInSeconds(-1);
    listener.setMaxHttpHeaderSize(16 * 1024);
    listener.registerAddOn(gate.addOn()); // before Tyrus's filter
    listener.registerAddOn(new WebSocketAddOn(container, ""));
    http.addListener(listener);

    ServerConfiguration config = http.getServerConfiguration();
    config.setHttpServerName("");
    config.setHttpServerVersion("");
    config.setDefaultErrorPageGenerator(
        (request, status, reason, description, exception) ->
            codec.encodeError(
                status == 404
                    ? dev.natter.core.protocol.ErrorCode.NOT_FOUND
                    : status >= 500
                        ? dev.natter.core.protocol.ErrorCode.INTERNAL
                        : dev.natter.core.protocol.ErrorCode.BAD_REQUEST,
                reason == null ? "error" : reason));
    uiServed = uiWanted && UiResources.presentIn(uiLoader);
    HttpApi api = new HttpApi(this, passwordWork, uiServed ? new UiResources(uiLoader) : null);
    config.addHttpHandler(api, "/");

    try {
      http.start();
    } catch (IOException e) {
      shutdownExecutors();
      throw new UncheckedIOException("cannot listen on " + host + ":" + requestedPort, e);
    }
    port = listener.getPort();
    allowedOrigins = configuredOrigins != null ? configuredOrigins : defaultOrigins();

    long interval = heartbeat.intervalMs();
    timers.scheduleAtFixedRate(this::heartbeatTick, interval, interval, TimeUnit.MILLISECONDS);
    long sweep = Math.max(1_000, httpIdleTimeoutMs / 4);
    timers.scheduleWithFixedDelay(
        () -> gate.closeIdleHttp(httpIdleTimeoutMs), sweep, sweep, TimeUnit.MILLISECONDS);
    LOG.info(() -> "Natter listening on " + uri() + (uiServed ? " (with UI)" : ""));
    return this;
  }

  /**
   * Stops accepting connections, closes every WebSocket with 1001 (server going away), waits
   * briefly for the closing handshakes and stops the listener. Does not close the engine.
   */
  @Override
  public synchronized void close() {
    if (!started || closed) {
      return;
    }
    closed = true;
    try {
      listener.getTransport().unbindAll(); // no new connections
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "unbind failed", e);
    }
    for (WsConnection c : List.copyOf(connections)) {
      c.close(CloseCode.GOING_AWAY);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while (!connections.isEmpty() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    for (WsConnection c : List.copyOf(connections)) {
      c.abort();
    }
    http.shutdownNow();
    shutdownExecutors();
  }

  private void shutdownExecutors() {
    timers.shutdownNow();
    passwordWork.shutdownNow();
  }

  // =====================================================================================
  // Public view

  /** The bound port (useful after {@code port(0)}), or -1 before {@link #start()}. */
  public int port() {
    return port;
  }

  /** The address the server listens on. */
  public String host() {
    return host;
  }

  /** {@code http://host:port}. */
  public URI uri() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return URI.create("http://" + h + ":" + port);
  }

  /**
   * The exact browser origins allowed to open a WebSocket or call the API with an Origin header.
   */
  public Set<String> allowedOrigins() {
    return allowedOrigins;
  }

  /** Whether the browser UI is served (asked for, and found on the classpath). */
  public boolean servesUi() {
    return uiServed;
  }

  /** The registry behind {@code /metrics}. */
  public PrometheusMeterRegistry meterRegistry() {
    return metrics.registry();
  }

  /** Open WebSocket connections. */
  public int connectionCount() {
    return connections.size();
  }

  /** Bytes queued to WebSocket clients and not yet written, over all connections. */
  public long outboundBytes() {
    long sum = 0;
    for (WsConnection c : connections) {
      sum += c.inFlightBytes();
    }
    return sum;
  }

  // =====================================================================================
  // For the transport's parts

  ChatEngine engine() {
    return engine;
  }

  JsonCodec codec() {
    return codec;
  }

  ServerMetrics metrics() {
    return metrics;
  }

  UpgradeGate gate() {
    return gate;
  }

  int maxFrameBytes() {
    return maxFrameBytes;
  }

  int maxRequestBytes() {
    return maxRequestBytes;
  }

  Boolean secureCookies() {
    return secureCookies;
  }

  private boolean originAllowed(String origin) {
    return allowedOrigins.contains(origin);
  }

  private Set<String> defaultOrigins() {
    Set<String> origins = new LinkedHashSet<>();
    String h = host.contains(":") ? "[" + host + "]" : host;
    origins.add("http://" + h + ":" + port);
    if (host.equals("127.0.0.1") || host.equals("::1") || host.equals("localhost")) {
      origins.add("http://localhost:" + port);
      origins.add("http://127.0.0.1:" + port);
    }
    return Set.copyOf(origins);
  }

  WsConnection newConnection(
      String id, Session session, org.glassfish.grizzly.Connection<?> socket) {
    return new WsConnection(
        id, session, socket, codec, metrics, timers, outboundBudgetBytes, abortAfterMs);
  }

  void opened(WsConnection c) {
    connections.add(c);
    if (closed) {
      c.close(CloseCode.GOING_AWAY);
    }
  }

  void closed(WsConnection c) {
    connections.remove(c);
  }

  <T> T timed(String op, Supplier<T> call) {
    return metrics.engineCall(op).record(call);
  }

  private void heartbeatTick() {
    try {
      for (WsConnection c : connections) {
        if (c.isClosing()) {
          continue;
        }
        if (heartbeat.isDead(c.silentForMs())) {
          metrics.heartbeatTimeouts.increment();
          c.close(CloseCode.GOING_AWAY.code(), "heartbeat timeout");
        } else {
          c.ping();
        }
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "heartbeat tick failed", e);
    }
  }

  /** A Tyrus server container around our own engine; the Grizzly listener is ours too. */
  private static final class Container extends TyrusServerContainer {
    private final TyrusWebSocketEngine engine;

    Container(int incomingBufferSize) {
      super((Set<Class<?>>) null);
      this.engine =
          TyrusWebSocketEngine.builder(this).incomingBufferSize(incomingBufferSize).build();
    }

    TyrusWebSocketEngine engine() {
      return engine;
    }

    @Override
    public void register(Class<?> endpointClass) throws DeploymentException {
      engine.register(endpointClass, "");
    }

    @Override
    public void register(ServerEndpointConfig serverEndpointConfig) throws DeploymentException {
      engine.register(serverEndpointConfig, "");
    }

    @Override
    public WebSocketEngine getWebSocketEngine() {
      return engine;
    }

    @Override
    public java.util.Map<String, Object> getProperties() {
      return java.util.Map.of();
    }
  }

  /** Builds a {@link NatterServer}. */
  public static final class Builder {
    private final ChatEngine engine;
    private String host = "127.0.0.1";
    private int port = 0;
    private Collection<String> allowedOrigins;
    private int maxFrameBytes = DEFAULT_MAX_FRAME_BYTES;
    private long outboundBudgetBytes = DEFAULT_OUTBOUND_BUDGET_BYTES;
    private int maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES;
    private boolean ui = true;
    private ClassLoader uiClassLoader;
    private Boolean secureCookies;
    private PrometheusMeterRegistry registry;
    private int workerThreads =
        Math.max(4, Math.min(16, 2 * Runtime.getRuntime().availableProcessors()));
    private int passwordThreads =
        Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    private long httpIdleTimeoutMs = 60_000;

    private Builder(ChatEngine engine) {
      this.engine = Objects.requireNonNull(engine, "engine");
    }

    /** The address to listen on. Default {@code 127.0.0.1} (this machine only). */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** The port; 0 (the default) picks a free one, see {@link NatterServer#port()}. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0 to 65535");
      }
      this.port = port;
      return this;
    }

    /**
     * The exact browser origins (such as {@code https://chat.example.org}) allowed to open a
     * WebSocket or call the API. Requests without an {@code Origin} header (non-browser clients)
     * are always allowed. Default: the server's own origin, {@code http://host:port} (plus the
     * {@code localhost} and {@code 127.0.0.1} spellings when listening on loopback).
     */
    public Builder allowedOrigins(Collection<String> origins) {
      List<String> clean = new java.util.ArrayList<>();
      for (String origin : origins) {
        clean.add(normalizeOrigin(origin));
      }
      this.allowedOrigins = List.copyOf(clean);
      return this;
    }

    /** {@code scheme://host[:port]} in lower case, without a trailing slash; nothing else. */
    static String normalizeOrigin(String origin) {
      String o = Objects.requireNonNull(origin, "origin").strip();
      if (o.endsWith("/")) {
        o = o.substring(0, o.length() - 1);
      }
      URI uri;
      try {
        uri = URI.create(o);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("not an origin: " + origin, e);
      }
      if (uri.getScheme() == null
          || uri.getHost() == null
          || (uri.getPath() != null && !uri.getPath().isEmpty())
          || uri.getQuery() != null
          || uri.getFragment() != null
          || uri.getUserInfo() != null) {
        throw new IllegalArgumentException(
            "an origin is scheme://host[:port], like https://chat.example.org: " + origin);
      }
      return o.toLowerCase(java.util.Locale.ROOT);
    }

    /** The largest text message a client may send; larger ones close with 1009. Default 64 KiB. */
    public Builder maxFrameBytes(int bytes) {
      if (bytes < 256) {
        throw new IllegalArgumentException("maxFrameBytes must be at least 256");
      }
      this.maxFrameBytes = bytes;
      return this;
    }

    /**
     * Bytes that may wait to be written to one client; a client over it is closed with 4008 (slow
     * consumer). Default 1 MiB.
     */
    public Builder outboundBudgetBytes(long bytes) {
      if (bytes < 1024) {
        throw new IllegalArgumentException("outboundBudgetBytes must be at least 1024");
      }
      this.outboundBudgetBytes = bytes;
      return this;
    }

    /** The largest HTTP request body; larger ones get 413. Default 64 KiB. */
    public Builder maxRequestBytes(int bytes) {
      if (bytes < 1024) {
        throw new IllegalArgumentException("maxRequestBytes must be at least 1024");
      }
      this.maxRequestBytes = bytes;
      return this;
    }

    /**
     * Whether to serve the browser UI (the classpath's {@code natter-ui/}, when {@code
     * natter-ui/index.html} is present). Default true.
     */
    public Builder ui(boolean serve) {
      this.ui = serve;
      return this;
    }

    /** Where to look for {@code natter-ui/}. Default: this library's class loader. */
    public Builder uiClassLoader(ClassLoader loader) {
      this.uiClassLoader = Objects.requireNonNull(loader);
      return this;
    }

    /**
     * Whether the session cookie carries {@code Secure}. Default (null): when the request came over
     * HTTPS or with {@code X-Forwarded-Proto: https}.
     */
    public Builder secureCookies(Boolean secure) {
      this.secureCookies = secure;
      return this;
    }

    /** The registry behind {@code /metrics}. Default: a new one. */
    public Builder meterRegistry(PrometheusMeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry);
      return this;
    }

    /** Grizzly worker threads (HTTP requests and WebSocket frames). Default 2 per core, 4 to 16. */
    public Builder workerThreads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("workerThreads must be positive");
      }
      this.workerThreads = threads;
      return this;
    }

    /** Threads for password hashing (register, login). Default one per core, at most 4. */
    public Builder passwordThreads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("passwordThreads must be positive");
      }
      this.passwordThreads = threads;
      return this;
    }

    /** How long an idle keep-alive HTTP connection stays open. Default 60 s. */
    public Builder httpIdleTimeoutMs(long ms) {
      if (ms < 100) {
        throw new IllegalArgumentException("httpIdleTimeoutMs must be at least 100");
      }
      this.httpIdleTimeoutMs = ms;
      return this;
    }

    public NatterServer build() {
      return new NatterServer(this);
    }
  }
}
