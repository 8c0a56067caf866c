package dev.natter.bus.redis;

import dev.natter.core.ChatException;
import dev.natter.core.protocol.ErrorCode;
import dev.natter.core.spi.PresenceDirectory;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Presence across the nodes of a cluster, in Redis. Each node process (an <em>instance</em>: the
 * node id and a random suffix, new at every start) keeps a key {@code <prefix>presence:node:<inst>}
 * alive with a TTL that a heartbeat refreshes. A user's set {@code <prefix>presence:user:<id>}
 * holds the instances that have a connection of theirs; the user is online while one of those
 * instances' keys exists. So a node that dies stops counting when its key expires, whoever cleans
 * up after it.
 *
 * <p>Cleaning up is still done, to tell contacts: every heartbeat, each node looks for instances
 * whose key expired; the one that removes such an instance from {@code <prefix>presence:nodes}
 * (atomically: one node does) takes that instance's users out of their sets and hands them to the
 * engine, which claims and tells the change. {@code <prefix>presence:told:<id>} exists while the
 * user's contacts were last told "online"; {@link #claimChange} compares and sets it in one script,
 * so a change is told by one node only.
 *
 * <p>While Redis cannot be reached, answers come from this node's own connections and no change is
 * claimed; once it answers again, this node registers its users again and asks the engine to claim
 * every user whose connections changed meanwhile.
 */
final class RedisPresence implements PresenceDirectory {
  private static final Logger LOG = LoggerFactory.getLogger(RedisPresence.class);

  /** Whether one of the instances in a user's set (KEYS[i]) is alive: a list of 0/1. */
  private static final String LIVE =
      """
      local out = {}
      for i, key in ipairs(KEYS) do
        local live = 0
        for _, inst in ipairs(redis.call('SMEMBERS', key)) do
          if redis.call('EXISTS', ARGV[1] .. inst) == 1 then live = 1 break end
        end
        out[i] = live
      end
      return out
      """;

  /** Compares the user's liveness with the told key and sets it: 1 online, 0 offline, -1 same. */
  private static final String CLAIM =
      """
      local live = 0
      for _, inst in ipairs(redis.call('SMEMBERS', KEYS[1])) do
        if redis.call('EXISTS', ARGV[1] .. inst) == 1 then live = 1 break end
      end
      if live == 1 then
        if redis.call('SET', KEYS[2], '1', 'NX') then return 1 end
        return -1
      end
      if redis.call('DEL', KEYS[2]) == 1 then return 0 end
      return -1
      """;

  /** Refreshes this instance's key: 1 if it was alive, 0 if it had expired (set again). */
  private static final String HEARTBEAT =
      """
      if redis.call('SET', KEYS[1], '1', 'PX', ARGV[1], 'XX') then return 1 end
      redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
      redis.call('SADD', KEYS[2], ARGV[2])
      return 0
      """;

  /** Takes the instances whose key expired out of the node set and returns them. */
  private static final String SWEEP =
      """
      local dead = {}
      for _, inst in ipairs(redis.call('SMEMBERS', KEYS[1])) do
        if inst ~= ARGV[2] and redis.call('EXISTS', ARGV[1] .. inst) == 0 then
          redis.call('SREM', KEYS[1], inst)
          table.insert(dead, inst)
        end
      end
      return dead
      """;

  /** Takes a (dead) instance out of its users' sets; returns those users. */
  private static final String EVICT =
      """
      local users = redis.call('SMEMBERS', KEYS[1])
      for _, user in ipairs(users) do
        redis.call('SREM', ARGV[1] .. user, ARGV[2])
      end
      redis.call('DEL', KEYS[1])
      return users
      """;

  private final String prefix;
  private final String instance;
  private final Duration ttl;
  private final ClientResources resources;
  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;
  private final RedisCommands<String, String> redis;
  private final ScheduledExecutorService beat;

  /** This node's users (those with a connection here). */
  private final Set<String> here = ConcurrentHashMap.newKeySet();

  /** Users whose connections here changed while Redis could not be told. */
  private final Set<String> unsynced = ConcurrentHashMap.newKeySet();

  private volatile Consumer<String> listener = id -> {};
  private volatile boolean failing;
  private volatile boolean closed;
  private volatile boolean halted;

  /**
   * Connects and starts the heartbeat.
   *
   * @param redisUri the Redis server
   * @param prefix the cluster's key prefix (the bus's channel prefix)
   * @param nodeId this node's id
   * @param ttl how long a node that stopped its heartbeat still counts
   * @throws ChatException if Redis cannot be reached
   */
  RedisPresence(String redisUri, String prefix, String nodeId, Duration ttl) {
    this.prefix = prefix + "presence:";
    this.instance = nodeId + ":" + UUID.randomUUID().toString().substring(0, 8);
    this.ttl = ttl;
    RedisURI uri = RedisURI.create(redisUri);
    this.resources =
        ClientResources.builder().ioThreadPoolSize(1).computationThreadPoolSize(1).build();
    this.client = RedisClient.create(resources, uri);
    Duration timeout = Duration.ofMillis(Math.max(200, Math.min(2000, ttl.toMillis() / 3)));
    client.setOptions(
        ClientOptions.builder()
            .autoReconnect(true)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .timeoutOptions(TimeoutOptions.enabled(timeout))
            .build());
    StatefulRedisConnection<String, String> c = null;
    try {
      c = client.connect();
      c.setTimeout(timeout);
      this.connection = c;
      this.redis = c.sync();
      heartbeat();
    } catch (RuntimeException e) {
      if (c != null) {
        c.close();
      }
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      resources.shutdown(0, 2, TimeUnit.SECONDS);
      throw new ChatException(
          ErrorCode.INTERNAL,
          "cannot reach Redis at " + uri.getHost() + ":" + uri.getPort() + ": " + e,
          e);
    }
    this.beat =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "natter-presence-" + nodeId);
              t.setDaemon(true);
              return t;
            });
    long period = Math.max(50, ttl.toMillis() / 3);
    beat.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.MILLISECONDS);
  }

  /** This process's instance id (the node id and a suffix new at every start). */
  String instance() {
    return instance;
  }

  @Override
  public void connected(String userId) {
    here.add(userId);
    if (halted || closed) {
      return;
    }
    try {
      redis.sadd(userKey(userId), instance);
      redis.sadd(nodeUsersKey(instance), userId);
    } catch (RuntimeException e) {
      unsynced.add(userId);
      failed(e);
    }
  }

  @Override
  public void disconnected(String userId) {
    here.remove(userId);
    if (halted || closed) {
      return;
    }
    try {
      redis.srem(userKey(userId), instance);
      redis.srem(nodeUsersKey(instance), userId);
    } catch (RuntimeException e) {
      unsynced.add(userId);
      failed(e);
    }
  }

  @Override
  public boolean isOnline(String userId) {
    return onlineAmong(List.of(userId)).contains(userId);
  }

  @Override
  public Set<String> onlineAmong(Collection<String> userIds) {
    List<String> ids = new ArrayList<>(userIds);
    Set<String> online = new HashSet<>();
    if (ids.isEmpty()) {
      return online;
    }
    if (closed) {
      ids.stream().filter(here::contains).forEach(online::add);
      return online;
    }
    try {
      String[] keys = ids.stream().map(this::userKey).toArray(String[]::new);
      List<Long> live = redis.eval(LIVE, ScriptOutputType.MULTI, keys, nodeKey(""));
      for (int i = 0; i < ids.size(); i++) {
        if (live.get(i) == 1L) {
          online.add(ids.get(i));
        }
      }
    } catch (RuntimeException e) {
      failed(e);
      for (String id : ids) { // what this node knows
        if (here.contains(id)) {
          online.add(id);
        }
      }
    }
    return online;
  }

  @Override
  public Optional<Boolean> claimChange(String userId) {
    if (closed) {
      return Optional.empty(); // this node is stopping: the others tell, once its key is gone
    }
    try {
      Long told =
          redis.eval(
              CLAIM,
              ScriptOutputType.INTEGER,
              new String[] {userKey(userId), toldKey(userId)},
              nodeKey(""));
      return told == -1L ? Optional.empty() : Optional.of(told == 1L);
    } catch (RuntimeException e) {
      unsynced.add(userId); // claimed again once Redis answers
      failed(e);
      return Optional.empty();
    }
  }

  @Override
  public void onChange(Consumer<String> listener) {
    this.listener = listener;
  }

  /**
   * Stops the heartbeat and deletes this instance's key: other nodes stop counting it at once and
   * the next of them to sweep tells its users' contacts.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    beat.shutdownNow();
    if (halted) {
      shutdown();
      return;
    }
    try {
      beat.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      redis.del(nodeKey(instance));
    } catch (RuntimeException e) {
      LOG.debug("could not delete the presence key on close (it expires): {}", e.toString());
    }
    shutdown();
  }

  /** Tests: stops the heartbeat and every write to Redis, as if this node's process died. */
  void haltAsIfKilled() {
    halted = true;
    beat.shutdownNow();
  }

  // ---- heartbeat and sweep

  private void tick() {
    try {
      boolean wasAlive = heartbeat();
      if (!wasAlive || failing) {
        resync(!wasAlive);
      }
      sweep();
      if (failing) {
        failing = false;
        LOG.info("Redis answers again: presence is shared across nodes again");
      }
    } catch (RuntimeException e) {
      failed(e);
    }
  }

  /** Refreshes this instance's key; false if it had expired (other nodes stopped counting it). */
  private boolean heartbeat() {
    Long alive =
        redis.eval(
            HEARTBEAT,
            ScriptOutputType.INTEGER,
            new String[] {nodeKey(instance), nodesKey()},
            String.valueOf(ttl.toMillis()),
            instance);
    return alive == 1L;
  }

  /**
   * Registers this node's users again (after Redis was unreachable, or this instance expired) and
   * asks the engine to claim the users whose status may have changed meanwhile.
   */
  private void resync(boolean expired) {
    Set<String> changed = new HashSet<>(unsynced);
    unsynced.removeAll(changed);
    Set<String> registered = redis.smembers(nodeUsersKey(instance));
    for (String userId : registered) {
      if (!here.contains(userId)) {
        redis.srem(userKey(userId), instance);
        redis.srem(nodeUsersKey(instance), userId);
        changed.add(userId);
      }
    }
    for (String userId : here) {
      redis.sadd(userKey(userId), instance);
      redis.sadd(nodeUsersKey(instance), userId);
      if (expired || !registered.contains(userId)) {
        changed.add(userId);
      }
    }
    changed.forEach(listener);
  }

  /** Evicts the instances whose key expired (the one node that takes each) and tells the engine. */
  private void sweep() {
    List<String> dead =
        redis.eval(SWEEP, ScriptOutputType.MULTI, new String[] {nodesKey()}, nodeKey(""), instance);
    for (String inst : dead) {
      List<String> users =
          redis.eval(
              EVICT, ScriptOutputType.MULTI, new String[] {nodeUsersKey(inst)}, userKey(""), inst);
      LOG.info("node {} stopped counting: {} users to check", inst, users.size());
      users.forEach(listener);
    }
  }

  private void failed(RuntimeException e) {
    if (!failing) {
      failing = true;
      LOG.warn(
          "Redis does not answer: presence counts this node's connections only ({})", e.toString());
    }
  }

  private void shutdown() {
    connection.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }

  // ---- keys

  private String nodeKey(String inst) {
    return prefix + "node:" + inst;
  }

  private String nodesKey() {
    return prefix + "nodes";
  }

  private String nodeUsersKey(String inst) {
    return prefix + "node-users:" + inst;
  }

  private String userKey(String userId) {
    return prefix + "user:" + userId;
  }

  private String toldKey(String userId) {
    return prefix + "told:" + userId;
  }
}
