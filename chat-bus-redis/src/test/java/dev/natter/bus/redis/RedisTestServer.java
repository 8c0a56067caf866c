package dev.natter.bus.redis;

import dev.natter.core.testing.ExternalService;
import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The Redis a test class runs against, found through the environment variable {@value
 * #URL_VARIABLE} (default {@value #DEFAULT_URL}). Register it as a static field with
 * {@code @RegisterExtension}; {@link #newChannelPrefix()} keeps each test's channel apart from
 * other tests (and other runs) on the same Redis.
 *
 * <p>When Redis cannot be reached, the class is skipped with one line that says how to start it;
 * with {@code CI=true} it fails instead (a CI run must not pass by testing nothing).
 */
final class RedisTestServer extends ExternalService implements BeforeAllCallback {
  static final String URL_VARIABLE = "NATTER_TEST_REDIS_URL";
  static final String DEFAULT_URL = "redis://127.0.0.1:6379";

  /** The URI of the test Redis. */
  static String url() {
    return env(URL_VARIABLE, DEFAULT_URL);
  }

  @Override
  protected String name() {
    return "Redis";
  }

  @Override
  protected String where() {
    RedisURI uri = RedisURI.create(url());
    return uri.getHost() + ":" + uri.getPort();
  }

  @Override
  protected String urlVariable() {
    return URL_VARIABLE;
  }

  @Override
  protected String howToStart() {
    return "`service redis-server start`";
  }

  @Override
  protected void probe() {
    withCommands(
        redis -> {
          if (!"PONG".equals(redis.ping())) {
            throw new IllegalStateException("PING did not answer PONG");
          }
        });
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    requireReachable(context);
  }

  /** A channel prefix no other test uses. */
  String newChannelPrefix() {
    return "natter-test:" + UUID.randomUUID().toString().substring(0, 8) + ":";
  }

  /** {@code CLIENT KILL TYPE pubsub}: drops every subscriber connection (Lettuce reconnects). */
  long killPubSubConnections() {
    long[] killed = new long[1];
    withCommands(redis -> killed[0] = redis.clientKill(KillArgs.Builder.typePubsub()));
    return killed[0];
  }

  /** Deletes the keys a test's nodes left under its prefix (presence sets and markers). */
  void deleteKeys(String prefix) {
    withCommands(
        redis -> {
          java.util.List<String> keys = redis.keys(prefix + "*");
          if (!keys.isEmpty()) {
            redis.del(keys.toArray(String[]::new));
          }
        });
  }

  private static void withCommands(Consumer<RedisCommands<String, String>> work) {
    RedisURI uri = RedisURI.create(url());
    uri.setTimeout(Duration.ofSeconds(3));
    RedisClient client = RedisClient.create(uri);
    try (StatefulRedisConnection<String, String> connection = client.connect()) {
      work.accept(connection.sync());
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }
}
