package dev.natter.core;

import java.time.Duration;
import java.util.Objects;

/**
 * The engine's configurable limits. {@link #defaults()} gives the documented defaults; change one
 * with a {@code with*} method, or several with {@link #toBuilder()} (or {@link #builder()}, which
 * starts from the defaults).
 *
 * @param maxBodyChars longest message body, counted after trimming
 * @param sendBurst messages a user may send in a burst (token bucket capacity)
 * @param sendWindow time in which a full burst refills
 * @param rateLimitStrikes rejected sends in a row after which a connection is closed with {@link
 *     dev.natter.core.protocol.CloseCode#RATE_LIMITED}
 * @param typingExpiry how long a {@code typing active:true} lasts without being renewed
 * @param typingThrottle shortest time between two {@code typing} broadcasts of one user in a room
 * @param syncLimit most messages replayed per room by one {@code sync}
 * @param historyLimit most messages in one history page
 * @param sessionTtl how long a login session lasts
 * @param loginAttempts login attempts (failed or not) allowed per username from one address per
 *     {@code loginWindow} (so that nobody can lock an account's owner out from elsewhere)
 * @param loginWindow the window of the login limits
 * @param loginAttemptsPerAddress login attempts allowed per address (any usernames) per {@code
 *     loginWindow}
 * @param loginAttemptsGlobal login attempts allowed in all per {@code loginWindow}: a backstop
 *     against a distributed guessing run, far above normal use
 * @param registrationsPerAddress registrations allowed per address per {@code registrationWindow}
 * @param registrationsGlobal registrations allowed in all per {@code registrationWindow}
 * @param registrationWindow the window of the registration limits
 * @param readBurst {@code history}, {@code sync} and search requests a user may make in a burst
 * @param readWindow time in which a full read burst refills
 * @param presenceDebounce how long a user's presence must stay changed before contacts hear of it
 *     (a user who reconnects quickly produces no offline/online pair)
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
    Duration loginWindow,
    int loginAttemptsPerAddress,
    int loginAttemptsGlobal,
    int registrationsPerAddress,
    int registrationsGlobal,
    Duration registrationWindow,
    int readBurst,
    Duration readWindow,
    Duration presenceDebounce) {

  /**
   * Checks the limits: every count at least 1 (a limit of 0 would refuse every message, page or
   * login, and 0 strikes would close a connection on its first rejection as 1 does); every duration
   * set and positive, except {@code typingThrottle}, which may be zero (no throttling).
   *
   * @param maxBodyChars longest message body
   * @param sendBurst messages in a burst
   * @param sendWindow time in which a burst refills
   * @param rateLimitStrikes rejected sends in a row before a close
   * @param typingExpiry lifetime of a typing indicator
   * @param typingThrottle shortest time between two typing broadcasts
   * @param syncLimit most messages replayed per room
   * @param historyLimit most messages in a page
   * @param sessionTtl lifetime of a login session
   * @param loginAttempts login attempts per window
   * @param loginWindow the window of the login attempts
   * @param loginAttemptsPerAddress login attempts per address per window
   * @param loginAttemptsGlobal login attempts in all per window
   * @param registrationsPerAddress registrations per address per window
   * @param registrationsGlobal registrations in all per window
   * @param registrationWindow the window of the registrations
   * @param readBurst reads (history, sync, search) in a burst
   * @param readWindow time in which a read burst refills
   * @param presenceDebounce how long a presence change waits before it is told (may be zero)
   * @throws NullPointerException for a missing duration
   * @throws IllegalArgumentException for a value out of range, naming the limit
   */
  public Limits {
    atLeastOne(maxBodyChars, "maxBodyChars");
    atLeastOne(sendBurst, "sendBurst");
    positive(sendWindow, "sendWindow");
    atLeastOne(rateLimitStrikes, "rateLimitStrikes");
    positive(typingExpiry, "typingExpiry");
    Objects.requireNonNull(typingThrottle, "typingThrottle");
    if (typingThrottle.isNegative()) {
      throw new IllegalArgumentException("typingThrottle must not be negative: " + typingThrottle);
    }
    atLeastOne(syncLimit, "syncLimit");
    atLeastOne(historyLimit, "historyLimit");
    positive(sessionTtl, "sessionTtl");
    atLeastOne(loginAttempts, "loginAttempts");
    positive(loginWindow, "loginWindow");
    atLeastOne(loginAttemptsPerAddress, "loginAttemptsPerAddress");
    atLeastOne(loginAttemptsGlobal, "loginAttemptsGlobal");
    atLeastOne(registrationsPerAddress, "registrationsPerAddress");
    atLeastOne(registrationsGlobal, "registrationsGlobal");
    positive(registrationWindow, "registrationWindow");
    atLeastOne(readBurst, "readBurst");
    positive(readWindow, "readWindow");
    Objects.requireNonNull(presenceDebounce, "presenceDebounce");
    if (presenceDebounce.isNegative()) {
      throw new IllegalArgumentException(
          "presenceDebounce must not be negative: " + presenceDebounce);
    }
  }

  private static void atLeastOne(int value, String name) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1: " + value);
    }
  }

  private static void positive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
  }

  /**
   * The documented defaults: bodies up to 16,000 characters; 20 messages per 10 s; closed after 20
   * rejected sends in a row; typing lasts 6 s, broadcast at most once a second; 500 messages per
   * room on sync; pages of up to 100; sessions of 30 days; 10 login attempts a minute per username
   * and address, 50 per address, 1,000 in all; 10 registrations an hour per address, 1,000 in all;
   * 60 reads (history, sync, search) per 10 s per user; presence changes told after 2 s.
   *
   * @return the default limits
   */
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
        Duration.ofMinutes(1),
        50,
        1_000,
        10,
        1_000,
        Duration.ofHours(1),
        60,
        Duration.ofSeconds(10),
        Duration.ofSeconds(2));
  }

  /**
   * A builder that starts from {@link #defaults()}.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return defaults().toBuilder();
  }

  /**
   * A builder that starts from these limits.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * These limits with another longest body.
   *
   * @param v characters, counted after trimming
   * @return new limits
   */
  public Limits withMaxBodyChars(int v) {
    return toBuilder().maxBodyChars(v).build();
  }

  /**
   * These limits with another send rate.
   *
   * @param burst messages a user may send in a burst
   * @param window time in which a full burst refills
   * @return new limits
   */
  public Limits withSendRate(int burst, Duration window) {
    return toBuilder().sendRate(burst, window).build();
  }

  /**
   * These limits with another number of strikes.
   *
   * @param v rejected sends in a row after which a connection is closed
   * @return new limits
   */
  public Limits withRateLimitStrikes(int v) {
    return toBuilder().rateLimitStrikes(v).build();
  }

  /**
   * These limits with other typing timings.
   *
   * @param expiry how long a typing indicator lasts without renewal
   * @param throttle shortest time between two broadcasts of one user in a room
   * @return new limits
   */
  public Limits withTyping(Duration expiry, Duration throttle) {
    return toBuilder().typing(expiry, throttle).build();
  }

  /**
   * These limits with another sync limit.
   *
   * @param v most messages replayed per room by one sync
   * @return new limits
   */
  public Limits withSyncLimit(int v) {
    return toBuilder().syncLimit(v).build();
  }

  /**
   * These limits with another session lifetime.
   *
   * @param v how long a login session lasts
   * @return new limits
   */
  public Limits withSessionTtl(Duration v) {
    return toBuilder().sessionTtl(v).build();
  }

  /**
   * These limits with other login limits.
   *
   * @param attempts login attempts allowed per username from one address in a window
   * @param window the window
   * @return new limits
   */
  public Limits withLoginAttempts(int attempts, Duration window) {
    return toBuilder().loginAttempts(attempts, window).build();
  }

  /**
   * These limits with other registration limits.
   *
   * @param perAddress registrations allowed per address in a window
   * @param global registrations allowed in all in a window
   * @param window the window
   * @return new limits
   */
  public Limits withRegistrations(int perAddress, int global, Duration window) {
    return toBuilder().registrations(perAddress, global, window).build();
  }

  /**
   * These limits with another read rate.
   *
   * @param burst history, sync and search requests a user may make in a burst
   * @param window time in which a full burst refills
   * @return new limits
   */
  public Limits withReadRate(int burst, Duration window) {
    return toBuilder().readRate(burst, window).build();
  }

  /** Builds {@link Limits}; each setter changes one limit (or one pair that belongs together). */
  public static final class Builder {
    private int maxBodyChars;
    private int sendBurst;
    private Duration sendWindow;
    private int rateLimitStrikes;
    private Duration typingExpiry;
    private Duration typingThrottle;
    private int syncLimit;
    private int historyLimit;
    private Duration sessionTtl;
    private int loginAttempts;
    private Duration loginWindow;
    private int loginAttemptsPerAddress;
    private int loginAttemptsGlobal;
    private int registrationsPerAddress;
    private int registrationsGlobal;
    private Duration registrationWindow;
    private int readBurst;
    private Duration readWindow;
    private Duration presenceDebounce;

    private Builder(Limits from) {
      this.maxBodyChars = from.maxBodyChars;
      this.sendBurst = from.sendBurst;
      this.sendWindow = from.sendWindow;
      this.rateLimitStrikes = from.rateLimitStrikes;
      this.typingExpiry = from.typingExpiry;
      this.typingThrottle = from.typingThrottle;
      this.syncLimit = from.syncLimit;
      this.historyLimit = from.historyLimit;
      this.sessionTtl = from.sessionTtl;
      this.loginAttempts = from.loginAttempts;
      this.loginWindow = from.loginWindow;
      this.loginAttemptsPerAddress = from.loginAttemptsPerAddress;
      this.loginAttemptsGlobal = from.loginAttemptsGlobal;
      this.registrationsPerAddress = from.registrationsPerAddress;
      this.registrationsGlobal = from.registrationsGlobal;
      this.registrationWindow = from.registrationWindow;
      this.readBurst = from.readBurst;
      this.readWindow = from.readWindow;
      this.presenceDebounce = from.presenceDebounce;
    }

    /**
     * Sets the longest message body.
     *
     * @param v characters, counted after trimming
     * @return this builder
     */
    public Builder maxBodyChars(int v) {
      this.maxBodyChars = v;
      return this;
    }

    /**
     * Sets the send rate.
     *
     * @param burst messages a user may send in a burst
     * @param window time in which a full burst refills
     * @return this builder
     */
    public Builder sendRate(int burst, Duration window) {
      this.sendBurst = burst;
      this.sendWindow = Objects.requireNonNull(window, "window");
      return this;
    }

    /**
     * Sets the strikes before a close.
     *
     * @param v rejected sends in a row after which a connection is closed
     * @return this builder
     */
    public Builder rateLimitStrikes(int v) {
      this.rateLimitStrikes = v;
      return this;
    }

    /**
     * Sets the typing timings.
     *
     * @param expiry how long a typing indicator lasts without renewal
     * @param throttle shortest time between two broadcasts of one user in a room
     * @return this builder
     */
    public Builder typing(Duration expiry, Duration throttle) {
      this.typingExpiry = Objects.requireNonNull(expiry, "expiry");
      this.typingThrottle = Objects.requireNonNull(throttle, "throttle");
      return this;
    }

    /**
     * Sets the sync limit.
     *
     * @param v most messages replayed per room by one sync
     * @return this builder
     */
    public Builder syncLimit(int v) {
      this.syncLimit = v;
      return this;
    }

    /**
     * Sets the largest history page.
     *
     * @param v most messages in one page
     * @return this builder
     */
    public Builder historyLimit(int v) {
      this.historyLimit = v;
      return this;
    }

    /**
     * Sets the session lifetime.
     *
     * @param v how long a login session lasts
     * @return this builder
     */
    public Builder sessionTtl(Duration v) {
      this.sessionTtl = Objects.requireNonNull(v, "sessionTtl");
      return this;
    }

    /**
     * Sets the login limits.
     *
     * @param attempts login attempts allowed per username from one address in a window
     * @param window the window (of the other login limits too)
     * @return this builder
     */
    public Builder loginAttempts(int attempts, Duration window) {
      this.loginAttempts = attempts;
      this.loginWindow = Objects.requireNonNull(window, "window");
      return this;
    }

    /**
     * Sets the wider login limits, in the window of {@link #loginAttempts}.
     *
     * @param perAddress login attempts allowed per address (any usernames)
     * @param global login attempts allowed in all
     * @return this builder
     */
    public Builder loginBackstops(int perAddress, int global) {
      this.loginAttemptsPerAddress = perAddress;
      this.loginAttemptsGlobal = global;
      return this;
    }

    /**
     * Sets the registration limits.
     *
     * @param perAddress registrations allowed per address in a window
     * @param global registrations allowed in all in a window
     * @param window the window
     * @return this builder
     */
    public Builder registrations(int perAddress, int global, Duration window) {
      this.registrationsPerAddress = perAddress;
      this.registrationsGlobal = global;
      this.registrationWindow = Objects.requireNonNull(window, "window");
      return this;
    }

    /**
     * Sets the read rate (history, sync and search requests per user).
     *
     * @param burst requests a user may make in a burst
     * @param window time in which a full burst refills
     * @return this builder
     */
    public Builder readRate(int burst, Duration window) {
      this.readBurst = burst;
      this.readWindow = Objects.requireNonNull(window, "window");
      return this;
    }

    /**
     * Sets how long a presence change must last before contacts are told.
     *
     * @param v the delay; zero tells every change at once
     * @return this builder
     */
    public Builder presenceDebounce(Duration v) {
      this.presenceDebounce = Objects.requireNonNull(v, "presenceDebounce");
      return this;
    }

    /**
     * Builds the limits, checking them.
     *
     * @return the limits
     * @throws IllegalArgumentException for a value out of range
     */
    public Limits build() {
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
          loginAttempts,
          loginWindow,
          loginAttemptsPerAddress,
          loginAttemptsGlobal,
          registrationsPerAddress,
          registrationsGlobal,
          registrationWindow,
          readBurst,
          readWindow,
          presenceDebounce);
    }
  }
}
