package dev.natter.bus.redis;

import dev.natter.core.model.Message;
import dev.natter.core.spi.EventBus.Envelope;
import dev.natter.core.spi.MessageStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands envelopes to this node's subscriber: {@code message} events per room in seq order, once,
 * with gaps filled from the store; every other event as it comes. The local path ({@link #local})
 * never reads the store: what needs a fill is deferred to the delivery thread, which owns {@link
 * #fromBus}, {@link #fillFromStore} and {@link #headCheck}.
 */
final class OrderedDelivery {
  private static final Logger LOG = LoggerFactory.getLogger(OrderedDelivery.class);

  /** Messages read per store query while filling a gap. */
  static final int FILL_PAGE = 200;

  /** The largest gap filled live; beyond it clients catch up through resume. */
  static final int MAX_FILL = 10_000;

  /** How long a sender copy may lag its room part before it is sent from the room part. */
  static final long COPY_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final MessageStore store;
  private final ActiveRooms rooms;
  private final LongSupplier nanoTime;
  private volatile Consumer<Envelope> subscriber = e -> {};

  OrderedDelivery(MessageStore store, int maxRooms, long activeWindowNanos, LongSupplier nanoTime) {
    this.store = store;
    this.nanoTime = nanoTime;
    this.rooms = new ActiveRooms(this::toSubscriber, maxRooms, activeWindowNanos);
  }

  void subscribe(Consumer<Envelope> subscriber) {
    this.subscriber = subscriber;
  }

  /**
   * Delivers an envelope published on this node, on the publisher's thread.
   *
   * @return false if it must wait for a gap to be filled: the caller defers it to {@link #fromBus}
   */
  boolean local(Envelope envelope) {
    Optional<MessagePart> part = MessagePart.of(envelope);
    if (part.isEmpty()) {
      toSubscriber(envelope);
      return true;
    }
    long now = nanoTime.getAsLong();
    RoomSequence room = rooms.of(part.get().message().room(), now);
    return room.offer(part.get(), envelope, false, now) != RoomSequence.Outcome.GAP;
  }

  /** Delivers an envelope from another node (or one deferred here), on the delivery thread. */
  void fromBus(Envelope envelope) {
    Optional<MessagePart> part = MessagePart.of(envelope);
    if (part.isEmpty()) {
      toSubscriber(envelope);
      return;
    }
    long now = nanoTime.getAsLong();
    RoomSequence room = rooms.of(part.get().message().room(), now);
    if (room.offer(part.get(), envelope, false, now) == RoomSequence.Outcome.GAP) {
      try {
        fillFromStore(room, part.get().seq() - 1);
      } catch (RuntimeException e) {
        LOG.warn(
            "room {}: filling up to seq {} from the store failed; the head check retries: {}",
            room.roomId(),
            part.get().seq(),
            e.toString());
        return; // this message is in the store too: the head check delivers it after the gap
      }
      room.offer(part.get(), envelope, true, nanoTime.getAsLong());
    }
  }

  /**
   * Compares every active room with the store's newest seq and fills what is missing; delivers
   * sender copies that never came. On the delivery thread.
   */
  void headCheck() {
    long now = nanoTime.getAsLong();
    for (RoomSequence room : rooms.active(now)) {
      try {
        long head = store.lastSeq(room.roomId());
        if (head > room.delivered()) {
          fillFromStore(room, head);
        }
        room.deliverStaleCopies(nanoTime.getAsLong(), COPY_GRACE_NANOS);
      } catch (RuntimeException e) {
        LOG.warn(
            "head check of room {} failed; next check retries: {}", room.roomId(), e.toString());
      }
    }
  }

  int activeRooms() {
    return rooms.size();
  }

  /** Delivers the store's messages after the room's last delivered seq, up to {@code toSeq}. */
  private void fillFromStore(RoomSequence room, long toSeq) {
    long from = room.delivered();
    if (toSeq - from > MAX_FILL) {
      LOG.warn(
          "room {}: gap of {} messages is too large to fill live; clients catch up by resume",
          room.roomId(),
          toSeq - from);
      room.skipTo(toSeq - MAX_FILL);
      from = room.delivered();
    }
    while (from < toSeq) {
      List<Message> page =
          store.messagesAfter(room.roomId(), from, (int) Math.min(FILL_PAGE, toSeq - from));
      if (page.isEmpty()) {
        return; // the store has nothing more (yet): deliver what we have
      }
      room.fill(page, nanoTime.getAsLong());
      from = Math.max(room.delivered(), page.get(page.size() - 1).seq());
    }
  }

  private void toSubscriber(Envelope envelope) {
    try {
      subscriber.accept(envelope);
    } catch (RuntimeException e) {
      LOG.warn(
          "the subscriber failed on a {} event", envelope.event().getClass().getSimpleName(), e);
    }
  }
}
