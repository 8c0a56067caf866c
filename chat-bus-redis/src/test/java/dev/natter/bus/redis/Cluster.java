package dev.natter.bus.redis;

import dev.natter.core.ChatEngine;
import dev.natter.core.Limits;
import dev.natter.core.model.User;
import dev.natter.core.security.Pbkdf2PasswordHasher;
import dev.natter.core.store.memory.InMemoryChatStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Several nodes on one Redis channel: each a {@link RedisEventBus} and a real {@link ChatEngine},
 * all on one shared in-memory store (shared as PostgreSQL would be).
 */
final class Cluster implements AutoCloseable {
  /** One node: its bus and its engine. */
  record Node(RedisEventBus bus, ChatEngine engine) {}

  final InMemoryChatStore store = new InMemoryChatStore();
  private final List<Node> nodes = new ArrayList<>();
  private final RedisTestServer redis;
  private final String prefix;

  Cluster(RedisTestServer redis, int size, Duration headCheckPeriod) {
    this(redis, size, headCheckPeriod, RedisEventBusOptions.DEFAULT_PRESENCE_TTL, Duration.ZERO);
  }

  /**
   * @param presenceTtl how long a halted node's users still count
   * @param presenceDebounce the engines' presence debounce window
   */
  Cluster(
      RedisTestServer redis,
      int size,
      Duration headCheckPeriod,
      Duration presenceTtl,
      Duration presenceDebounce) {
    this.redis = redis;
    this.prefix = redis.newChannelPrefix();
    try {
      for (int i = 0; i < size; i++) {
        RedisEventBus bus =
            new RedisEventBus(
                RedisEventBusOptions.of(RedisTestServer.url())
                    .withChannelPrefix(prefix)
                    .withNodeId("node" + i)
                    .withHeadCheckPeriod(headCheckPeriod)
                    .withPresenceTtl(presenceTtl),
                store);
        ChatEngine engine =
            ChatEngine.builder(store)
                .eventBus(bus)
                .passwordHasher(new Pbkdf2PasswordHasher(1000))
                .limits(
                    Limits.defaults().toBuilder()
                        .sendRate(100_000, Duration.ofSeconds(1))
                        .presenceDebounce(presenceDebounce)
                        .build())
                .build();
        nodes.add(new Node(bus, engine));
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  Node node(int i) {
    return nodes.get(i);
  }

  ChatEngine engine(int i) {
    return nodes.get(i).engine();
  }

  /** A new user (the store is shared: every node knows them). */
  User user(String username) {
    return engine(0).createUser(username, "correct horse battery", username);
  }

  @Override
  public void close() {
    for (Node node : nodes) {
      node.engine().close();
      node.bus().close();
    }
    store.close();
    redis.deleteKeys(prefix);
  }
}
