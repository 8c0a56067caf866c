package dev.natter.cli.serve;

import dev.natter.core.ChatEngine;
import dev.natter.core.Limits;
import dev.natter.core.spi.PasswordHasher;
import dev.natter.core.store.blob.FileSystemBlobStore;
import dev.natter.store.sqlite.SqliteChatStore;
import dev.natter.transport.NatterServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started Natter server: the SQLite store, the engine and the WebSocket/HTTP server. {@link
 * #close()} stops them in order: the server (every socket closed with 1001), the engine, then the
 * store (pending writes flushed).
 */
public final class RunningServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunningServer.class);

  private final SqliteChatStore store;
  private final ChatEngine engine;
  private final NatterServer server;
  private boolean closed;

  private RunningServer(SqliteChatStore store, ChatEngine engine, NatterServer server) {
    this.store = store;
    this.engine = engine;
    this.server = server;
  }

  /**
   * Opens the database (creating or migrating it), builds the engine and starts serving.
   *
   * @param hasher the password hasher, or null for the default (PBKDF2, 600,000 iterations)
   */
  /** Uploaded files live in {@code <data-dir>/files}, named by their SHA-256. */
  private static FileSystemBlobStore blobs(ServerSettings settings) {
    try {
      return FileSystemBlobStore.open(settings.files());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot open " + settings.files(), e);
    }
  }

  public static RunningServer start(ServerSettings settings, PasswordHasher hasher) {
    long t0 = System.nanoTime();
    warmUp();
    SqliteChatStore store = SqliteChatStore.open(settings.database());
    timing("store open", t0);
    ChatEngine engine = null;
    try {
      Limits limits = Limits.defaults();
      if (settings.maxBodyChars() != null) {
        limits = limits.withMaxBodyChars(settings.maxBodyChars());
      }
      if (settings.readBurst() != null) {
        limits = limits.withReadRate(settings.readBurst(), settings.readWindow());
      }
      if (settings.sendBurst() != null) {
        limits = limits.withSendRate(settings.sendBurst(), settings.sendWindow());
      }
      ChatEngine.Builder eb = ChatEngine.builder(store).limits(limits).blobStore(blobs(settings));
      if (hasher != null) {
        eb.passwordHasher(hasher);
      }
      engine = eb.build();
      timing("engine", t0);
      var sb =
          NatterServer.builder(engine)
              .host(settings.host())
              .port(settings.port())
              .ui(settings.ui())
              .meterRegistry(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)); // /metrics
      if (settings.maxUploadBytes() != null) {
        sb.maxUploadBytes(settings.maxUploadBytes());
      }
      if (!settings.allowedOrigins().isEmpty()) {
        sb.allowedOrigins(settings.allowedOrigins());
      } else if (settings.port() != 0) {
        // the documented default, whatever the listen address
        sb.allowedOrigins(
            java.util.List.of(
                "http://127.0.0.1:" + settings.port(), "http://localhost:" + settings.port()));
      } // port 0: the server's own origins once it has a port (the same two on loopback)
      NatterServer server = sb.build().start();
      StoreMetrics.bind(store, server.meterRegistry());
      timing("server started", t0);
      return new RunningServer(store, engine, server);
    } catch (RuntimeException e) {
      if (engine != null) {
        engine.close();
      }
      store.close();
      throw e;
    }
  }

  public URI uri() {
    return server.uri();
  }

  public int port() {
    return server.port();
  }

  public NatterServer server() {
    return server;
  }

  public ChatEngine engine() {
    return engine;
  }

  public SqliteChatStore store() {
    return store;
  }

  /** Closes the server (sockets get 1001), then the engine, then the store (flushed). */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      server.close();
    } finally {
      try {
        engine.close();
      } finally {
        store.close();
      }
    }
  }

  /**
   * Loads the classes the HTTP/WebSocket server needs on a second thread while the store opens on
   * this one (loading only: no class is initialized), which shortens start-up on a multi-core
   * machine. The list is a resource; names that no longer exist are skipped.
   */
  private static void warmUp() {
    if (Runtime.getRuntime().availableProcessors() < 2 || Boolean.getBoolean("natter.nowarmup")) {
      return;
    }
    Thread t =
        new Thread(
            () -> {
              ClassLoader loader = RunningServer.class.getClassLoader();
              try (java.io.InputStream in =
                  RunningServer.class.getResourceAsStream("warmup-classes.txt")) {
                if (in == null) {
                  return;
                }
                java.io.BufferedReader r =
                    new java.io.BufferedReader(
                        new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8));
                for (String name = r.readLine(); name != null; name = r.readLine()) {
                  try {
                    Class.forName(name.strip(), false, loader);
                  } catch (ClassNotFoundException | LinkageError e) {
                    // gone or not loadable alone: it will load when needed
                  }
                }
              } catch (java.io.IOException e) {
                // only an optimisation
              }
            },
            "natter-warmup");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
  }

  private static void timing(String what, long t0) {
    LOG.debug("start-up: {} after {} ms", what, (System.nanoTime() - t0) / 1_000_000);
  }
}
