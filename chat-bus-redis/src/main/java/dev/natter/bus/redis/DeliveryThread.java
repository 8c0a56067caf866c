package dev.natter.bus.redis;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bus's one delivery thread: runs queued tasks in order (events from Redis, local events that
 * wait for a gap fill) and the head check, periodically and when asked (after a resubscribe, after
 * the queue overflowed). The queue is bounded; {@link #offer} never blocks, so Lettuce's event loop
 * never waits here. A task that does not fit is dropped and a head check is requested instead:
 * messages come back from the store; other events (typing, presence) are best effort.
 */
final class DeliveryThread implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryThread.class);
  private static final long POLL_MS = 50;

  private final BlockingQueue<Runnable> queue;
  private final Runnable headCheck;
  private final long periodNanos;
  private final AtomicBoolean checkRequested = new AtomicBoolean();
  private final AtomicBoolean overflowLogged = new AtomicBoolean();
  private final Thread thread;
  private volatile boolean running = true;

  DeliveryThread(String name, int capacity, long periodNanos, Runnable headCheck) {
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.periodNanos = periodNanos;
    this.headCheck = headCheck;
    this.thread = new Thread(this::run, name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Queues a task; false (and a head check requested) if the queue is full. */
  boolean offer(Runnable task) {
    if (queue.offer(task)) {
      return true;
    }
    if (overflowLogged.compareAndSet(false, true)) {
      LOG.warn("bus delivery queue full: events dropped, rooms refilled from the store");
    }
    requestHeadCheck();
    return false;
  }

  void requestHeadCheck() {
    checkRequested.set(true);
  }

  private void run() {
    long nextCheck = System.nanoTime() + periodNanos;
    while (running) {
      try {
        Runnable task = queue.poll(POLL_MS, TimeUnit.MILLISECONDS);
        if (task != null) {
          runSafely(task);
        }
        long now = System.nanoTime();
        if (checkRequested.getAndSet(false) || now - nextCheck >= 0) {
          overflowLogged.set(false);
          runSafely(headCheck);
          nextCheck = System.nanoTime() + periodNanos;
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private static void runSafely(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      LOG.warn("bus delivery task failed", e);
    }
  }

  /** Stops the thread; queued tasks are dropped. Waits up to 2 s for it to end. */
  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
