package dev.natter.cli.serve;

import dev.natter.bus.redis.RedisEventBus;
import dev.natter.bus.redis.RedisEventBusOptions;
import dev.natter.cli.CliException;
import dev.natter.cli.StoreOption;
import dev.natter.core.ChatEngine;
import dev.natter.core.ChatException;
import dev.natter.core.Limits;
import dev.natter.core.spi.BlobStore;
import dev.natter.core.spi.ChatStore;
import dev.natter.core.spi.PasswordHasher;
import dev.natter.core.store.blob.FileSystemBlobStore;
import dev.natter.store.postgres.PostgresChatStore;
import dev.natter.store.sqlite.SqliteChatStore;
import dev.natter.transport.NatterServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started Natter server: the store (SQLite, or PostgreSQL shared with other nodes), the bus (in
 * process, or Redis between nodes), the engine and the WebSocket/HTTP server. {@link #close()}
 * stops them in order: the server (every socket closed with 1001), the engine, the bus, then the
 * store (pending writes flushed).
 */
public final class RunningServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunningServer.class);

  private final ChatStore store;
  private final RedisEventBus bus;
  private final ChatEngine engine;
  private final NatterServer server;
  private boolean closed;

  private RunningServer(
      ChatStore store, RedisEventBus bus, ChatEngine engine, NatterServer server) {
    this.store = store;
    this.bus = bus;
    this.engine = engine;
    this.server = server;
  }

  /**
   * Opens the database (creating or migrating it), builds the engine and starts serving.
   *
   * @param hasher the password hasher, or null for the default (PBKDF2, 600,000 iterations)
   */
  public static RunningServer start(ServerSettings settings, PasswordHasher hasher) {
    return start(settings, ClusterSettings.none(), hasher);
  }

  /**
   * Opens the store (SQLite in the data directory, or PostgreSQL), connects the bus (when one is
   * given), builds the engine and starts serving; then writes the port file, if asked.
   *
   * @param hasher the password hasher, or null for the default (PBKDF2, 600,000 iterations)
   */
  public static RunningServer start(
      ServerSettings settings, ClusterSettings cluster, PasswordHasher hasher) {
    if (cluster.busUrl() != null && cluster.storeUrl() == null) {
      throw CliException.usage(
          "--bus needs a store every node shares: give --store postgresql://... too");
    }
    long t0 = System.nanoTime();
    warmUp();
    ChatStore store =
        cluster.storeUrl() != null
            ? StoreOption.openPostgres(cluster.storeUrl())
            : SqliteChatStore.open(settings.database());
    timing("store open", t0);
    RedisEventBus bus = null;
    ChatEngine engine = null;
    try {
      if (cluster.busUrl() != null) {
        bus = openBus(cluster, store);
      }
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
      ChatEngine.Builder eb =
          ChatEngine.builder(store).limits(limits).blobStore(blobs(settings, store));
      if (bus != null) {
        eb.eventBus(bus); // and its presence directory
      }
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
      if (settings.maxConcurrentUploads() != null) {
        sb.maxConcurrentUploads(settings.maxConcurrentUploads());
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
      if (store instanceof SqliteChatStore sqlite) {
        StoreMetrics.bind(sqlite, server.meterRegistry());
      }
      timing("server started", t0);
      RunningServer running = new RunningServer(store, bus, engine, server);
      if (cluster.portFile() != null) {
        try {
          writePortFile(cluster.portFile(), server.port());
        } catch (RuntimeException e) {
          running.close();
          throw e;
        }
      }
      return running;
    } catch (RuntimeException e) {
      if (engine != null) {
        engine.close();
      }
      if (bus != null) {
        bus.close();
      }
      store.close();
      throw e;
    }
  }

  /**
   * Where uploaded files live: in PostgreSQL when the store is there (every node reaches it),
   * otherwise in {@code <data-dir>/files}, named by their SHA-256.
   */
  private static BlobStore blobs(ServerSettings settings, ChatStore store) {
    if (store instanceof PostgresChatStore postgres) {
      return postgres.blobStore();
    }
    try {
      return FileSystemBlobStore.open(settings.files());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot open " + settings.files(), e);
    }
  }

  private static RedisEventBus openBus(ClusterSettings cluster, ChatStore store) {
    RedisEventBusOptions options;
    try {
      options = RedisEventBusOptions.of(cluster.busUrl());
      if (cluster.nodeId() != null) {
        options = options.withNodeId(cluster.nodeId());
      }
      if (cluster.busPrefix() != null) {
        options = options.withChannelPrefix(cluster.busPrefix());
      }
      if (cluster.presenceTtl() != null) {
        options = options.withPresenceTtl(cluster.presenceTtl());
      }
    } catch (IllegalArgumentException e) {
      throw CliException.usage("--bus: " + e.getMessage());
    }
    try {
      return new RedisEventBus(options, store);
    } catch (ChatException e) {
      throw CliException.failure("cannot connect the bus: " + e.getMessage(), e);
    }
  }

  /**
   * Writes the port (digits and a newline) to a file beside the target, then renames it: a reader
   * that sees the file sees the whole port.
   */
  private static void writePortFile(Path file, int port) {
    Path target = file.toAbsolutePath();
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    try {
      Files.writeString(tmp, port + "\n", StandardCharsets.US_ASCII);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the port file " + target + ": " + e, e);
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

  public ChatStore store() {
    return store;
  }

  /** The Redis bus between the nodes, or null for one node (in process). */
  public RedisEventBus bus() {
    return bus;
  }

  /** Closes the server (sockets get 1001), then the engine, the bus, then the store (flushed). */
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
        try {
          if (bus != null) {
            bus.close();
          }
        } finally {
          store.close();
        }
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
