package dev.natter.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The futures a {@link ChatClient} returns: waiting for one that is not done on the client's own
 * event thread (in a listener) would wait forever, since only that thread completes it, so {@code
 * join()} and {@code get()} throw there instead. Futures derived from it ({@code thenApply} and the
 * like) behave the same.
 */
final class ClientFuture<T> extends CompletableFuture<T> {
  private final EventLoop loop;

  ClientFuture(EventLoop loop) {
    this.loop = loop;
  }

  @Override
  public <U> CompletableFuture<U> newIncompleteFuture() {
    return new ClientFuture<>(loop);
  }

  @Override
  public T join() {
    refuseToBlockTheLoop();
    return super.join();
  }

  @Override
  public T get() throws InterruptedException, ExecutionException {
    refuseToBlockTheLoop();
    return super.get();
  }

  @Override
  public T get(long timeout, TimeUnit unit)
      throws InterruptedException, ExecutionException, TimeoutException {
    refuseToBlockTheLoop();
    return super.get(timeout, unit);
  }

  private void refuseToBlockTheLoop() {
    if (!isDone() && loop.isEventThread()) {
      throw new IllegalStateException(
          "waiting for a ChatClient future in a listener would wait forever:"
              + " chain with thenAccept(...) instead");
    }
  }
}
