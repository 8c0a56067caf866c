package dev.natter.bus.redis;

import dev.natter.core.model.Message;
import dev.natter.core.spi.EventBus.Envelope;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * One room's delivery order on this node: which seq was delivered last, and the sender copies still
 * expected for messages whose room part was delivered. Every method holds the room's lock while it
 * delivers, so the subscriber sees each room's messages in seq order, once, whichever thread (a
 * local publisher, the bus's delivery thread) delivers them. Never reads the store: a gap is
 * reported ({@link Outcome#GAP}) and filled by the caller ({@link #fill}).
 */
final class RoomSequence {
  /** Sender copies remembered per room; older ones are delivered from the room part's message. */
  static final int MAX_PENDING_COPIES = 256;

  private static final long UNKNOWN = -1;

  enum Outcome {
    DELIVERED,
    DROPPED,
    GAP
  }

  private record PendingCopy(Message message, long sinceNanos) {}

  private final String roomId;
  private final Consumer<Envelope> out;
  private final TreeMap<Long, PendingCopy> pendingCopies = new TreeMap<>();
  private long delivered = UNKNOWN;
  private volatile long lastActiveNanos;

  RoomSequence(String roomId, Consumer<Envelope> out, long nowNanos) {
    this.roomId = roomId;
    this.out = out;
    this.lastActiveNanos = nowNanos;
  }

  String roomId() {
    return roomId;
  }

  long lastActiveNanos() {
    return lastActiveNanos;
  }

  /** The last seq delivered here, -1 before the first message. */
  synchronized long delivered() {
    return delivered;
  }

  /**
   * Delivers a part if it is next, drops it if it was delivered, or reports a gap.
   *
   * @param jumpGap deliver even across a gap (the caller filled what the store had)
   */
  synchronized Outcome offer(MessagePart part, Envelope envelope, boolean jumpGap, long nowNanos) {
    lastActiveNanos = nowNanos;
    long seq = part.seq();
    if (delivered == UNKNOWN) {
      delivered = seq - 1; // the first message seen here: clients resume what came before
    }
    if (part.kind() == MessagePart.Kind.SENDER_COPY && pendingCopies.remove(seq) != null) {
      deliverCopiesBelow(seq);
      out.accept(envelope);
      return Outcome.DELIVERED;
    }
    if (seq <= delivered) {
      return Outcome.DROPPED;
    }
    if (seq > delivered + 1 && !jumpGap) {
      return Outcome.GAP;
    }
    deliverCopiesBelow(seq);
    if (part.kind() == MessagePart.Kind.ROOM) {
      out.accept(envelope);
      if (part.senderCopyFollows()) {
        pendingCopies.put(seq, new PendingCopy(part.message(), nowNanos));
        trimPendingCopies();
      }
    } else { // the room part was lost: its members get it from the sender's copy's message
      out.accept(MessagePart.roomPart(part.message()));
      out.accept(envelope);
    }
    delivered = seq;
    return Outcome.DELIVERED;
  }

  /**
   * Delivers messages read from the store that come next (both parts of each); the ones already
   * delivered are skipped.
   */
  synchronized void fill(List<Message> page, long nowNanos) {
    lastActiveNanos = nowNanos;
    for (Message message : page) {
      if (message.seq() <= delivered) {
        continue;
      }
      deliverCopiesBelow(message.seq());
      out.accept(MessagePart.roomPart(message));
      out.accept(MessagePart.senderCopy(message));
      delivered = message.seq();
    }
  }

  /** Skips ahead to {@code seq} without delivering (a gap too large to fill live). */
  synchronized void skipTo(long seq) {
    if (seq > delivered) {
      deliverCopiesBelow(seq + 1);
      delivered = seq;
    }
  }

  /** Delivers the sender copies that did not come within {@code graceNanos} of their room part. */
  synchronized void deliverStaleCopies(long nowNanos, long graceNanos) {
    Iterator<PendingCopy> it = pendingCopies.values().iterator();
    while (it.hasNext()) {
      PendingCopy copy = it.next();
      if (nowNanos - copy.sinceNanos() >= graceNanos) {
        it.remove();
        out.accept(MessagePart.senderCopy(copy.message()));
      }
    }
  }

  /**
   * Before anything of {@code seq} is delivered, the sender copies of earlier seqs go out (late
   * ones arriving afterwards are dropped), so the sender's other connections keep seq order too.
   */
  private void deliverCopiesBelow(long seq) {
    while (!pendingCopies.isEmpty() && pendingCopies.firstKey() < seq) {
      Map.Entry<Long, PendingCopy> first = pendingCopies.pollFirstEntry();
      out.accept(MessagePart.senderCopy(first.getValue().message()));
    }
  }

  private void trimPendingCopies() {
    while (pendingCopies.size() > MAX_PENDING_COPIES) {
      out.accept(MessagePart.senderCopy(pendingCopies.pollFirstEntry().getValue().message()));
    }
  }
}
