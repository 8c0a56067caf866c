package dev.natter.client;

import dev.natter.core.protocol.ServerEvent;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Tells when a connection went silent: nothing heard for longer than the server's heartbeat allows,
 * not even the answer to a ping (before {@code ready}: nothing for 30 s), or nothing at all within
 * the answer timeout after a request. A socket does not always report a broken TCP connection, so
 * silence is the test. The server's pings are answered inside the WebSocket library and not seen
 * here, so once a connection has been quiet for a heartbeat interval the watchdog pings the server
 * itself, and its pong counts as life. Checks four times a second while a connection is open. Event
 * thread only.
 */
final class Watchdog {
  private static final long PERIOD_MS = 250;
  private static final long READY_DEADLINE_MS = 30_000;

  private final EventLoop loop;
  private final long answerTimeoutMs;
  private final BooleanSupplier awaitingAnswers;
  private final Runnable ping;
  private final Consumer<String> onSilence;
  private ScheduledFuture<?> task;
  private long lastActivityNanos;
  private long lastPingNanos;
  private long awaitingSinceNanos;
  private long silenceLimitMs = READY_DEADLINE_MS;
  private long pingAfterMs;

  /**
   * @param awaitingAnswers whether a request on the current connection waits for its answer
   * @param ping sends a ping on the current connection
   * @param onSilence told why, when the connection counts as dead
   */
  Watchdog(
      EventLoop loop,
      Duration answerTimeout,
      BooleanSupplier awaitingAnswers,
      Runnable ping,
      Consumer<String> onSilence) {
    this.loop = loop;
    this.answerTimeoutMs = answerTimeout.toMillis();
    this.awaitingAnswers = awaitingAnswers;
    this.ping = ping;
    this.onSilence = onSilence;
  }

  /** Starts watching a new connection: {@code ready} is due within 30 s. */
  void start() {
    stop();
    lastActivityNanos = System.nanoTime();
    lastPingNanos = lastActivityNanos;
    awaitingSinceNanos = 0;
    silenceLimitMs = READY_DEADLINE_MS;
    pingAfterMs = 0;
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
   * interval) means the connection is dead even if the socket has not said so. A heartbeat of 0
   * turns the check off.
   */
  void heartbeat(ServerEvent.HeartbeatSettings hb) {
    boolean on = hb != null && hb.intervalMs() > 0;
    silenceLimitMs = on ? Math.max(hb.timeoutMs(), hb.intervalMs()) + hb.intervalMs() / 2 : 0;
    pingAfterMs = on ? hb.intervalMs() : 0;
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
      return;
    }
    long now = System.nanoTime();
    if (pingAfterMs > 0
        && millis(now - lastActivityNanos) >= pingAfterMs
        && millis(now - lastPingNanos) >= pingAfterMs) {
      lastPingNanos = now;
      ping.run();
    }
  }

  /** Why the connection counts as dead, or null while it is alive. */
  private String verdict() {
    long now = System.nanoTime();
    long silentMs = millis(now - lastActivityNanos);
    if (silenceLimitMs > 0 && silentMs > silenceLimitMs && pingWentUnanswered(now)) {
      return "no heartbeat for " + silentMs + " ms";
    }
    if (awaitingSinceNanos != 0 && awaitingAnswers.getAsBoolean()) {
      long waitedMs = millis(now - awaitingSinceNanos);
      if (waitedMs > answerTimeoutMs) {
        return "no answer for " + waitedMs + " ms";
      }
    }
    return null;
  }

  /**
   * Whether our ping (if we ping) went out after the last sign of life and had time to come back.
   */
  private boolean pingWentUnanswered(long now) {
    return pingAfterMs == 0
        || (lastPingNanos - lastActivityNanos > 0
            && millis(now - lastPingNanos) >= pingAfterMs / 2);
  }

  private static long millis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }
}
