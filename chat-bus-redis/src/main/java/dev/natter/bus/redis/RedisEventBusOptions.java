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
 * @param presenceTtl how long the users of a node that stopped (killed, cut off) still count as
 *     online; its heartbeat refreshes its presence every third of it; at least 300 ms
 */
public record RedisEventBusOptions(
    String redisUri,
    String channelPrefix,
    String nodeId,
    Duration headCheckPeriod,
    Duration presenceTtl) {

  /** The channel prefix of {@link #of}. */
  public static final String DEFAULT_CHANNEL_PREFIX = "natter:";

  /** The head-check period of {@link #of}. */
  public static final Duration DEFAULT_HEAD_CHECK_PERIOD = Duration.ofSeconds(5);

  /** The presence TTL of {@link #of}. */
  public static final Duration DEFAULT_PRESENCE_TTL = Duration.ofSeconds(5);

  /**
   * Checks the options.
   *
   * @param redisUri the Redis server
   * @param channelPrefix the prefix of the pub/sub channel
   * @param nodeId this node's id
   * @param headCheckPeriod how often active rooms are compared with the store
   * @param presenceTtl how long a stopped node's users still count as online
   * @throws NullPointerException if any is null
   * @throws IllegalArgumentException if the URI or node id is blank, the period is not positive or
   *     the TTL is under 300 ms
   */
  public RedisEventBusOptions {
    Objects.requireNonNull(redisUri, "redisUri");
    Objects.requireNonNull(channelPrefix, "channelPrefix");
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(headCheckPeriod, "headCheckPeriod");
    Objects.requireNonNull(presenceTtl, "presenceTtl");
    if (redisUri.isBlank()) {
      throw new IllegalArgumentException("redisUri is blank");
    }
    if (nodeId.isBlank()) {
      throw new IllegalArgumentException("nodeId is blank");
    }
    if (headCheckPeriod.isNegative() || headCheckPeriod.isZero()) {
      throw new IllegalArgumentException("headCheckPeriod must be positive: " + headCheckPeriod);
    }
    if (presenceTtl.toMillis() < 300) {
      throw new IllegalArgumentException("presenceTtl must be at least 300 ms: " + presenceTtl);
    }
    if (nodeId.contains(":")) {
      throw new IllegalArgumentException("nodeId must not contain ':': " + nodeId);
    }
  }

  /**
   * The defaults for a Redis server: channel prefix {@value #DEFAULT_CHANNEL_PREFIX}, a random node
   * id, a head check every 5 s, a presence TTL of 5 s.
   *
   * @param redisUri the Redis server
   * @return the options
   */
  public static RedisEventBusOptions of(String redisUri) {
    return new RedisEventBusOptions(
        redisUri,
        DEFAULT_CHANNEL_PREFIX,
        UUID.randomUUID().toString().substring(0, 8),
        DEFAULT_HEAD_CHECK_PERIOD,
        DEFAULT_PRESENCE_TTL);
  }

  /**
   * These options with another channel prefix.
   *
   * @param prefix the channel prefix
   * @return new options
   */
  public RedisEventBusOptions withChannelPrefix(String prefix) {
    return new RedisEventBusOptions(redisUri, prefix, nodeId, headCheckPeriod, presenceTtl);
  }

  /**
   * These options with another node id.
   *
   * @param id the node id
   * @return new options
   */
  public RedisEventBusOptions withNodeId(String id) {
    return new RedisEventBusOptions(redisUri, channelPrefix, id, headCheckPeriod, presenceTtl);
  }

  /**
   * These options with another head-check period.
   *
   * @param period the period, positive
   * @return new options
   */
  public RedisEventBusOptions withHeadCheckPeriod(Duration period) {
    return new RedisEventBusOptions(redisUri, channelPrefix, nodeId, period, presenceTtl);
  }

  /**
   * These options with another presence TTL.
   *
   * @param ttl how long a stopped node's users still count as online, at least 300 ms
   * @return new options
   */
  public RedisEventBusOptions withPresenceTtl(Duration ttl) {
    return new RedisEventBusOptions(redisUri, channelPrefix, nodeId, headCheckPeriod, ttl);
  }

  /** The one pub/sub channel of the cluster. */
  String channel() {
    return channelPrefix + "events";
  }
}
