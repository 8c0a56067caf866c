package dev.natter.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.natter.core.protocol.ClientCommand;
import dev.natter.core.protocol.ServerEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** A transport whose connections the test drives by hand: it emits events and reads commands. */
final class ScriptedTransport implements Transport {
  final BlockingQueue<Conn> opened = new LinkedBlockingQueue<>();
  final AtomicInteger attempts = new AtomicInteger();
  final List<String> tokens = new ArrayList<>();
  volatile Supplier<Throwable> refuse;

  @Override
  public synchronized CompletableFuture<?> open(String token, Listener listener) {
    attempts.incrementAndGet();
    tokens.add(token);
    Supplier<Throwable> r = refuse;
    if (r != null) {
      return CompletableFuture.failedFuture(r.get());
    }
    Conn conn = new Conn(listener);
    listener.onOpen(conn);
    opened.add(conn);
    return CompletableFuture.completedFuture(null);
  }

  /** The next connection the client opens. */
  Conn nextConnection() throws InterruptedException {
    Conn c = opened.poll(5, TimeUnit.SECONDS);
    assertThat(c).as("the client opened a connection").isNotNull();
    return c;
  }

  static final class Conn implements Link {
    final Listener listener;
    final BlockingQueue<ClientCommand> sent = new LinkedBlockingQueue<>();
    volatile int closedWith;
    volatile boolean aborted;
    final AtomicInteger pings = new AtomicInteger();

    Conn(Listener listener) {
      this.listener = listener;
    }

    @Override
    public void send(ClientCommand command) {
      sent.add(command);
    }

    @Override
    public void ping() {
      pings.incrementAndGet(); // no pong: a silent peer
    }

    @Override
    public void close(int code, String reason) {
      closedWith = code;
    }

    @Override
    public void abort() {
      aborted = true;
    }

    void emit(ServerEvent... events) {
      for (ServerEvent e : events) {
        listener.onEvent(e);
      }
    }

    /** The server side ends the connection with this code. */
    void drop(int code) {
      listener.onClosed(code, "test");
    }

    /** The next command the client sent, of this type. */
    <T extends ClientCommand> T next(Class<T> type) throws InterruptedException {
      ClientCommand c = sent.poll(5, TimeUnit.SECONDS);
      assertThat(c).as("the client sent a " + type.getSimpleName()).isInstanceOf(type);
      return type.cast(c);
    }

    /** Nothing more is sent within a short while. */
    void expectSilence() throws InterruptedException {
      assertThat(sent.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }
  }
}
