package dev.natter.bus.redis;

import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

/**
 * How a {@link RedisEventBus} reaches Redis and names itself.
 *
 * @param redisUri the Redis server, e.g. {@code redis://127.0.0.1:6379} or {@code
 *     rediss://:password@host:6380/0} (Lettuce's URI syntax)
 * @param channelPrefix the prefix of the pub/sub channel; nodes of one cluster share it, clusters
 *     that share a Redis use different ones
 * @param nodeId this node's id, unique in the cluster: a node drops the events it published itself
 *     when Redis echoes them back
 * @param headCheckPeriod how often each active room's newest seq is read from the store to fill a
 *     gap the bus did not reveal (the backstop); positive
 */
public record RedisEventBusOptions(
    String redisUri, String channelPrefix, String nodeId, Duration headCheckPeriod) {

  /** The channel prefix of {@link #of}. */
  public static final String DEFAULT_CHANNEL_PREFIX = "natter:";

  /** The head-check period of {@link #of}. */
  public static final Duration DEFAULT_HEAD_CHECK_PERIOD = Duration.ofSeconds(5);

  /**
   * Checks the options.
   *
   * @param redisUri the Redis server
   * @param channelPrefix the prefix of the pub/sub channel
   * @param nodeId this node's id
   * @param headCheckPeriod how often active rooms are compared with the store
   * @throws NullPointerException if any is null
   * @throws IllegalArgumentException if the URI or node id is blank or the period is not positive
   */
  public RedisEventBusOptions {
    Objects.requireNonNull(redisUri, "redisUri");
    Objects.requireNonNull(channelPrefix, "channelPrefix");
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(headCheckPeriod, "headCheckPeriod");
    if (redisUri.isBlank()) {
      throw new IllegalArgumentException("redisUri is blank");
    }
    if (nodeId.isBlank()) {
      throw new IllegalArgumentException("nodeId is blank");
    }
    if (headCheckPeriod.isNegative() || headCheckPeriod.isZero()) {
      throw new IllegalArgumentException("headCheckPeriod must be positive: " + headCheckPeriod);
    }
  }

  /**
   * The defaults for a Redis server: channel prefix {@value #DEFAULT_CHANNEL_PREFIX}, a random node
   * id, a head check every 5 s.
   *
   * @param redisUri the Redis server
   * @return the options
   */
  public static RedisEventBusOptions of(String redisUri) {
    return new RedisEventBusOptions(
        redisUri,
        DEFAULT_CHANNEL_PREFIX,
        UUID.randomUUID().toString().substring(0, 8),
        DEFAULT_HEAD_CHECK_PERIOD);
  }

  /**
   * These options with another channel prefix.
   *
   * @param prefix the channel prefix
   * @return new options
   */
  public RedisEventBusOptions withChannelPrefix(String prefix) {
    return new RedisEventBusOptions(redisUri, prefix, nodeId, headCheckPeriod);
  }

  /**
   * These options with another node id.
   *
   * @param id the node id
   * @return new options
   */
  public RedisEventBusOptions withNodeId(String id) {
    return new RedisEventBusOptions(redisUri, channelPrefix, id, headCheckPeriod);
  }

  /**
   * These options with another head-check period.
   *
   * @param period the period, positive
   * @return new options
   */
  public RedisEventBusOptions withHeadCheckPeriod(Duration period) {
    return new RedisEventBusOptions(redisUri, channelPrefix, nodeId, period);
  }

  /** The one pub/sub channel of the cluster. */
  String channel() {
    return channelPrefix + "events";
  }
}
