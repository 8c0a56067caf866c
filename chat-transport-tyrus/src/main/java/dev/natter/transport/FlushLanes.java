package dev.natter.transport;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Threads that write the connections' waiting frames, so that the socket writes of a fan-out (one
 * per recipient: most of its cost) spread over the machine's cores instead of running on the thread
 * that delivers the event, which for a message is the store's one completer thread. The delivering
 * thread only queues each frame in its connection's {@link Outbox} and hands the connection to its
 * lane; a lane that falls behind writes several frames of a connection in one go.
 *
 * <p>One lane per core beyond the first, at most {@link #MAX_LANES}; none on a single core, where a
 * hand-over would only add a thread switch, and connections then write on the delivering thread.
 * Each connection keeps its lane; its frames keep their order because they are queued under its
 * lock, in the order the engine sends them, and at most one write of it is in flight. The threads
 * start with the first hand-over and stop with {@link #close()}.
 */
final class FlushLanes implements AutoCloseable {
  static final int MAX_LANES = 4;

  private final Lane[] lanes;
  private final AtomicInteger next = new AtomicInteger();
  private volatile boolean closed;

  /**
   * @param count lanes; 0 writes on the delivering thread
   */
  FlushLanes(int count) {
    lanes = new Lane[Math.max(0, count)];
    for (int i = 0; i < lanes.length; i++) {
      lanes[i] = new Lane("natter-flush-" + i);
    }
  }

  /**
   * Lanes for this machine: one per available core beyond the first, at most {@link #MAX_LANES}.
   */
  static FlushLanes forThisMachine() {
    return new FlushLanes(Math.min(MAX_LANES, Runtime.getRuntime().availableProcessors() - 1));
  }

  /** The lane of a new connection (round robin), or null when connections write themselves. */
  Lane assign() {
    return lanes.length == 0 ? null : lanes[Math.floorMod(next.getAndIncrement(), lanes.length)];
  }

  int count() {
    return lanes.length;
  }

  @Override
  public void close() {
    closed = true;
    for (Lane lane : lanes) {
      lane.stop();
    }
  }

  /** One thread and the connections that have frames waiting for it. */
  final class Lane implements Runnable {
    private final String name;
    private final ConcurrentLinkedQueue<WsConnection> ready = new ConcurrentLinkedQueue<>();
    private volatile Thread thread;
    private volatile boolean parked;

    Lane(String name) {
      this.name = name;
    }

    /** Hands over a connection whose frames wait (it is not in the queue already). */
    void schedule(WsConnection c) {
      ready.offer(c);
      Thread t = thread;
      if (t == null) {
        t = start();
      }
      if (parked) {
        LockSupport.unpark(t);
      }
    }

    private synchronized Thread start() {
      if (thread == null && !closed) {
        Thread t = new Thread(this, name);
        t.setDaemon(true);
        thread = t;
        t.start();
      }
      return thread;
    }

    @Override
    public void run() {
      while (!closed) {
        WsConnection c = ready.poll();
        if (c != null) {
          try {
            c.flushWaiting();
          } catch (RuntimeException e) {
            // never lose the lane; the connection is ending anyway
          }
          continue;
        }
        parked = true;
        if (ready.isEmpty() && !closed) {
          LockSupport.park(this);
        }
        parked = false;
      }
    }

    synchronized void stop() {
      Thread t = thread;
      if (t != null) {
        LockSupport.unpark(t);
      }
    }
  }
}
