package dev.natter.core.spi;

import dev.natter.core.protocol.ServerEvent;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Carries events meant for a room's members between the nodes of a cluster. The default is
 * in-process: what is published is delivered to this node's subscriber. A cross-node bus (Redis,
 * NATS) delivers to every node's subscriber; it is only the fast path, since the store stays the
 * source of truth and a client that missed an event gets it through {@code sync}.
 */
public interface EventBus extends AutoCloseable {

  /**
   * An event for the members of a room (or for one user's connections when {@code userId} set).
   *
   * @param roomId the room whose members receive it, or null when {@code userId} is set
   * @param userId the one user whose connections receive it, or null
   * @param event the event
   * @param excludeUserId a member left out (the sender of a message), or null
   */
  record Envelope(String roomId, String userId, ServerEvent event, String excludeUserId) {}

  /**
   * Sends an envelope to every node's subscriber, this node's included.
   *
   * @param envelope what to deliver and to whom
   */
  void publish(Envelope envelope);

  /**
   * Sets the one subscriber of this node.
   *
   * @param subscriber receives every envelope published on any node
   */
  void subscribe(Consumer<Envelope> subscriber);

  /**
   * Whether other nodes publish on this bus too. The engine then trusts no state that another node
   * may change (memberships are read from the store on every check instead of from this node's
   * cache). The default says yes, the safe answer; only a bus for one process says no.
   *
   * @return false only for a bus that never leaves this process
   */
  default boolean spansNodes() {
    return true;
  }

  /**
   * The directory of who is online on the nodes this bus connects, when the bus keeps one. The
   * engine uses it unless it was given another ({@code ChatEngine.Builder.presence}).
   *
   * @return the bus's presence directory; empty (the default) for this node's connections only
   */
  default Optional<PresenceDirectory> presence() {
    return Optional.empty();
  }

  @Override
  default void close() {}

  /**
   * Delivers synchronously to this process's subscriber.
   *
   * @return a bus for a single node
   */
  static EventBus inProcess() {
    return new EventBus() {
      private volatile Consumer<Envelope> subscriber = e -> {};

      @Override
      public void publish(Envelope envelope) {
        subscriber.accept(envelope);
      }

      @Override
      public boolean spansNodes() {
        return false;
      }

      @Override
      public void subscribe(Consumer<Envelope> s) {
        this.subscriber = s;
      }
    };
  }
}
