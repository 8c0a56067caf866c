package dev.natter.client;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's single event thread. Everything that reads or changes the connection's state runs
 * here, one task at a time, in the order it was posted; a task that throws is logged and the loop
 * goes on.
 */
final class EventLoop {
  private static final Logger LOG = LoggerFactory.getLogger(ChatClient.class);
  private static final long CLOSE_WAIT_MS = 2_000;

  private final ScheduledThreadPoolExecutor executor;
  private volatile Thread thread;

  EventLoop() {
    executor =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "natter-client");
              t.setDaemon(true);
              thread = t;
              return t;
            });
    executor.setRemoveOnCancelPolicy(true);
  }

  /** Whether the caller runs on this loop's thread. */
  boolean isEventThread() {
    return Thread.currentThread() == thread;
  }

  /** A new future whose {@code join()} and {@code get()} refuse to wait on this loop's thread. */
  <T> CompletableFuture<T> newFuture() {
    return new ClientFuture<>(this);
  }

  /**
   * Completes {@code target} like {@code source}, on this loop (after {@code then} ran there on
   * success), or fails it once the loop has stopped.
   */
  <T> CompletableFuture<T> completeOnLoop(CompletableFuture<T> source, Consumer<T> then) {
    CompletableFuture<T> target = newFuture();
    source.whenComplete(
        (value, error) ->
            post(
                () -> {
                  if (error != null) {
                    target.completeExceptionally(unwrap(error));
                    return;
                  }
                  try {
                    then.accept(value);
                    target.complete(value);
                  } catch (RuntimeException e) {
                    target.completeExceptionally(e);
                  }
                },
                target));
    return target;
  }

  /** The cause of a {@link java.util.concurrent.CompletionException}, else the error itself. */
  static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  void post(Runnable task) {
    post(task, null);
  }

  /** Runs {@code task} later; once the loop has stopped, fails {@code failOnReject} instead. */
  void post(Runnable task, CompletableFuture<?> failOnReject) {
    try {
      executor.execute(guarded(task));
    } catch (RejectedExecutionException e) {
      if (failOnReject != null) {
        failOnReject.completeExceptionally(new CancellationException("client closed"));
      }
    }
  }

  ScheduledFuture<?> schedule(Runnable task, long delayMs) {
    return executor.schedule(guarded(task), delayMs, TimeUnit.MILLISECONDS);
  }

  ScheduledFuture<?> every(Runnable task, long periodMs) {
    return executor.scheduleWithFixedDelay(
        guarded(task), periodMs, periodMs, TimeUnit.MILLISECONDS);
  }

  /**
   * Runs {@code task} on the loop and waits for it (a little while at most: a listener may be
   * stuck); runs it at once when called on the loop itself.
   */
  void runAndWait(Runnable task) {
    if (Thread.currentThread() == thread) {
      task.run();
      return;
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      executor.execute(
          () -> {
            try {
              task.run();
            } finally {
              done.complete(null);
            }
          });
      done.get(CLOSE_WAIT_MS, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException | TimeoutException | ExecutionException e) {
      // already shut down, or the loop is stuck in a listener: nothing more to wait for
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops taking tasks and waits a little for the running one (unless called on the loop). */
  void shutdown() {
    executor.shutdown();
    try {
      if (Thread.currentThread() != thread) {
        executor.awaitTermination(CLOSE_WAIT_MS, TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Runnable guarded(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.warn("natter client: internal error", e);
      }
    };
  }
}
