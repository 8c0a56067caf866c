package dev.natter.cluster;

import dev.natter.core.testing.ExternalService;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The services a cluster test needs, each skipped with one line outside CI when missing and failing
 * in CI: PostgreSQL ({@code NATTER_TEST_PG_URL}), Redis ({@code NATTER_TEST_REDIS_URL}) and the
 * nginx executable ({@code NATTER_TEST_NGINX}, default {@code nginx} on the PATH or {@code
 * /usr/sbin/nginx}).
 */
final class Services {
  private Services() {}

  static String pgUrl() {
    return env("NATTER_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=root");
  }

  static String redisUrl() {
    return env("NATTER_TEST_REDIS_URL", "redis://127.0.0.1:6379");
  }

  private static String env(String variable, String fallback) {
    String value = System.getenv(variable);
    return value == null || value.isBlank() ? fallback : value;
  }

  /** The nginx executable, or null when there is none. */
  static Path nginx() {
    String explicit = System.getenv("NATTER_TEST_NGINX");
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit);
    }
    for (String dir :
        (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/local/sbin").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "nginx"))) {
        return Path.of(dir, "nginx");
      }
    }
    return null;
  }

  /** PostgreSQL with the right to create databases. */
  static final class Postgres extends ExternalService implements BeforeAllCallback {
    @Override
    protected String name() {
      return "PostgreSQL";
    }

    @Override
    protected String where() {
      return pgUrl().replaceAll("password=[^&]*", "password=***");
    }

    @Override
    protected String urlVariable() {
      return "NATTER_TEST_PG_URL";
    }

    @Override
    protected String howToStart() {
      return "`pg_ctlcluster 15 main start`";
    }

    @Override
    protected void probe() throws Exception {
      try (Connection c = DriverManager.getConnection(pgUrl() + "&connectTimeout=3")) {
        if (!c.isValid(3)) {
          throw new IllegalStateException("the connection is not valid");
        }
      }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
      requireReachable(context);
    }
  }

  /** Redis. */
  static final class Redis extends ExternalService implements BeforeAllCallback {
    @Override
    protected String name() {
      return "Redis";
    }

    @Override
    protected String where() {
      RedisURI uri = RedisURI.create(redisUrl());
      return uri.getHost() + ":" + uri.getPort();
    }

    @Override
    protected String urlVariable() {
      return "NATTER_TEST_REDIS_URL";
    }

    @Override
    protected String howToStart() {
      return "`service redis-server start`";
    }

    @Override
    protected void probe() {
      RedisURI uri = RedisURI.create(redisUrl());
      uri.setTimeout(Duration.ofSeconds(3));
      RedisClient client = RedisClient.create(uri);
      try (StatefulRedisConnection<String, String> c = client.connect()) {
        if (!"PONG".equals(c.sync().ping())) {
          throw new IllegalStateException("PING did not answer PONG");
        }
      } finally {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
      requireReachable(context);
    }
  }

  /** The nginx executable (the tests start their own nginx, never the system's). */
  static final class Nginx extends ExternalService implements BeforeAllCallback {
    @Override
    protected String name() {
      return "nginx";
    }

    @Override
    protected String where() {
      Path nginx = nginx();
      return nginx == null ? "the PATH and /usr/sbin" : nginx.toString();
    }

    @Override
    protected String urlVariable() {
      return "NATTER_TEST_NGINX";
    }

    @Override
    protected String howToStart() {
      return "`apt-get install -y nginx` (the tests start their own; no service is needed)";
    }

    @Override
    protected void probe() throws Exception {
      Path nginx = nginx();
      if (nginx == null) {
        throw new IllegalStateException("no nginx executable");
      }
      Process p = new ProcessBuilder(nginx.toString(), "-v").redirectErrorStream(true).start();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException(nginx + " -v failed");
      }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
      requireReachable(context);
    }
  }
}
