package dev.natter.transport;

import dev.natter.core.ChatEngine;
import dev.natter.core.spi.ChatStore;
import dev.natter.core.spi.EventBus;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Builds a {@link NatterServer}; start one from {@link NatterServer#builder()} (the server builds
 * and owns its engine) or {@link NatterServer#builder(ChatEngine)} (the caller's engine). Every
 * setting has a default; setters check their argument at once and return this builder. Not
 * thread-safe.
 */
public final class NatterServerBuilder {
  private final ChatEngine engine;
  private ChatStore store;
  private EventBus bus;
  private Consumer<ChatEngine.Builder> engineSettings = b -> {};
  private String host = "127.0.0.1";
  private int port = 0;
  private Set<String> allowedOrigins;
  private int maxFrameBytes = NatterServer.DEFAULT_MAX_FRAME_BYTES;
  private long outboundBudgetBytes = NatterServer.DEFAULT_OUTBOUND_BUDGET_BYTES;
  private int maxRequestBytes = NatterServer.DEFAULT_MAX_REQUEST_BYTES;
  private long maxUploadBytes = NatterServer.DEFAULT_MAX_UPLOAD_BYTES;
  private int maxConcurrentUploads;
  private boolean ui = true;
  private ClassLoader uiClassLoader;
  private Boolean secureCookies;
  private MeterRegistry registry;
  private int workerThreads =
      Math.max(4, Math.min(16, 2 * Runtime.getRuntime().availableProcessors()));
  private int passwordThreads =
      Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
  private long httpIdleTimeoutMs = 60_000;
  private long firstRequestTimeoutMs = NatterServer.DEFAULT_FIRST_REQUEST_TIMEOUT_MS;
  private int maxConnectionsPerUser = NatterServer.DEFAULT_MAX_CONNECTIONS_PER_USER;
  private int maxConnectionsPerAddress = NatterServer.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS;
  private int maxConcurrentHandshakes = NatterServer.DEFAULT_MAX_CONCURRENT_HANDSHAKES;
  private String metricsToken;

  /**
   * @param engine the caller's engine, or null when the server builds its own on a store
   */
  NatterServerBuilder(ChatEngine engine) {
    this.engine = engine;
  }

  /**
   * The store the server's own engine works on. The server owns it from now on: closing the server
   * closes it (after the engine), and so does a failed {@link #start()}. Required with {@link
   * NatterServer#builder()}; not allowed with {@link NatterServer#builder(ChatEngine)}, whose
   * engine has its store already.
   *
   * @param store an open store, such as {@code SqliteChatStore.open(path)} or an {@code
   *     InMemoryChatStore}
   * @return this builder
   * @throws IllegalStateException if this builder was given an engine
   */
  public NatterServerBuilder store(ChatStore store) {
    if (engine != null) {
      throw new IllegalStateException("this builder has an engine: its store is the engine's");
    }
    this.store = Objects.requireNonNull(store, "store");
    return this;
  }

  /**
   * The bus between the nodes of a cluster (such as {@code RedisEventBus}) for the engine the
   * server builds; its presence directory, if it has one, comes with it. The server owns it from
   * now on: closing the server closes it after the engine and before the store, and so does a
   * failed {@link #start()}. Default: the in-process bus (one node). Not allowed with {@link
   * NatterServer#builder(ChatEngine)}, whose engine has its bus already.
   *
   * @param bus an open bus
   * @return this builder
   * @throws IllegalStateException if this builder was given an engine
   */
  public NatterServerBuilder eventBus(EventBus bus) {
    if (engine != null) {
      throw new IllegalStateException("this builder has an engine: its bus is the engine's");
    }
    this.bus = Objects.requireNonNull(bus, "bus");
    return this;
  }

  /**
   * Settings for the engine the server builds on its {@link #store}: limits, password hasher,
   * heartbeat, clock and so on. Default: the engine's defaults.
   *
   * @param settings called once with the engine's builder, before the engine is built
   * @return this builder
   * @throws IllegalStateException if this builder was given an engine
   */
  public NatterServerBuilder engine(Consumer<ChatEngine.Builder> settings) {
    if (engine != null) {
      throw new IllegalStateException("this builder has an engine already");
    }
    this.engineSettings = Objects.requireNonNull(settings, "settings");
    return this;
  }

  /**
   * The address to listen on. Default {@code 127.0.0.1} (this machine only); listen on {@code
   * 0.0.0.0} only behind TLS.
   *
   * @param host an IP address or host name of this machine
   * @return this builder
   */
  public NatterServerBuilder host(String host) {
    this.host = Objects.requireNonNull(host, "host");
    return this;
  }

  /**
   * The port; 0 (the default) picks a free one, see {@link NatterServer#port()}.
   *
   * @param port 0 to 65535
   * @return this builder
   * @throws IllegalArgumentException for a port out of range
   */
  public NatterServerBuilder port(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0 to 65535");
    }
    this.port = port;
    return this;
  }

  /**
   * The exact browser origins (such as {@code https://chat.example.org}) allowed to open a
   * WebSocket or call the API. Requests without an {@code Origin} header (non-browser clients) are
   * always allowed. Default: the server's own origin, {@code http://host:port} (plus the {@code
   * localhost} and {@code 127.0.0.1} spellings when listening on loopback).
   *
   * @param origins origins of the form {@code scheme://host[:port]}
   * @return this builder
   * @throws IllegalArgumentException for anything that is not an origin (a path, a query)
   */
  public NatterServerBuilder allowedOrigins(Collection<String> origins) {
    List<String> clean = new ArrayList<>();
    for (String origin : origins) {
      clean.add(Origins.normalize(origin));
    }
    this.allowedOrigins = Set.copyOf(clean);
    return this;
  }

  /**
   * The largest text message a client may send; a larger one closes the connection with {@code
   * CloseCode.TOO_LARGE}. Default 64 KiB.
   *
   * @param bytes at least 256
   * @return this builder
   * @throws IllegalArgumentException below 256
   */
  public NatterServerBuilder maxFrameBytes(int bytes) {
    if (bytes < 256) {
      throw new IllegalArgumentException("maxFrameBytes must be at least 256");
    }
    this.maxFrameBytes = bytes;
    return this;
  }

  /**
   * Bytes that may wait to be written to one client; a client over it is closed with {@code
   * CloseCode.SLOW_CONSUMER}. Default 1 MiB.
   *
   * @param bytes at least 1024
   * @return this builder
   * @throws IllegalArgumentException below 1024
   */
  public NatterServerBuilder outboundBudgetBytes(long bytes) {
    if (bytes < 1024) {
      throw new IllegalArgumentException("outboundBudgetBytes must be at least 1024");
    }
    this.outboundBudgetBytes = bytes;
    return this;
  }

  /**
   * The largest HTTP request body; larger ones get 413. Default 64 KiB.
   *
   * @param bytes at least 1024
   * @return this builder
   * @throws IllegalArgumentException below 1024
   */
  public NatterServerBuilder maxRequestBytes(int bytes) {
    if (bytes < 1024) {
      throw new IllegalArgumentException("maxRequestBytes must be at least 1024");
    }
    this.maxRequestBytes = bytes;
    return this;
  }

  /**
   * The largest file {@code POST /api/rooms/{id}/files} accepts; larger ones get 413 (before the
   * body is read when {@code Content-Length} says so). Default 25 MB.
   *
   * @param bytes at least 1
   * @return this builder
   * @throws IllegalArgumentException below 1
   */
  public NatterServerBuilder maxUploadBytes(long bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("maxUploadBytes must be positive");
    }
    this.maxUploadBytes = bytes;
    return this;
  }

  /**
   * Whether to serve the browser UI (the classpath's {@code natter-ui/}, when {@code
   * natter-ui/index.html} is present: the chat-web jar). Default true.
   *
   * @param serve false to serve the API and the WebSocket only
   * @return this builder
   */
  public NatterServerBuilder ui(boolean serve) {
    this.ui = serve;
    return this;
  }

  /**
   * Where to look for {@code natter-ui/}. Default: this library's class loader.
   *
   * @param loader the class loader that sees the UI's resources
   * @return this builder
   */
  public NatterServerBuilder uiClassLoader(ClassLoader loader) {
    this.uiClassLoader = Objects.requireNonNull(loader, "loader");
    return this;
  }

  /**
   * Whether the session cookie carries {@code Secure}. Default (null): when the request came over
   * HTTPS or with {@code X-Forwarded-Proto: https}.
   *
   * @param secure true or false to force it, null to follow the request
   * @return this builder
   */
  public NatterServerBuilder secureCookies(Boolean secure) {
    this.secureCookies = secure;
    return this;
  }

  /**
   * The Micrometer registry for the server's meters (connections, frames, errors, engine-call
   * timers). When it is a {@code PrometheusMeterRegistry} (from {@code
   * io.micrometer:micrometer-registry-prometheus}, which the application adds), the server also
   * serves it at {@code GET /metrics}; otherwise there is no {@code /metrics}. Default: a private
   * {@code SimpleMeterRegistry}, see {@link NatterServer#meterRegistry()}.
   *
   * @param registry any Micrometer registry
   * @return this builder
   */
  public NatterServerBuilder meterRegistry(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
    return this;
  }

  /**
   * How many uploads may run at once. Each holds a worker thread while its body arrives (a slow
   * client holds it as long as it keeps sending), so the rest of the workers stay free for the API
   * and the WebSockets; an upload beyond the limit gets 429 {@code rate_limited} with {@code
   * Retry-After} before its body is read. Default half the {@linkplain #workerThreads worker
   * threads} (at least 1).
   *
   * @param uploads at least 1
   * @return this builder
   * @throws IllegalArgumentException below 1
   */
  public NatterServerBuilder maxConcurrentUploads(int uploads) {
    if (uploads < 1) {
      throw new IllegalArgumentException("maxConcurrentUploads must be positive");
    }
    this.maxConcurrentUploads = uploads;
    return this;
  }

  /**
   * Grizzly worker threads (HTTP requests and WebSocket frames). Default 2 per core, 4 to 16.
   *
   * @param threads at least 1
   * @return this builder
   * @throws IllegalArgumentException below 1
   */
  public NatterServerBuilder workerThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("workerThreads must be positive");
    }
    this.workerThreads = threads;
    return this;
  }

  /**
   * Threads for password hashing (register, login), off the I/O workers; when they and their queue
   * are busy, sign-ins get 429. Default one per core, at most 4.
   *
   * @param threads at least 1
   * @return this builder
   * @throws IllegalArgumentException below 1
   */
  public NatterServerBuilder passwordThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("passwordThreads must be positive");
    }
    this.passwordThreads = threads;
    return this;
  }

  /**
   * How long an idle keep-alive HTTP connection (or one that never completes a request) stays open.
   * Default 60 s.
   *
   * @param ms at least 100
   * @return this builder
   * @throws IllegalArgumentException below 100
   */
  public NatterServerBuilder httpIdleTimeoutMs(long ms) {
    if (ms < 100) {
      throw new IllegalArgumentException("httpIdleTimeoutMs must be at least 100");
    }
    this.httpIdleTimeoutMs = ms;
    return this;
  }

  /**
   * How long a new TCP connection may stay without a complete HTTP request (a silent or slow client
   * that never signs in or upgrades); it is closed after that. Default 10 s.
   *
   * @param ms milliseconds, at least 100
   * @return this builder
   * @throws IllegalArgumentException below 100
   */
  public NatterServerBuilder firstRequestTimeoutMs(long ms) {
    if (ms < 100) {
      throw new IllegalArgumentException("firstRequestTimeoutMs must be at least 100");
    }
    this.firstRequestTimeoutMs = ms;
    return this;
  }

  /**
   * Requires {@code Authorization: Bearer <token>} on {@code GET /metrics} (401 without it), for a
   * server whose port is reachable by people who should not read its figures. Default: none (open,
   * like {@code /healthz}).
   *
   * @param token the token a scraper must send, or null for an open endpoint
   * @return this builder
   * @throws IllegalArgumentException for a blank token
   */
  public NatterServerBuilder metricsToken(String token) {
    if (token != null && token.isBlank()) {
      throw new IllegalArgumentException("metricsToken must not be blank");
    }
    this.metricsToken = token;
    return this;
  }

  /**
   * Caps the open WebSockets: per user (all sessions together) and per client address (peers on the
   * loopback interface are not counted per address). A handshake over a cap is refused with HTTP
   * 429 and a {@code rate_limited} error body. Defaults 20 per user, 200 per address.
   *
   * @param perUser WebSockets one user may hold, at least 1
   * @param perAddress WebSockets one address may hold, at least 1
   * @return this builder
   * @throws IllegalArgumentException for a cap below 1
   */
  public NatterServerBuilder maxConnections(int perUser, int perAddress) {
    if (perUser < 1 || perAddress < 1) {
      throw new IllegalArgumentException("connection caps must be at least 1");
    }
    this.maxConnectionsPerUser = perUser;
    this.maxConnectionsPerAddress = perAddress;
    return this;
  }

  /**
   * How many connections may be opening at once (accepted, and not yet through their first request
   * or, for a WebSocket, not yet attached to the engine). A WebSocket upgrade that finds more
   * opening is refused at once with HTTP 503, {@code Retry-After: 1} and {@code rate_limited},
   * before its token is looked up: in a reconnect storm the I/O workers then do a bounded amount of
   * handshake work and stay free for the sockets already open. Default 32.
   *
   * @param handshakes at least 1
   * @return this builder
   * @throws IllegalArgumentException below 1
   */
  public NatterServerBuilder maxConcurrentHandshakes(int handshakes) {
    if (handshakes < 1) {
      throw new IllegalArgumentException("maxConcurrentHandshakes must be at least 1");
    }
    this.maxConcurrentHandshakes = handshakes;
    return this;
  }

  /**
   * Builds the server without starting it; with {@link NatterServer#builder()} this builds the
   * engine on the store. Close the server even if it never starts, to release what it owns.
   *
   * @return a server, not yet listening
   * @throws IllegalStateException if neither a store nor an engine was given
   */
  public NatterServer build() {
    if (engine == null && store == null) {
      throw new IllegalStateException(
          "give the server a store (builder().store(...)) or an engine (builder(engine))");
    }
    return new NatterServer(
        new ServerConfig(
            engine,
            store,
            bus,
            bus == null ? engineSettings : engineSettings.andThen(b -> b.eventBus(bus)),
            host,
            port,
            allowedOrigins,
            maxFrameBytes,
            outboundBudgetBytes,
            maxRequestBytes,
            maxUploadBytes,
            maxConcurrentUploads > 0 ? maxConcurrentUploads : Math.max(1, workerThreads / 2),
            ui,
            uiClassLoader != null ? uiClassLoader : NatterServer.class.getClassLoader(),
            secureCookies,
            registry,
            workerThreads,
            passwordThreads,
            httpIdleTimeoutMs,
            firstRequestTimeoutMs,
            maxConnectionsPerUser,
            maxConnectionsPerAddress,
            maxConcurrentHandshakes > 0 ? maxConcurrentHandshakes : Math.max(1, workerThreads / 2),
            metricsToken));
  }

  /**
   * Builds the server and starts it: {@code build().start()}. If it cannot start, what it owns (its
   * engine and store) is closed before the exception comes out.
   *
   * @return the listening server
   * @throws java.io.UncheckedIOException if the port cannot be bound
   */
  public NatterServer start() {
    return build().start();
  }
}
