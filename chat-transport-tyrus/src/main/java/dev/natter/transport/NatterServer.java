package dev.natter.transport;

import dev.natter.codec.JsonCodec;
import dev.natter.core.ChatEngine;
import dev.natter.core.protocol.ErrorCode;
import dev.natter.core.spi.ChatStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Natter's server: the WebSocket at {@code /ws}, the JSON HTTP API under {@code /api}, {@code
 * /healthz}, {@code /metrics} (with a Prometheus registry) and the browser UI, all on one port, in
 * front of a {@link ChatEngine}.
 *
 * <p>The whole thing, owned by one object that closes it all in order (the sockets, then the
 * engine, then the store):
 *
 * <pre>{@code
 * try (NatterServer natter =
 *     NatterServer.builder().store(SqliteChatStore.open(Path.of("natter.db"))).port(8080).start()) {
 *   System.out.println("listening on " + natter.uri());
 *   natter.engine().createUser("admin", "a long password", "Admin"); // in-process, no network
 *   ...
 * }
 * }</pre>
 *
 * <p>Or in front of an engine the application built and keeps: {@code
 * NatterServer.builder(engine).port(8080).start()}; closing that server leaves the engine and its
 * store open.
 *
 * <p>Thread-safe. {@link #start()} and {@link #close()} may be called once each.
 */
public final class NatterServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NatterServer.class);

  /** Default largest text frame (message) a client may send: 64 KiB. */
  public static final int DEFAULT_MAX_FRAME_BYTES = 64 * 1024;

  /** Default time a new TCP connection may stay without a complete request: 10 s. */
  public static final long DEFAULT_FIRST_REQUEST_TIMEOUT_MS = 10_000;

  /** Default number of connections that may be opening at once before upgrades get 503: 32. */
  public static final int DEFAULT_MAX_CONCURRENT_HANDSHAKES = 32;

  /** Default cap on one user's open WebSockets: 20. */
  public static final int DEFAULT_MAX_CONNECTIONS_PER_USER = 20;

  /** Default cap on the open WebSockets from one (non-loopback) address: 200. */
  public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 200;

  /** Default bytes queued to one client before it is closed as a slow consumer: 1 MiB. */
  public static final long DEFAULT_OUTBOUND_BUDGET_BYTES = 1024 * 1024;

  /** Default largest uploaded file: 25 MB. */
  public static final long DEFAULT_MAX_UPLOAD_BYTES = 25L * 1000 * 1000;

  /** How often uploads never sent are looked for and removed (after 24 hours). */
  private static final long UPLOAD_SWEEP_MINUTES = 60;

  /** Default largest HTTP request body: 64 KiB. */
  public static final int DEFAULT_MAX_REQUEST_BYTES = 64 * 1024;

  private static final long CLOSE_GRACE_MS = 2_000;

  private final ServerConfig config;
  private final ChatEngine engine;
  private final boolean ownsEngine;
  private final ChatStore ownedStore;
  private final JsonCodec codec = JsonCodec.shared();
  private final ServerMetrics metrics;
  private final Supplier<String> prometheus;
  private final ScheduledExecutorService timers;
  private final ThreadPoolExecutor passwordWork;
  private final WsConnections sockets;
  private final Semaphore uploadSlots;

  private volatile Set<String> allowedOrigins = Set.of();
  private volatile boolean uiServed;
  private HttpServer http;
  private volatile HttpApi api;
  private NetworkListener listener;
  private volatile int port = -1;
  private volatile boolean started;
  private volatile boolean closed;

  NatterServer(ServerConfig config) {
    this.config = config;
    this.ownsEngine = config.engine() == null;
    this.ownedStore = config.store();
    this.engine = ownsEngine ? buildEngine(config) : config.engine();
    MeterRegistry registry =
        config.registry() != null ? config.registry() : new SimpleMeterRegistry();
    this.metrics = new ServerMetrics(registry);
    this.prometheus = PrometheusText.of(registry);
    this.timers = Executors.newSingleThreadScheduledExecutor(daemon("natter-heartbeat"));
    this.passwordWork =
        new ThreadPoolExecutor(
            config.passwordThreads(),
            config.passwordThreads(),
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(64),
            daemon("natter-password"));
    passwordWork.allowCoreThreadTimeOut(true);
    this.sockets =
        new WsConnections(
            codec,
            metrics,
            timers,
            engine.heartbeat(),
            config.outboundBudgetBytes(),
            FlushLanes.forThisMachine());
    metrics.watch(sockets);
    this.uploadSlots = new Semaphore(config.maxConcurrentUploads());
  }

  /** Uploads being received now (for tests). */
  int uploadsInProgress() {
    return config.maxConcurrentUploads() - uploadSlots.availablePermits();
  }

  private static ChatEngine buildEngine(ServerConfig config) {
    try {
      ChatEngine.Builder b = ChatEngine.builder(config.store());
      config.engineSettings().accept(b);
      return b.build();
    } catch (RuntimeException e) {
      closeBus(config); // the server owned them
      config.store().close();
      throw e;
    }
  }

  private static void closeBus(ServerConfig config) {
    if (config.bus() != null) {
      config.bus().close();
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger ids = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + ids.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * Starts building a server that builds and owns its engine: give it a {@link
   * NatterServerBuilder#store store} (and, if need be, {@link NatterServerBuilder#engine engine
   * settings}).
   *
   * @return a new builder
   */
  public static NatterServerBuilder builder() {
    return new NatterServerBuilder(null);
  }

  /**
   * Starts building a server in front of an engine that stays the caller's: closing the server
   * closes neither the engine nor its store.
   *
   * @param engine the engine to serve
   * @return a new builder
   */
  public static NatterServerBuilder builder(ChatEngine engine) {
    return new NatterServerBuilder(java.util.Objects.requireNonNull(engine, "engine"));
  }

  /** The API's route table once started (tests enumerate every endpoint from it). */
  List<Route> apiRoutes() {
    return api == null ? List.of() : api.routes();
  }

  // =====================================================================================
  // Life cycle

  /**
   * Binds the port and starts serving. If that fails, the server closes (with what it owns) and the
   * failure comes out.
   *
   * @return this server
   * @throws IllegalStateException if it was started or closed before
   * @throws UncheckedIOException if the port cannot be bound
   */
  public synchronized NatterServer start() {
    if (started || closed) {
      throw new IllegalStateException(closed ? "closed" : "already started");
    }
    started = true;
    try {
      listen();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    LOG.info("Natter listening on {}{}", uri(), uiServed ? " (with UI)" : "");
    return this;
  }

  private void listen() {
    UpgradeGate gate =
        new UpgradeGate(
            engine::authenticate,
            codec,
            metrics,
            this::originAllowed,
            config.maxFrameBytes(),
            new ConnectionCaps(config.maxConnectionsPerUser(), config.maxConnectionsPerAddress()),
            new HandshakeBudget(config.maxConcurrentHandshakes()));
    EndpointContext endpoint =
        new EndpointContext(engine, codec, metrics, gate, sockets, config.maxFrameBytes());
    Container container = new Container(config.maxFrameBytes() + 16 * 1024);
    try {
      container.engine().register(NatterEndpoint.config(endpoint), "");
    } catch (DeploymentException e) {
      throw new IllegalStateException("cannot deploy the WebSocket endpoint", e);
    }

    http = new HttpServer();
    listener = new NetworkListener("natter", config.host(), config.port());
    listener.setTransport(transport(config.workerThreads()));
    // WebSockets live long and may be quiet: Grizzly's keep-alive timeout would end them after
    // 30 s. Idle plain HTTP connections are closed by the gate's sweep instead.
    listener.getKeepAlive().setIdleTimeoutInSeconds(-1);
    listener.setMaxHttpHeaderSize(16 * 1024);
    listener.registerAddOn(gate.addOn()); // before Tyrus's filter
    listener.registerAddOn(new WebSocketAddOn(container, ""));
    http.addListener(listener);

    HttpReplies replies = new HttpReplies(codec, metrics);
    ServerConfiguration server = http.getServerConfiguration();
    server.setHttpServerName("");
    server.setHttpServerVersion("");
    server.setDefaultErrorPageGenerator(
        (request, status, reason, description, exception) ->
            codec.encodeError(
                status == 404
                    ? ErrorCode.NOT_FOUND
                    : status >= 500 ? ErrorCode.INTERNAL : ErrorCode.BAD_REQUEST,
                reason == null ? "error" : reason));
    uiServed = config.ui() && UiResources.presentIn(config.uiClassLoader());
    ApiContext api =
        new ApiContext(
            engine,
            codec,
            metrics,
            replies,
            this::originAllowed,
            config.maxRequestBytes(),
            config.maxUploadBytes(),
            uploadSlots,
            config.secureCookies(),
            passwordWork,
            Math.max(1, config.passwordThreads() / 2));
    server.addHttpHandler(
        new HttpRouter(
            this.api = new HttpApi(api),
            new HealthHandler(replies),
            prometheus == null
                ? null
                : new MetricsHandler(prometheus, replies, config.metricsToken()),
            uiServed ? new UiHandler(new UiResources(config.uiClassLoader()), replies) : null,
            replies),
        "/");

    try {
      http.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + config.host() + ":" + config.port(), e);
    }
    limitUnreadBodies(listener, config.maxUploadBytes());
    gate.useWebSocketChain(listener.getFilterChain());
    port = listener.getPort();
    allowedOrigins =
        config.allowedOrigins() != null
            ? config.allowedOrigins()
            : Origins.ownOrigins(config.host(), port);

    sockets.startHeartbeat();
    long idleMs = config.httpIdleTimeoutMs();
    long firstMs = config.firstRequestTimeoutMs();
    long sweep = Math.max(100, Math.min(1_000, Math.min(idleMs, firstMs) / 4));
    timers.scheduleWithFixedDelay(
        () -> gate.closeIdleHttp(idleMs, firstMs), sweep, sweep, TimeUnit.MILLISECONDS);
    timers.scheduleWithFixedDelay(
        this::removeStaleUploads, 1, UPLOAD_SWEEP_MINUTES, TimeUnit.MINUTES);
  }

  /**
   * A request answered before its body was read (a 413, a refused upload) has the rest of its body
   * read and thrown away when that rest is at most twice the upload limit: a client that sends its
   * whole body before it reads the answer (as Java's HttpClient does) then hears the 413, where an
   * immediate close would reset the connection and lose the answer in its receive buffer. A longer
   * rest has the connection closed at once. The idle sweep still closes a draining connection that
   * stops sending.
   */
  private static void limitUnreadBodies(NetworkListener listener, long maxUploadBytes) {
    long skip = Math.max(64 * 1024, 2 * FileRoutes.largestBody(maxUploadBytes));
    for (org.glassfish.grizzly.filterchain.Filter f : listener.getFilterChain()) {
      if (f instanceof org.glassfish.grizzly.http.HttpCodecFilter codec) {
        codec.setMaxPayloadRemainderToSkip(skip);
      }
    }
  }

  private void removeStaleUploads() {
    try {
      int removed = engine.removeStaleUploads();
      if (removed > 0) {
        LOG.info("removed {} uploads that were never sent", removed);
      }
    } catch (RuntimeException e) {
      LOG.warn("could not remove stale uploads", e);
    }
  }

  private static TCPNIOTransport transport(int workerThreads) {
    return TCPNIOTransportBuilder.newInstance()
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
  }

  /**
   * Stops the server and what it owns, in order: stops accepting connections, closes every
   * WebSocket with {@code CloseCode.GOING_AWAY} (waiting briefly for the closing handshakes) and
   * stops the listener; then, when the server built them ({@link #builder()}), closes the engine
   * (in-process listeners get {@code GOING_AWAY} too) and finally the store (pending writes
   * flushed). With {@link #builder(ChatEngine)} the engine and store stay open. Idempotent; works
   * on a server that never started.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (http != null) {
        stopListening();
      }
    } finally {
      timers.shutdownNow();
      passwordWork.shutdownNow();
      closeOwned();
    }
  }

  private void stopListening() {
    try {
      listener.getTransport().unbindAll(); // no new connections
    } catch (RuntimeException e) {
      LOG.debug("unbind failed", e);
    }
    sockets.closeAll(CLOSE_GRACE_MS);
    http.shutdownNow();
  }

  private void closeOwned() {
    if (!ownsEngine) {
      return;
    }
    try {
      engine.close();
    } finally {
      try {
        closeBus(config);
      } finally {
        ownedStore.close();
      }
    }
  }

  // =====================================================================================
  // Public view

  /**
   * The engine behind this server, for in-process use next to the network (see {@link
   * ChatEngine#send(dev.natter.core.model.User, String, String)} and {@link ChatEngine#listen}).
   *
   * @return the engine the server built, or the one it was given
   */
  public ChatEngine engine() {
    return engine;
  }

  /**
   * The port the server listens on.
   *
   * @return the bound port (useful after {@code port(0)}), or -1 before {@link #start()}
   */
  public int port() {
    return port;
  }

  /**
   * The address the server listens on.
   *
   * @return the host given to the builder
   */
  public String host() {
    return config.host();
  }

  /**
   * Where clients reach the server.
   *
   * @return {@code http://host:port}
   */
  public URI uri() {
    return URI.create("http://" + Origins.hostInUri(config.host()) + ":" + port);
  }

  /**
   * The exact browser origins allowed to open a WebSocket or call the API with an Origin header.
   *
   * @return the configured origins, or the server's own once it has a port
   */
  public Set<String> allowedOrigins() {
    return allowedOrigins;
  }

  /**
   * Whether the browser UI is served.
   *
   * @return true when it was asked for and found on the classpath at {@link #start()}
   */
  public boolean servesUi() {
    return uiServed;
  }

  /**
   * Whether {@code GET /metrics} is served.
   *
   * @return true when the server's registry is a Prometheus registry
   */
  public boolean servesMetrics() {
    return prometheus != null;
  }

  /**
   * The registry of the server's meters; an application may add its own meters to it.
   *
   * @return the registry given to the builder, or the server's private {@code SimpleMeterRegistry}
   */
  public MeterRegistry meterRegistry() {
    return metrics.registry();
  }

  /**
   * Open WebSocket connections (in-process listeners of the engine are not counted).
   *
   * @return the number of open WebSockets
   */
  public int connectionCount() {
    return sockets.count();
  }

  /** The registry of open WebSocket connections (for tests in this package). */
  WsConnections sockets() {
    return sockets;
  }

  /**
   * Bytes queued to WebSocket clients and not yet written, over all connections.
   *
   * @return the bytes in flight
   */
  public long outboundBytes() {
    return sockets.outboundBytes();
  }

  private boolean originAllowed(String origin) {
    return allowedOrigins.contains(origin);
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
    public Map<String, Object> getProperties() {
      return Map.of();
    }
  }
}
