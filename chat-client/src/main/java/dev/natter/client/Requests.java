package dev.natter.client;

import dev.natter.core.ChatException;
import dev.natter.core.protocol.ClientCommand;
import dev.natter.core.protocol.ServerEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * WebSocket requests waiting for their answer ({@code edit}, {@code delete}, {@code react}, {@code
 * history}), by request id: the answer completes the future, an {@code error} fails it, and after a
 * reconnect every one still waiting is sent again (all are idempotent). How long an answer may take
 * is the {@link Watchdog}'s business. Event thread only, except {@link #nextId()}.
 */
final class Requests {
  private final AtomicLong ids = new AtomicLong();
  private final Map<String, Pending<?>> waiting = new LinkedHashMap<>();
  private final Wire wire;

  Requests(Wire wire) {
    this.wire = wire;
  }

  /** A fresh request id; any thread. */
  String nextId() {
    return "r-" + ids.incrementAndGet();
  }

  /** Sends a request now if connected, else after the next {@code ready}. */
  <T> void add(
      ClientCommand command, CompletableFuture<T> future, Function<ServerEvent, T> answer) {
    waiting.put(command.id(), new Pending<>(command, future, answer));
    if (wire.isReady()) {
      wire.send(command, true);
    }
  }

  /** Completes the request {@code id} with its answer; false when no request has that id. */
  boolean answer(String id, ServerEvent event) {
    Pending<?> pending = id == null ? null : waiting.remove(id);
    if (pending == null) {
      return false;
    }
    pending.complete(event);
    return true;
  }

  /** Fails the request {@code id} with the server's error; false when no request has that id. */
  boolean fail(ServerEvent.Error error) {
    Pending<?> pending = error.id() == null ? null : waiting.remove(error.id());
    if (pending == null) {
      return false;
    }
    pending.future.completeExceptionally(new ChatException(error.code(), error.message()));
    return true;
  }

  void resendAll() {
    for (Pending<?> pending : waiting.values()) {
      wire.send(pending.command, true);
    }
  }

  void failAll(Throwable failure) {
    for (Pending<?> pending : List.copyOf(waiting.values())) {
      pending.future.completeExceptionally(failure);
    }
    waiting.clear();
  }

  boolean isEmpty() {
    return waiting.isEmpty();
  }

  int size() {
    return waiting.size();
  }

  /** A request, its future and how to read its answer. */
  private record Pending<T>(
      ClientCommand command, CompletableFuture<T> future, Function<ServerEvent, T> answer) {

    void complete(ServerEvent event) {
      try {
        future.complete(answer.apply(event));
      } catch (RuntimeException e) {
        future.completeExceptionally(e);
      }
    }
  }
}
