package dev.natter.bus.redis;

import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
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
final class RedisTestServer implements ExecutionCondition, BeforeAllCallback {
  static final String URL_VARIABLE = "NATTER_TEST_REDIS_URL";
  static final String DEFAULT_URL = "redis://127.0.0.1:6379";

  /** Why Redis cannot be reached, "" if it can; checked once per JVM. */
  private static String unreachable;

  /** The URI of the test Redis. */
  static String url() {
    String url = System.getenv(URL_VARIABLE);
    return url == null || url.isBlank() ? DEFAULT_URL : url;
  }

  private static boolean inCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  private static synchronized String unreachable() {
    if (unreachable == null) {
      try {
        withCommands(
            redis -> {
              if (!"PONG".equals(redis.ping())) {
                throw new IllegalStateException("PING did not answer PONG");
              }
            });
        unreachable = "";
      } catch (RuntimeException e) {
        unreachable = e.getMessage() == null ? e.toString() : e.getMessage();
      }
    }
    return unreachable;
  }

  /** One line: where Redis was looked for, why it failed, what happens, how to start it. */
  private static String unreachableLine(ExtensionContext context, String outcome) {
    RedisURI uri = RedisURI.create(url());
    return "Redis is not reachable at "
        + uri.getHost()
        + ":"
        + uri.getPort()
        + " ("
        + unreachable().lines().findFirst().orElse("")
        + "), so "
        + context.getRequiredTestClass().getSimpleName()
        + " "
        + outcome
        + ": start it with `service redis-server start` (or .ci/services.sh), or point "
        + URL_VARIABLE
        + " at one";
  }

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    if (unreachable().isEmpty() || inCi()) {
      return ConditionEvaluationResult.enabled("Redis is reachable (or CI: fail if not)");
    }
    boolean topLevelClass =
        context.getTestMethod().isEmpty()
            && context.getRequiredTestClass().getEnclosingClass() == null;
    String line = unreachableLine(context, "is skipped");
    if (topLevelClass) {
      System.err.println(line);
    }
    return ConditionEvaluationResult.disabled(line);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (!unreachable().isEmpty()) {
      throw new IllegalStateException(unreachableLine(context, "fails (CI=true)"));
    }
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
