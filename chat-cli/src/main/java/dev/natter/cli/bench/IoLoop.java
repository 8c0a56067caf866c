package dev.natter.cli.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One selector thread serving many {@link WsConnection}s: connects, reads and the writes that did
 * not fit into a socket at once. Reads go into one shared buffer per loop, so an idle connection
 * costs the load generator no buffer of its own.
 */
final class IoLoop implements AutoCloseable {
  private static final int READ_BUFFER = 256 * 1024;

  private final Selector selector;
  private final Thread thread;
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final BenchClock clock;
  final byte[] readBuffer = new byte[READ_BUFFER];
  final ByteBuffer readView = ByteBuffer.wrap(readBuffer);
  private volatile boolean closed;

  IoLoop(String name, BenchClock clock) {
    this.clock = clock;
    try {
      selector = Selector.open();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    thread = new Thread(this::run, name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Runs {@code task} on the loop's thread. */
  void execute(Runnable task) {
    tasks.add(task);
    selector.wakeup();
  }

  Selector selector() {
    return selector;
  }

  long now() {
    return clock.now();
  }

  private void run() {
    while (!closed) {
      try {
        selector.select(500);
      } catch (IOException e) {
        return;
      }
      Runnable task;
      while ((task = tasks.poll()) != null) {
        task.run();
      }
      for (SelectionKey key : selector.selectedKeys()) {
        WsConnection c = (WsConnection) key.attachment();
        try {
          if (key.isConnectable()) {
            c.connectable();
          }
          if (key.isValid() && key.isReadable()) {
            c.readable();
          }
          if (key.isValid() && key.isWritable()) {
            c.writable();
          }
        } catch (CancelledKeyException e) {
          // closed meanwhile
        }
      }
      selector.selectedKeys().clear();
    }
    Runnable task;
    while ((task = tasks.poll()) != null) {
      task.run();
    }
    for (SelectionKey key : selector.keys()) {
      ((WsConnection) key.attachment()).fail(1001, "the load generator stopped");
    }
  }

  @Override
  public void close() {
    closed = true;
    selector.wakeup();
    try {
      thread.join(5_000);
      selector.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // nothing left to do
    }
  }
}
