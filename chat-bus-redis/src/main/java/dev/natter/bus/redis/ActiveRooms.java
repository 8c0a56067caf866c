package dev.natter.bus.redis;

import dev.natter.core.spi.EventBus.Envelope;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The rooms whose messages this node delivered recently, each with its {@link RoomSequence}:
 * bounded in number, and forgotten when quiet for longer than the active window (a room seen again
 * starts a new order at its next seq; its clients resume what came before).
 */
final class ActiveRooms {
  private final Map<String, RoomSequence> rooms = new ConcurrentHashMap<>();
  private final Consumer<Envelope> out;
  private final int maxRooms;
  private final long windowNanos;

  ActiveRooms(Consumer<Envelope> out, int maxRooms, long windowNanos) {
    this.out = out;
    this.maxRooms = maxRooms;
    this.windowNanos = windowNanos;
  }

  RoomSequence of(String roomId, long nowNanos) {
    RoomSequence room = rooms.computeIfAbsent(roomId, id -> new RoomSequence(id, out, nowNanos));
    if (rooms.size() > maxRooms) {
      evictOldest();
    }
    return room;
  }

  /** The rooms active within the window; the others are forgotten. */
  List<RoomSequence> active(long nowNanos) {
    rooms.values().removeIf(r -> nowNanos - r.lastActiveNanos() > windowNanos);
    return List.copyOf(rooms.values());
  }

  int size() {
    return rooms.size();
  }

  private void evictOldest() {
    rooms.values().stream()
        .min(Comparator.comparingLong(RoomSequence::lastActiveNanos))
        .ifPresent(oldest -> rooms.remove(oldest.roomId(), oldest));
  }
}
