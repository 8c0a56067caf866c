package dev.natter.bus.redis;

import dev.natter.core.ChatException;
import dev.natter.core.protocol.ErrorCode;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two Lettuce connections of a bus: one that publishes (asynchronously: a publish never waits
 * for Redis, and while Redis is away up to {@link #QUEUED_WHILE_DISCONNECTED} publishes wait for
 * the reconnect) and one subscribed to the channel, which Lettuce reconnects and resubscribes by
 * itself. Its callbacks run on Lettuce's event loop and only hand the text on.
 */
final class RedisLink implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RedisLink.class);

  /** Publishes queued while the connection is down; beyond it they fail (the store fills). */
  static final int QUEUED_WHILE_DISCONNECTED = 10_000;

  private final ClientResources resources;
  private final RedisClient client;
  private final String channel;
  private final StatefulRedisConnection<String, String> publisher;
  private final StatefulRedisPubSubConnection<String, String> subscriber;
  private final AtomicBoolean publishFailing = new AtomicBoolean();

  /**
   * Connects and subscribes.
   *
   * @param onMessage gets each message of the channel, on Lettuce's event loop: must not block
   * @param onSubscribed told each time the channel is (re)subscribed, on Lettuce's event loop
   * @throws ChatException if Redis cannot be reached
   */
  RedisLink(String uri, String channel, Consumer<String> onMessage, Runnable onSubscribed) {
    this.channel = channel;
    RedisURI redisUri = RedisURI.create(uri);
    this.resources =
        ClientResources.builder()
            .ioThreadPoolSize(2)
            .computationThreadPoolSize(2)
            .reconnectDelay(
                Delay.exponential(
                    Duration.ofMillis(20), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
            .build();
    this.client = RedisClient.create(resources, redisUri);
    client.setOptions(
        ClientOptions.builder()
            .autoReconnect(true)
            .requestQueueSize(QUEUED_WHILE_DISCONNECTED)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
            .build());
    StatefulRedisConnection<String, String> pub = null;
    try {
      pub = client.connect();
      StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub();
      sub.addListener(
          new RedisPubSubAdapter<>() {
            @Override
            public void message(String from, String message) {
              onMessage.accept(message);
            }

            @Override
            public void subscribed(String to, long count) {
              onSubscribed.run();
            }
          });
      sub.sync().subscribe(channel);
      this.publisher = pub;
      this.subscriber = sub;
    } catch (RuntimeException e) {
      if (pub != null) {
        pub.close();
      }
      shutdown();
      throw new ChatException(
          ErrorCode.INTERNAL,
          "cannot reach Redis at " + redisUri.getHost() + ":" + redisUri.getPort() + ": " + e,
          e);
    }
  }

  /** Publishes without waiting; a failure is logged (once until publishing works again). */
  void publish(String message) {
    try {
      publisher
          .async()
          .publish(channel, message)
          .whenComplete(
              (receivers, error) -> {
                if (error == null) {
                  if (publishFailing.compareAndSet(true, false)) {
                    LOG.info("publishing to Redis works again");
                  }
                } else if (publishFailing.compareAndSet(false, true)) {
                  LOG.warn(
                      "publishing to Redis failed (other nodes fill from the store): {}",
                      error.toString());
                }
              });
    } catch (RuntimeException e) { // a full request queue may throw rather than fail the future
      if (publishFailing.compareAndSet(false, true)) {
        LOG.warn("publishing to Redis failed (other nodes fill from the store): {}", e.toString());
      }
    }
  }

  @Override
  public void close() {
    subscriber.close();
    publisher.close();
    shutdown();
  }

  private void shutdown() {
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }
}
