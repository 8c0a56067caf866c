package dev.natter.core;

import dev.natter.core.protocol.CloseCode;
import dev.natter.core.protocol.ServerEvent;
import dev.natter.core.spi.Connection;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@link Connection} of an in-process {@link UserListener}: {@link #send} queues (it must not
 * block, since the engine may call it on the store's committing thread), and one task at a time on
 * a shared executor hands the queue to the listener in order. Over {@code maxQueued} events behind,
 * {@code send} says no and the engine closes it as a slow consumer.
 */
final class ListenerConnection implements Connection {
  private static final System.Logger LOG = System.getLogger(ListenerConnection.class.getName());
  private static final AtomicInteger IDS = new AtomicInteger();

  private final String id = "listener-" + IDS.incrementAndGet();
  private final UserListener listener;
  private final Executor executor;
  private final int maxQueued;
  private final Queue<Object> queue = new ConcurrentLinkedQueue<>(); // events, then a Closed
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicBoolean draining = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();

  private record Closed(CloseCode code) {}

  ListenerConnection(UserListener listener, Executor executor, int maxQueued) {
    this.listener = listener;
    this.executor = executor;
    this.maxQueued = maxQueued;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public boolean send(ServerEvent event) {
    if (closed.get()) {
      return true;
    }
    if (queued.incrementAndGet() > maxQueued) {
      queued.decrementAndGet();
      return false;
    }
    queue.add(event);
    schedule();
    return true;
  }

  @Override
  public void close(CloseCode code) {
    if (closed.compareAndSet(false, true)) {
      queue.add(new Closed(code));
      schedule();
    }
  }

  private void schedule() {
    if (draining.compareAndSet(false, true)) {
      try {
        executor.execute(this::drain);
      } catch (RejectedExecutionException e) {
        draining.set(false); // the engine has stopped: nobody is left to deliver to
      }
    }
  }

  private void drain() {
    do {
      for (Object next = queue.poll(); next != null; next = queue.poll()) {
        if (next instanceof Closed c) {
          call(() -> listener.onClosed(c.code()));
        } else {
          queued.decrementAndGet();
          ServerEvent event = (ServerEvent) next;
          call(() -> listener.onEvent(event));
        }
      }
      draining.set(false);
    } while (!queue.isEmpty() && draining.compareAndSet(false, true));
  }

  private void call(Runnable callback) {
    try {
      callback.run();
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "a listener failed on " + id, e);
    }
  }
}
