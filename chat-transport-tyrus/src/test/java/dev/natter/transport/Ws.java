package dev.natter.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A raw WebSocket client on the JDK's HttpClient: collects text frames as JSON, records the close
 * code, and can stop reading (no demand) to play a slow consumer.
 */
final class Ws implements WebSocket.Listener {
  static final Duration WAIT = Duration.ofSeconds(5);

  final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
  final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
  final AtomicLong bytesReceived = new AtomicLong();
  private final boolean reading;
  private final StringBuilder partial = new StringBuilder();
  private final List<String> backlog = new ArrayList<>();
  volatile String closeReason;
  volatile WebSocket socket;

  private Ws(boolean reading) {
    this.reading = reading;
  }

  /** The outcome of a handshake: a socket, or the HTTP status it was refused with. */
  record Attempt(Ws ws, int refusedStatus) {}

  static Attempt attempt(HttpClient http, URI uri, List<String> headers, boolean reading) {
    Ws ws = new Ws(reading);
    WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(WAIT);
    for (int i = 0; i < headers.size(); i += 2) {
      b.header(headers.get(i), headers.get(i + 1));
    }
    try {
      ws.socket = b.buildAsync(uri, ws).get(10, TimeUnit.SECONDS);
      return new Attempt(ws, 0);
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof CompletionException && cause.getCause() != null) {
        cause = cause.getCause();
      }
      if (cause instanceof WebSocketHandshakeException h) {
        return new Attempt(null, h.getResponse().statusCode());
      }
      throw new AssertionError("handshake failed", e);
    } catch (Exception e) {
      throw new AssertionError("handshake failed", e);
    }
  }

  static Ws connect(HttpClient http, URI uri, List<String> headers, boolean reading) {
    Attempt a = attempt(http, uri, headers, reading);
    if (a.ws() == null) {
      fail("handshake refused with " + a.refusedStatus());
    }
    return a.ws();
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    if (reading) {
      webSocket.request(1);
    }
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    bytesReceived.addAndGet(data.length());
    partial.append(data);
    if (last) {
      frames.add(partial.toString());
      partial.setLength(0);
    }
    if (reading) {
      webSocket.request(1);
    }
    return null;
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closeReason = reason;
    closeCode.complete(statusCode);
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closeCode.complete(1006); // ended without a close frame: a local status, never sent
  }

  /** Starts reading everything from now on. */
  void readAll() {
    socket.request(Long.MAX_VALUE);
  }

  void send(String text) {
    socket.sendText(text, true).join();
  }

  /** The next frame, whatever its type. */
  JsonNode next() {
    try {
      String f = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      if (f == null) {
        fail("no frame within " + WAIT);
      }
      return TestServer.json(f);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * The next frame of this type. Frames of other types are kept (in order) for later calls, so the
   * order of different types does not matter to a test.
   */
  JsonNode next(String type) {
    return next(type, j -> true);
  }

  /** The next frame of this type that also matches {@code filter}; others are kept. */
  JsonNode next(String type, java.util.function.Predicate<JsonNode> filter) {
    for (int i = 0; i < backlog.size(); i++) {
      JsonNode j = TestServer.json(backlog.get(i));
      if ((type == null || type.equals(j.path("type").asText())) && filter.test(j)) {
        backlog.remove(i);
        return j;
      }
    }
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        String f = frames.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (f == null) {
          break;
        }
        JsonNode j = TestServer.json(f);
        if ((type == null || type.equals(j.path("type").asText())) && filter.test(j)) {
          return j;
        }
        backlog.add(f);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("no " + type + " frame within " + WAIT + "; other frames " + backlog);
  }

  /** Every frame received so far (kept or new), as raw text, without waiting. */
  List<String> drain() {
    List<String> all = new ArrayList<>(backlog);
    backlog.clear();
    frames.drainTo(all);
    return all;
  }

  /** Asserts that no frame of this type arrives within {@code quiet} (nor is already kept). */
  void expectNo(String type, Duration quiet) {
    for (String f : backlog) {
      assertThat(TestServer.json(f).path("type").asText()).as(f).isNotEqualTo(type);
    }
    long deadline = System.nanoTime() + quiet.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        String f = frames.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (f != null) {
          assertThat(TestServer.json(f).path("type").asText()).as(f).isNotEqualTo(type);
          backlog.add(f);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** The close code the server sent, waiting up to {@code within}. */
  int awaitClose(Duration within) {
    try {
      return closeCode.get(within.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("not closed within " + within, e);
    }
  }

  void close() {
    socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
  }

  void abort() {
    if (socket != null) {
      socket.abort();
    }
  }
}
