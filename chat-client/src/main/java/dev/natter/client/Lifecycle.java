package dev.natter.client;

import dev.natter.core.ChatException;
import dev.natter.core.protocol.ServerEvent;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * Where the client stands, for every thread: its {@link ConnectionState} (each change told to the
 * listeners on the event thread), the future of the first {@code ready}, and how work asked of it
 * fails once it has ended.
 */
final class Lifecycle {
  private final EventLoop loop;
  private final Listeners listeners;
  private final CompletableFuture<ServerEvent.Ready> connected;
  private volatile ConnectionState state = ConnectionState.NEW;

  Lifecycle(EventLoop loop, Listeners listeners) {
    this.loop = loop;
    this.listeners = listeners;
    this.connected = loop.newFuture();
  }

  ConnectionState state() {
    return state;
  }

  boolean hasEnded() {
    return state.isTerminal();
  }

  /** {@code NEW} becomes {@code CONNECTING}; false when that happened before. Any thread. */
  boolean begin() {
    synchronized (this) {
      if (state != ConnectionState.NEW) {
        return false;
      }
      state = ConnectionState.CONNECTING;
    }
    loop.post(() -> listeners.fire(new ConnectionEvent.StateChanged(ConnectionState.CONNECTING)));
    return true;
  }

  /** Completes with the first {@code ready}, fails when the client ends before. */
  CompletableFuture<ServerEvent.Ready> connected() {
    return connected;
  }

  /** Event thread. */
  void set(ConnectionState next) {
    if (state == next) {
      return;
    }
    synchronized (this) {
      state = next;
    }
    listeners.fire(new ConnectionEvent.StateChanged(next));
  }

  /**
   * The client ended in {@code terminal}: the first {@code ready} will not come. Returns the
   * failure: {@code cause}, or {@link #stopped()}. Event thread.
   */
  Throwable end(ConnectionState terminal, Throwable cause) {
    set(terminal);
    Throwable failure = cause != null ? cause : stopped();
    connected.completeExceptionally(failure);
    return failure;
  }

  /** How work asked of an ended client fails. */
  Throwable stopped() {
    return state == ConnectionState.SIGNED_OUT
        ? new ChatException.Unauthorized("signed out")
        : new CancellationException("client closed");
  }

  /** Runs {@code task} on the event thread, or fails {@code future} if the client has ended. */
  void whileRunning(CompletableFuture<?> future, Runnable task) {
    loop.post(
        () -> {
          if (hasEnded()) {
            future.completeExceptionally(stopped());
          } else {
            task.run();
          }
        },
        future);
  }
}
