package dev.natter.core.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Deliveries that a thread makes in one go, so that each connection writes once for all of them.
 *
 * <p>A store that settles several committed writes together (a group commit, or several batches
 * waiting for a busy completer) runs their callbacks inside {@link #run}: the events they send to
 * one connection are then written as one gathering write at the end, one system call for several
 * frames, instead of one write per event. That is where a busy server gains: the further fan-out
 * falls behind, the more events each write carries. A transport takes part by asking {@link
 * #current} in {@link Connection#send} and, when there is a batch, queueing the frame and
 * registering its flush once with {@link #atEnd}.
 *
 * <p>Confined to the thread that runs it; batches do not nest (an inner {@link #run} joins the
 * outer batch).
 */
public final class DeliveryBatch {
  private static final ThreadLocal<DeliveryBatch> CURRENT = new ThreadLocal<>();

  private final List<Runnable> atEnd = new ArrayList<>();

  private DeliveryBatch() {}

  /**
   * Runs deliveries as one batch: the flushes they register run after them, in the order they were
   * registered, even when the deliveries throw.
   *
   * @param deliveries what sends the events
   */
  public static void run(Runnable deliveries) {
    Objects.requireNonNull(deliveries, "deliveries");
    if (CURRENT.get() != null) {
      deliveries.run();
      return;
    }
    DeliveryBatch batch = new DeliveryBatch();
    CURRENT.set(batch);
    try {
      deliveries.run();
    } finally {
      CURRENT.remove();
      batch.flush();
    }
  }

  /**
   * The batch this thread is running, if any.
   *
   * @return the batch, or null when sends should be written at once
   */
  public static DeliveryBatch current() {
    return CURRENT.get();
  }

  /**
   * Registers what writes a connection's queued frames once the batch is over. A connection
   * registers once per batch, when it queues its first frame.
   *
   * @param flush writes what the connection queued; must not throw
   */
  public void atEnd(Runnable flush) {
    atEnd.add(Objects.requireNonNull(flush, "flush"));
  }

  private void flush() {
    RuntimeException first = null;
    for (Runnable flush : atEnd) {
      try {
        flush.run();
      } catch (RuntimeException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
