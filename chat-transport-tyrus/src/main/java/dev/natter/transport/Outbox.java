package dev.natter.transport;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The frames of one connection that wait while an earlier write is still in Grizzly's queue: at
 * most one write per connection is in flight, and what arrives meanwhile leaves as one gathering
 * write (the frames concatenated into one buffer: one syscall for several frames) once that write
 * completes. A frame with a coalescing key (a user's presence, a user's typing in a room) replaces
 * a waiting frame with the same key, so a burst of changes costs a slow reader one frame per key,
 * not one per change. Bounded by the connection's byte budget, which counts these bytes.
 *
 * <p>Not thread-safe: {@link WsConnection} guards it with its lock. The deque and the key index are
 * made on first use, so an idle connection pays for neither.
 */
final class Outbox {
  /** The most bytes one gathering write carries; what is left waits for the next one. */
  static final int MAX_WRITE_BYTES = 64 * 1024;

  private ArrayDeque<Entry> frames;
  private Map<Object, Entry> byKey;
  private int waitingBytes;

  /** One waiting frame; {@code frame} becomes null when a newer frame with its key replaced it. */
  private static final class Entry {
    byte[] frame;
    final Object key;

    Entry(byte[] frame, Object key) {
      this.frame = frame;
      this.key = key;
    }
  }

  /**
   * Adds a frame after the others.
   *
   * @param key the coalescing key, or null: a waiting frame with the same key is dropped
   * @return the bytes of the frame it replaced (to give back to the budget), else 0
   */
  int add(byte[] frame, Object key) {
    if (frames == null) {
      frames = new ArrayDeque<>();
    }
    Entry entry = new Entry(frame, key);
    int replaced = 0;
    if (key != null) {
      if (byKey == null) {
        byKey = new HashMap<>();
      }
      Entry older = byKey.put(key, entry);
      if (older != null && older.frame != null) {
        replaced = older.frame.length;
        waitingBytes -= replaced;
        older.frame = null;
      }
    }
    frames.addLast(entry);
    waitingBytes += frame.length;
    return replaced;
  }

  boolean isEmpty() {
    return waitingBytes == 0;
  }

  /** Bytes waiting (replaced frames not counted). */
  int bytes() {
    return waitingBytes;
  }

  /**
   * Takes the waiting frames from the front, in order, as one array of at most {@link
   * #MAX_WRITE_BYTES} (or the first frame alone when it is larger).
   *
   * @return the frames' bytes, concatenated; null when nothing waits
   */
  byte[] take() {
    if (waitingBytes == 0) {
      return null;
    }
    Entry first = next();
    if (frames.isEmpty() || first.frame.length >= MAX_WRITE_BYTES) {
      return detach(first);
    }
    int total = 0;
    int count = 0;
    for (Entry e : frames) {
      if (e.frame == null) {
        continue;
      }
      if (total + e.frame.length > MAX_WRITE_BYTES && count > 0) {
        break;
      }
      total += e.frame.length;
      count++;
    }
    if (count == 1) {
      return detach(first);
    }
    byte[] batch = new byte[total];
    int at = 0;
    while (at < total) {
      Entry e = next();
      byte[] f = detach(e);
      System.arraycopy(f, 0, batch, at, f.length);
      at += f.length;
    }
    return batch;
  }

  /** Drops what waits. */
  void clear() {
    frames = null;
    byKey = null;
    waitingBytes = 0;
  }

  /** Skips replaced entries; the first live one stays at the head. */
  private Entry next() {
    Entry e = frames.peekFirst();
    while (e.frame == null) {
      frames.pollFirst();
      e = frames.peekFirst();
    }
    return e;
  }

  private byte[] detach(Entry e) {
    frames.pollFirst();
    if (e.key != null && byKey.get(e.key) == e) {
      byKey.remove(e.key);
    }
    byte[] f = e.frame;
    waitingBytes -= f.length;
    if (waitingBytes == 0) {
      frames = null; // an idle connection keeps no deque (nor replaced entries)
      byKey = null;
    }
    return f;
  }
}
