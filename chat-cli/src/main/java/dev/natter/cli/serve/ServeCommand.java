package dev.natter.cli.serve;

import dev.natter.cli.CliContext;
import dev.natter.cli.CliException;
import dev.natter.cli.DataDir;
import dev.natter.cli.ExitCodes;
import dev.natter.cli.NatterVersion;
import dev.natter.cli.StoreOption;
import dev.natter.cli.Verbosity;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code natter serve}: the server with the browser UI, on SQLite or, for several nodes, on
 * PostgreSQL and Redis.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Run the server: browser UI, HTTP API and WebSocket.",
      "%nThe browser UI, the HTTP API and the WebSocket share one port. The database is"
          + " <data-dir>/natter.db, created on the first start and migrated on every start.",
      "%nSeveral nodes share one PostgreSQL store (--store) and one Redis bus (--bus), behind a"
          + " reverse proxy; the operations guide in the docs has a three-node example.",
      "%nCtrl-C (SIGINT) or SIGTERM stops the server cleanly: clients are told that it is going"
          + " away (close code 1001) and reconnect later, then every acknowledged message is"
          + " flushed to disk."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  natter serve",
      "  natter serve --port 9000 --data-dir /srv/natter",
      "  natter serve --max-body-chars 4000 --send-rate 10/10s",
      "  natter serve --port 8081 --node-id n1 \\",
      "    --store postgresql://db:5432/natter?user=natter \\",
      "    --bus redis://127.0.0.1:6379",
      "  NATTER_HOST=0.0.0.0 \\",
      "    NATTER_ALLOWED_ORIGINS=https://chat.example.org \\",
      "    natter serve"
    })
public final class ServeCommand implements Callable<Integer> {
  private final CliContext context;
  private final CountDownLatch stop = new CountDownLatch(1);
  private volatile RunningServer running;

  @Spec CommandLine.Model.CommandSpec spec;
  @Mixin DataDir dataDir;
  @Mixin StoreOption store;
  @Mixin Verbosity verbosity;

  @Option(
      names = "--bus",
      paramLabel = "URL",
      description =
          "The URL of the Redis that carries events and presence between nodes (env"
              + " NATTER_BUS; needs --store; default: none, one node).")
  String bus;

  @Option(
      names = "--bus-prefix",
      paramLabel = "PREFIX",
      description =
          "Prefix of the bus's channel and keys; clusters sharing a Redis need different ones"
              + " (env NATTER_BUS_PREFIX; default natter:).")
  String busPrefix;

  @Option(
      names = "--node-id",
      paramLabel = "ID",
      description =
          "This node's name on the bus, unique in the cluster (env NATTER_NODE_ID; default: a"
              + " random one).")
  String nodeId;

  @Option(
      names = "--presence-ttl",
      paramLabel = "TIME",
      description =
          "How long the users of a node that died still count as online, like 5s or 900ms (env"
              + " NATTER_PRESENCE_TTL; default 5s).")
  String presenceTtl;

  @Option(
      names = "--port-file",
      paramLabel = "FILE",
      description =
          "Write the port to FILE once listening (digits and a newline; with --port 0, for"
              + " scripts and tests).")
  Path portFile;

  @Option(
      names = "--host",
      paramLabel = "ADDRESS",
      description =
          "Address to listen on (env NATTER_HOST; default 127.0.0.1, this machine only; 0.0.0.0"
              + " for every interface).")
  String host;

  @Option(
      names = {"-p", "--port"},
      paramLabel = "PORT",
      description = "Port (env NATTER_PORT; default 8080; 0 picks a free one).")
  Integer port;

  @Option(
      names = "--allowed-origins",
      paramLabel = "ORIGINS",
      description =
          "Comma-separated browser origins allowed to use the API and the WebSocket, each a"
              + " scheme, a host and an optional port (env NATTER_ALLOWED_ORIGINS; default: the"
              + " server's own, with the host 127.0.0.1 or localhost).")
  String allowedOrigins;

  @Option(
      names = "--max-body-chars",
      paramLabel = "N",
      description = "Longest message in characters (env NATTER_MAX_BODY_CHARS; default 16000).")
  Integer maxBodyChars;

  @Option(
      names = "--send-rate",
      paramLabel = "N/TIME",
      description =
          "Messages a user may send in a burst per time, like 20/10s (env NATTER_SEND_RATE;"
              + " default 20/10s).")
  String sendRate;

  @Option(
      names = "--read-rate",
      paramLabel = "N/TIME",
      description =
          "History, sync and search requests a user may make in a burst per time, like 60/10s"
              + " (env NATTER_READ_RATE; default 60/10s).")
  String readRate;

  @Option(
      names = "--max-upload-size",
      paramLabel = "SIZE",
      description =
          "Largest file a user may upload, like 25MB or 100MiB (env NATTER_MAX_UPLOAD_SIZE;"
              + " default 25MB).")
  String maxUploadSize;

  @Option(
      names = "--max-concurrent-uploads",
      paramLabel = "N",
      description =
          "Uploads received at once, each holding a worker thread; one more gets 429 (env"
              + " NATTER_MAX_CONCURRENT_UPLOADS; default half the worker threads).")
  String maxConcurrentUploads;

  @Option(names = "--no-ui", negatable = false, description = "Do not serve the browser UI.")
  boolean noUi;

  ServeCommand(CliContext context) {
    this.context = context;
  }

  /** The settings from options, environment variables and defaults. */
  ServerSettings settings() {
    int p;
    String portValue = port != null ? String.valueOf(port) : context.env("NATTER_PORT");
    try {
      p = portValue == null ? 8080 : Integer.parseInt(portValue.strip());
    } catch (NumberFormatException e) {
      throw CliException.usage("the port must be a number, not " + portValue);
    }
    if (p < 0 || p > 65535) {
      throw CliException.usage("the port must be between 0 and 65535, not " + p);
    }
    Integer maxBody = maxBodyChars;
    if (maxBody == null && context.env("NATTER_MAX_BODY_CHARS") != null) {
      try {
        maxBody = Integer.parseInt(context.env("NATTER_MAX_BODY_CHARS"));
      } catch (NumberFormatException e) {
        throw CliException.usage("NATTER_MAX_BODY_CHARS must be a number");
      }
    }
    if (maxBody != null && maxBody < 1) {
      throw CliException.usage("--max-body-chars must be at least 1");
    }
    String rate = context.setting(sendRate, "NATTER_SEND_RATE", null);
    Integer burst = null;
    Duration window = null;
    if (rate != null) {
      int[] r = ServerSettings.parseRate(rate);
      burst = r[0];
      window = Duration.ofMillis(r[1]);
    }
    String reads = context.setting(readRate, "NATTER_READ_RATE", null);
    Integer readBurst = null;
    Duration readWindow = null;
    if (reads != null) {
      int[] r = ServerSettings.parseRate(reads);
      readBurst = r[0];
      readWindow = Duration.ofMillis(r[1]);
    }
    String upload = context.setting(maxUploadSize, "NATTER_MAX_UPLOAD_SIZE", null);
    String uploads = context.setting(maxConcurrentUploads, "NATTER_MAX_CONCURRENT_UPLOADS", null);
    return new ServerSettings(
        context.setting(host, "NATTER_HOST", "127.0.0.1"),
        p,
        dataDir.path(context),
        ServerSettings.parseOrigins(
            context.setting(allowedOrigins, "NATTER_ALLOWED_ORIGINS", null)),
        maxBody,
        burst,
        window,
        readBurst,
        readWindow,
        !noUi,
        upload == null ? null : ServerSettings.parseSize(upload),
        uploads == null ? null : parseUploads(uploads));
  }

  private static int parseUploads(String value) {
    try {
      int n = Integer.parseInt(value.strip());
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // the usage error below
    }
    throw CliException.usage(
        "--max-concurrent-uploads (NATTER_MAX_CONCURRENT_UPLOADS) must be a whole number of at"
            + " least 1, not "
            + value);
  }

  /** The settings of the store and bus shared with other nodes. */
  ClusterSettings cluster() {
    String ttl = context.setting(presenceTtl, "NATTER_PRESENCE_TTL", null);
    return new ClusterSettings(
        store.url(context),
        blankToNull(context.setting(bus, "NATTER_BUS", null)),
        blankToNull(context.setting(busPrefix, "NATTER_BUS_PREFIX", null)),
        blankToNull(context.setting(nodeId, "NATTER_NODE_ID", null)),
        ttl == null ? null : parseDuration(ttl),
        portFile);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }

  /** A time like {@code 5s}, {@code 900ms} or {@code 1m}. */
  static Duration parseDuration(String value) {
    var m =
        java.util.regex.Pattern.compile("(\\d+)\\s*(ms|s|m)?")
            .matcher(value.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw CliException.usage("a time looks like 5s, 900ms or 1m, not " + value);
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    return switch (unit) {
      case "ms" -> Duration.ofMillis(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofSeconds(n);
    };
  }

  @Override
  public Integer call() throws Exception {
    ServerSettings settings = settings();
    ClusterSettings cluster = cluster();
    PrintWriter out = spec.commandLine().getOut();
    RunningServer server = RunningServer.start(settings, cluster, context.passwordHasher());
    running = server;
    Thread hook =
        new Thread(
            () -> {
              out.println(
                  "stopping: closing connections (clients reconnect later), flushing the database");
              out.flush();
              server.close();
              out.println("stopped");
              out.flush();
              stop.countDown();
            },
            "natter-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    long ms = System.currentTimeMillis() - jvmStartMillis();
    out.println("natter " + NatterVersion.version() + " serving " + server.uri() + "/");
    out.println(
        "  database "
            + (cluster.storeUrl() != null
                ? dev.natter.store.postgres.PostgresStoreOptions.of(cluster.storeUrl())
                    .redactedUrl()
                : settings.database()));
    if (server.bus() != null) {
      out.println(
          "  bus "
              + server.bus().options().redisUri().replaceAll("//[^@/]*@", "//***@")
              + " as node "
              + server.bus().options().nodeId());
    }
    out.println(
        "  browser UI "
            + (server.server().servesUi()
                ? "at " + server.uri() + "/"
                : "not served ("
                    + (settings.ui() ? "chat-web is not on the classpath" : "--no-ui")
                    + ")"));
    out.println("  allowed origins " + String.join(", ", server.server().allowedOrigins()));
    if (ms >= 0) {
      out.println("  started in " + ms + " ms; Ctrl-C stops");
    }
    out.println();
    String host = server.server().host();
    boolean wildcard = host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    String open =
        wildcard
            ? "http://127.0.0.1:" + server.port() + "/ (listening on every interface)"
            : server.uri() + "/";
    out.println("Open " + open + " in your browser.");
    out.flush();
    try {
      stop.await();
    } catch (InterruptedException e) {
      // stopped by the caller (tests)
    } finally {
      server.close();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is shutting down: the hook is running
      }
    }
    return ExitCodes.OK;
  }

  private static long jvmStartMillis() {
    try {
      return java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
    } catch (RuntimeException | LinkageError e) {
      return System.currentTimeMillis();
    }
  }

  /** The running server, once started (tests). */
  public RunningServer running() {
    return running;
  }

  /** Stops a server started by {@link #call()} (tests; in production Ctrl-C does). */
  public void stop() {
    stop.countDown();
  }
}
