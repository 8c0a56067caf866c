package dev.natter.client;

import dev.natter.core.protocol.ServerEvent;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Tells when a connection went silent: no frame or ping for longer than the server's heartbeat
 * allows (before {@code ready}: 30 s), or nothing at all within the answer timeout after a request.
 * Sockets do not always report a broken TCP connection (the JDK's WebSocket sometimes misses one),
 * so silence is the test. Checks four times a second while a connection is open. Event thread only.
 */
final class Watchdog {
  private static final long PERIOD_MS = 250;
  private static final long READY_DEADLINE_MS = 30_000;

  private final EventLoop loop;
  private final long answerTimeoutMs;
  private final BooleanSupplier awaitingAnswers;
  private final Consumer<String> onSilence;
  private ScheduledFuture<?> task;
  private long lastActivityNanos;
  private long awaitingSinceNanos;
  private long silenceLimitMs = READY_DEADLINE_MS;

  /**
   * @param awaitingAnswers whether a request on the current connection waits for its answer
   * @param onSilence told why, when the connection counts as dead
   */
  Watchdog(
      EventLoop loop,
      long answerTimeoutMs,
      BooleanSupplier awaitingAnswers,
      Consumer<String> onSilence) {
    this.loop = loop;
    this.answerTimeoutMs = answerTimeoutMs;
    this.awaitingAnswers = awaitingAnswers;
    this.onSilence = onSilence;
  }

  /** Starts watching a new connection: {@code ready} is due within 30 s. */
  void start() {
    stop();
    lastActivityNanos = System.nanoTime();
    awaitingSinceNanos = 0;
    silenceLimitMs = READY_DEADLINE_MS;
    task = loop.every(this::check, PERIOD_MS);
  }

  void stop() {
    if (task != null) {
      task.cancel(false);
      task = null;
    }
  }

  /**
   * The server pings every {@code intervalMs}; silence for longer than its own timeout (and half an
   * interval) means the connection is dead even if the socket has not said so.
   */
  void heartbeat(ServerEvent.HeartbeatSettings hb) {
    silenceLimitMs =
        hb != null && hb.intervalMs() > 0
            ? Math.max(hb.timeoutMs(), hb.intervalMs()) + hb.intervalMs() / 2
            : 0;
  }

  /** A request that expects an answer went out: the answer deadline starts (if not running). */
  void requestSent() {
    if (awaitingSinceNanos == 0) {
      awaitingSinceNanos = System.nanoTime();
    }
  }

  /** Something arrived: the deadline for what is still unanswered starts again from now. */
  void heard() {
    lastActivityNanos = System.nanoTime();
    awaitingSinceNanos = awaitingAnswers.getAsBoolean() ? lastActivityNanos : 0;
  }

  private void check() {
    String why = verdict();
    if (why != null) {
      onSilence.accept(why);
    }
  }

  /** Why the connection counts as dead, or null while it is alive. */
  private String verdict() {
    long now = System.nanoTime();
    long silentMs = TimeUnit.NANOSECONDS.toMillis(now - lastActivityNanos);
    if (silenceLimitMs > 0 && silentMs > silenceLimitMs) {
      return "no heartbeat for " + silentMs + " ms";
    }
    if (awaitingSinceNanos != 0 && awaitingAnswers.getAsBoolean()) {
      long waitedMs = TimeUnit.NANOSECONDS.toMillis(now - awaitingSinceNanos);
      if (waitedMs > answerTimeoutMs) {
        return "no answer for " + waitedMs + " ms";
      }
    }
    return null;
  }
}
