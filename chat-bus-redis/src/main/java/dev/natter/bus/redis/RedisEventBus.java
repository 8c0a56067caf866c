package dev.natter.bus.redis;

import dev.natter.codec.JsonCodec;
import dev.natter.core.spi.EventBus;
import dev.natter.core.spi.MessageStore;
import dev.natter.core.spi.PresenceDirectory;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link EventBus} between the nodes of a cluster over Redis pub/sub (Lettuce). The bus is the
 * fast path; the store is the truth.
 *
 * <ul>
 *   <li>{@link #publish} delivers to this node's subscriber at once, on the caller's thread (this
 *       node never waits for Redis), then publishes the envelope to Redis without waiting.
 *   <li>Other nodes drop their own echoes and deliver {@code message} events per room in seq order,
 *       once: a seq already delivered is dropped; a jump in seq (a lost publish, a node that died
 *       between its commit and its publish) is first filled from the {@link MessageStore}. Other
 *       events (typing, presence, read markers, rooms, edits) are delivered as they come, best
 *       effort.
 *   <li>After Redis comes back (Lettuce reconnects and resubscribes), and every {@link
 *       RedisEventBusOptions#headCheckPeriod()}, each room active in the last five minutes is
 *       compared with the store's newest seq and what is missing is delivered.
 * </ul>
 *
 * <p>Threading: events from Redis and gap fills are delivered on one thread per bus ({@code
 * natter-bus-<node>}), fed by a bounded queue; a local {@code message} event that must wait for a
 * gap fill is handed to that thread too. The subscriber is never called concurrently for one room's
 * messages.
 *
 * <pre>{@code
 * try (RedisEventBus bus =
 *         new RedisEventBus(RedisEventBusOptions.of("redis://127.0.0.1:6379"), store);
 *     ChatEngine engine = ChatEngine.builder(store).eventBus(bus).build()) {
 *   ...
 * }
 * }</pre>
 */
public final class RedisEventBus implements EventBus {
  private static final Logger LOG = LoggerFactory.getLogger(RedisEventBus.class);

  /** Events from Redis waiting for the delivery thread. */
  static final int QUEUE_CAPACITY = 10_000;

  /** Rooms followed for order and head checks at once. */
  static final int MAX_ACTIVE_ROOMS = 10_000;

  /** A room without messages for this long is no longer head-checked. */
  static final long ACTIVE_WINDOW_NANOS = TimeUnit.MINUTES.toNanos(5);

  private final RedisEventBusOptions options;
  private final BusWireFormat wire = new BusWireFormat(JsonCodec.shared());
  private final OrderedDelivery delivery;
  private final DeliveryThread thread;
  private final RedisLink link;
  private final RedisPresence presence;
  private final AtomicInteger publishesToDrop = new AtomicInteger();
  private volatile boolean closed;

  /**
   * Connects to Redis, subscribes to the cluster's channel and starts the delivery thread.
   *
   * @param options where Redis is and who this node is
   * @param store where gaps are filled from: the store every node of the cluster appends to
   * @throws dev.natter.core.ChatException with code {@code internal} if Redis cannot be reached
   */
  public RedisEventBus(RedisEventBusOptions options, MessageStore store) {
    this.options = Objects.requireNonNull(options, "options");
    this.delivery =
        new OrderedDelivery(
            Objects.requireNonNull(store, "store"),
            MAX_ACTIVE_ROOMS,
            ACTIVE_WINDOW_NANOS,
            System::nanoTime);
    this.thread =
        new DeliveryThread(
            "natter-bus-" + options.nodeId(),
            QUEUE_CAPACITY,
            options.headCheckPeriod().toNanos(),
            delivery::headCheck);
    RedisLink l = null;
    try {
      l =
          new RedisLink(
              options.redisUri(), options.channel(), this::received, thread::requestHeadCheck);
      this.presence =
          new RedisPresence(
              options.redisUri(), options.channelPrefix(), options.nodeId(), options.presenceTtl());
    } catch (RuntimeException e) {
      if (l != null) {
        l.close();
      }
      thread.close();
      throw e;
    }
    this.link = l;
  }

  /**
   * Who is online on any node of the cluster, kept in Redis beside the channel: a user counts while
   * a live node holds a connection of theirs, and a node that stops its heartbeat (killed, cut off)
   * stops counting after {@link RedisEventBusOptions#presenceTtl()}; the next node to notice tells
   * its users' contacts. The engine uses it by default. Closed with the bus.
   *
   * @return the cluster's presence directory
   */
  @Override
  public Optional<PresenceDirectory> presence() {
    return Optional.of(presence);
  }

  /**
   * The options this bus was opened with.
   *
   * @return the options
   */
  public RedisEventBusOptions options() {
    return options;
  }

  /**
   * Delivers the envelope to this node's subscriber on the calling thread (a {@code message} event
   * that must wait for a gap to be filled from the store goes to the delivery thread instead), then
   * publishes it to the other nodes without waiting for Redis. Safe from any thread, including a
   * store's commit callback. After {@link #close} it does nothing.
   *
   * @param envelope the event and who gets it
   */
  @Override
  public void publish(Envelope envelope) {
    Objects.requireNonNull(envelope, "envelope");
    if (closed) {
      return;
    }
    if (!delivery.local(envelope)) {
      thread.offer(() -> delivery.fromBus(envelope));
    }
    if (publishesToDrop.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
      return; // a test's lost publish
    }
    link.publish(wire.encode(options.nodeId(), envelope));
  }

  /**
   * Sets this node's one subscriber (the engine does, when it is built). It is called on the
   * publisher's thread for local events and on the bus's delivery thread for the others.
   *
   * @param subscriber gets every envelope meant for this node; must not block
   */
  @Override
  public void subscribe(Consumer<Envelope> subscriber) {
    delivery.subscribe(Objects.requireNonNull(subscriber, "subscriber"));
  }

  /** Unsubscribes, closes the Redis connections and stops the delivery thread. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    presence.close();
    link.close();
    thread.close();
  }

  /** A message from the channel, on Lettuce's event loop: decoded later, never here. */
  private void received(String text) {
    thread.offer(() -> deliverFromBus(text));
  }

  private void deliverFromBus(String text) {
    BusWireFormat.Published published;
    try {
      published = wire.decode(text);
    } catch (IllegalArgumentException e) {
      LOG.warn("dropped an unreadable bus message: {}", e.getMessage());
      return;
    }
    if (!published.node().equals(options.nodeId())) {
      delivery.fromBus(published.envelope());
    }
  }

  // ---- for tests

  /** The next {@code count} publishes are delivered here but never reach Redis (a lost publish). */
  void dropNextPublishes(int count) {
    publishesToDrop.addAndGet(count);
  }

  /** This node's presence directory. */
  RedisPresence redisPresence() {
    return presence;
  }

  /** Rooms followed now. */
  int activeRooms() {
    return delivery.activeRooms();
  }
}
