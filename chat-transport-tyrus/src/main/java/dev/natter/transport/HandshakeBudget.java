package dev.natter.transport;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many connections may be opening at once: accepted but not yet through their first request, or
 * (for a WebSocket) not yet attached to the engine. The work of a handshake (the token lookup, the
 * upgrade, the connect snapshot for {@code ready}, the presence change) runs on the I/O workers
 * that also carry every open socket's frames, in the order the connections arrived. In a storm,
 * hundreds arrive within milliseconds: counting from the accept (the selector thread, at once) sees
 * them before any of their work has queued, so an upgrade that finds more than the budget opening
 * is refused at once and cheaply (HTTP 503 with {@code Retry-After}, before the token is even
 * looked up). Ordinary clients, one handshake after another or a few at a time, never meet it.
 */
final class HandshakeBudget {
  private final AtomicInteger opening = new AtomicInteger();
  private final int max;

  /**
   * @param max connections opening at once, at least 1
   */
  HandshakeBudget(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("the handshake budget must be at least 1");
    }
    this.max = max;
  }

  /** A connection was accepted: it counts until its permit is released. */
  Permit opened() {
    opening.incrementAndGet();
    return new Permit();
  }

  /** Whether more connections are opening than the budget allows (the caller's own included). */
  boolean overBudget() {
    return opening.get() > max;
  }

  /** One opening connection's place in the count; releasing it more than once does nothing. */
  final class Permit {
    private final AtomicBoolean released = new AtomicBoolean();

    void release() {
      if (released.compareAndSet(false, true)) {
        opening.decrementAndGet();
      }
    }
  }
}
