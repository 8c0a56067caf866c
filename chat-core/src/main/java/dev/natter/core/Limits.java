package dev.natter.core;

import java.time.Duration;

/**
 * The engine's configurable limits. {@link #defaults()} gives the documented defaults; use the
 * {@code with*} methods to change one.
 *
 * @param maxBodyChars longest message body, counted after trimming
 * @param sendBurst messages a user may send in a burst (token bucket capacity)
 * @param sendWindow time in which a full burst refills
 * @param rateLimitStrikes rejected sends in a row after which a connection is closed with 4029
 * @param typingExpiry how long a {@code typing active:true} lasts without being renewed
 * @param typingThrottle shortest time between two {@code typing} broadcasts of one user in a room
 * @param syncLimit most messages replayed per room by one {@code sync}
 * @param historyLimit most messages in one history page
 * @param sessionTtl how long a login session lasts
 * @param loginAttempts login attempts (failed or not) allowed per username and per address per
 *     {@code loginWindow}
 * @param loginWindow the window of {@code loginAttempts}
 */
public record Limits(
    int maxBodyChars,
    int sendBurst,
    Duration sendWindow,
    int rateLimitStrikes,
    Duration typingExpiry,
    Duration typingThrottle,
    int syncLimit,
    int historyLimit,
    Duration sessionTtl,
    int loginAttempts,
    Duration loginWindow) {

  public static Limits defaults() {
    return new Limits(
        16_000,
        20,
        Duration.ofSeconds(10),
        20,
        Duration.ofSeconds(6),
        Duration.ofSeconds(1),
        500,
        100,
        Duration.ofDays(30),
        10,
        Duration.ofMinutes(1));
  }

  public Limits withMaxBodyChars(int v) {
    return new Limits(
        v,
        sendBurst,
        sendWindow,
        rateLimitStrikes,
        typingExpiry,
        typingThrottle,
        syncLimit,
        historyLimit,
        sessionTtl,
        loginAttempts,
        loginWindow);
  }

  public Limits withSendRate(int burst, Duration window) {
    return new Limits(
        maxBodyChars,
        burst,
        window,
        rateLimitStrikes,
        typingExpiry,
        typingThrottle,
        syncLimit,
        historyLimit,
        sessionTtl,
        loginAttempts,
        loginWindow);
  }

  public Limits withRateLimitStrikes(int v) {
    return new Limits(
        maxBodyChars,
        sendBurst,
        sendWindow,
        v,
        typingExpiry,
        typingThrottle,
        syncLimit,
        historyLimit,
        sessionTtl,
        loginAttempts,
        loginWindow);
  }

  public Limits withTyping(Duration expiry, Duration throttle) {
    return new Limits(
        maxBodyChars,
        sendBurst,
        sendWindow,
        rateLimitStrikes,
        expiry,
        throttle,
        syncLimit,
        historyLimit,
        sessionTtl,
        loginAttempts,
        loginWindow);
  }

  public Limits withSyncLimit(int v) {
    return new Limits(
        maxBodyChars,
        sendBurst,
        sendWindow,
        rateLimitStrikes,
        typingExpiry,
        typingThrottle,
        v,
        historyLimit,
        sessionTtl,
        loginAttempts,
        loginWindow);
  }

  public Limits withSessionTtl(Duration v) {
    return new Limits(
        maxBodyChars,
        sendBurst,
        sendWindow,
        rateLimitStrikes,
        typingExpiry,
        typingThrottle,
        syncLimit,
        historyLimit,
        v,
        loginAttempts,
        loginWindow);
  }

  public Limits withLoginAttempts(int attempts, Duration window) {
    return new Limits(
        maxBodyChars,
        sendBurst,
        sendWindow,
        rateLimitStrikes,
        typingExpiry,
        typingThrottle,
        syncLimit,
        historyLimit,
        sessionTtl,
        attempts,
        window);
  }
}
