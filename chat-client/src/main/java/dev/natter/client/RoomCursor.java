package dev.natter.client;

import dev.natter.core.protocol.ServerEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One room's delivery position: the highest seq handed to the application, and the messages that
 * arrived ahead of a gap, held until the gap is filled. Guarantees each seq is delivered at most
 * once and in order. Used on the client's event thread only.
 */
final class RoomCursor {
  private long delivered;
  private final TreeMap<Long, ServerEvent.MessageEvent> ahead = new TreeMap<>();

  /** The request id of a {@code sync} in flight for this room, or null. */
  String syncId;

  /** The request id of a {@code history} page in flight to fill the gap, or null. */
  String pagingId;

  /** The {@code before} of that page. */
  long pagingBefore;

  /** How many messages to ask for per page (lowered to the server's limit when it is lower). */
  int pageSize = 100;

  RoomCursor(long delivered) {
    this.delivered = Math.max(0, delivered);
  }

  long delivered() {
    return delivered;
  }

  /**
   * Takes a message; returns the messages now deliverable, in seq order (empty if it was a
   * duplicate or is waiting for a gap to be filled).
   */
  List<ServerEvent.MessageEvent> offer(ServerEvent.MessageEvent event) {
    long seq = event.message().seq();
    if (seq > delivered) {
      ahead.putIfAbsent(seq, event);
    }
    return drain();
  }

  /** Whether messages are waiting for missing ones before them. */
  boolean hasGap() {
    return !ahead.isEmpty();
  }

  /** The lowest seq held ahead of the gap; only when {@link #hasGap()}. */
  long firstAhead() {
    return ahead.firstKey();
  }

  /**
   * Gives up on the messages up to {@code seq} (the server has none of them): delivers what is held
   * after them.
   */
  List<ServerEvent.MessageEvent> skipTo(long seq) {
    delivered = Math.max(delivered, seq);
    return drain();
  }

  /**
   * Applies an update to a message that has not been delivered yet; returns false when the message
   * was already delivered (the application should see the update).
   */
  boolean absorbUpdate(ServerEvent.MessageUpdated update) {
    if (update.seq() <= delivered) {
      return false;
    }
    ServerEvent.MessageEvent held = ahead.get(update.seq());
    if (held != null && held.message().messageId().equals(update.messageId())) {
      var m = held.message();
      ahead.put(
          update.seq(),
          new ServerEvent.MessageEvent(
              new dev.natter.core.model.Message(
                  m.room(),
                  m.seq(),
                  m.messageId(),
                  m.sender(),
                  update.body(),
                  m.ts(),
                  m.replyTo(),
                  update.editedAt(),
                  update.deleted(),
                  update.reactions()),
              held.clientMsgId()));
    }
    // Not held: it will arrive through sync or history, which read the store after the update.
    return true;
  }

  private List<ServerEvent.MessageEvent> drain() {
    List<ServerEvent.MessageEvent> out = List.of();
    while (!ahead.isEmpty() && ahead.firstKey() <= delivered + 1) {
      Map.Entry<Long, ServerEvent.MessageEvent> first = ahead.pollFirstEntry();
      if (first.getKey() == delivered + 1) {
        if (out.isEmpty()) {
          out = new ArrayList<>();
        }
        out.add(first.getValue());
        delivered = first.getKey();
      }
    }
    return out;
  }
}
