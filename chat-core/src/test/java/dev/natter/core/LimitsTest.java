package dev.natter.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LimitsTest {
  private final Limits d = Limits.defaults();

  @Test
  void eachWitherChangesItsOwnLimitsAndKeepsTheRest() {
    assertThat(d.withMaxBodyChars(7))
        .isEqualTo(
            new Limits(
                7,
                d.sendBurst(),
                d.sendWindow(),
                d.rateLimitStrikes(),
                d.typingExpiry(),
                d.typingThrottle(),
                d.syncLimit(),
                d.historyLimit(),
                d.sessionTtl(),
                d.loginAttempts(),
                d.loginWindow(),
                d.loginAttemptsPerAddress(),
                d.loginAttemptsGlobal(),
                d.registrationsPerAddress(),
                d.registrationsGlobal(),
                d.registrationWindow(),
                d.readBurst(),
                d.readWindow(),
                d.presenceDebounce()));
    assertThat(d.withSendRate(3, Duration.ofSeconds(9)))
        .usingRecursiveComparison()
        .ignoringFields("sendBurst", "sendWindow")
        .isEqualTo(d);
    assertThat(d.withSendRate(3, Duration.ofSeconds(9)))
        .extracting(Limits::sendBurst, Limits::sendWindow)
        .containsExactly(3, Duration.ofSeconds(9));
    assertThat(d.withRateLimitStrikes(4).rateLimitStrikes()).isEqualTo(4);
    assertThat(d.withRateLimitStrikes(4))
        .usingRecursiveComparison()
        .ignoringFields("rateLimitStrikes")
        .isEqualTo(d);
    assertThat(d.withTyping(Duration.ofMillis(5), Duration.ofMillis(6)))
        .extracting(Limits::typingExpiry, Limits::typingThrottle)
        .containsExactly(Duration.ofMillis(5), Duration.ofMillis(6));
    assertThat(d.withTyping(Duration.ofMillis(5), Duration.ofMillis(6)))
        .usingRecursiveComparison()
        .ignoringFields("typingExpiry", "typingThrottle")
        .isEqualTo(d);
    assertThat(d.withSyncLimit(8).syncLimit()).isEqualTo(8);
    assertThat(d.withSyncLimit(8))
        .usingRecursiveComparison()
        .ignoringFields("syncLimit")
        .isEqualTo(d);
    assertThat(d.withSessionTtl(Duration.ofHours(2)).sessionTtl()).isEqualTo(Duration.ofHours(2));
    assertThat(d.withSessionTtl(Duration.ofHours(2)))
        .usingRecursiveComparison()
        .ignoringFields("sessionTtl")
        .isEqualTo(d);
    assertThat(d.withLoginAttempts(2, Duration.ofSeconds(30)))
        .extracting(Limits::loginAttempts, Limits::loginWindow)
        .containsExactly(2, Duration.ofSeconds(30));
    assertThat(d.withLoginAttempts(2, Duration.ofSeconds(30)))
        .usingRecursiveComparison()
        .ignoringFields("loginAttempts", "loginWindow")
        .isEqualTo(d);
  }

  @Test
  void withersChain() {
    Limits l = d.withSyncLimit(5).withMaxBodyChars(10).withRateLimitStrikes(2);
    assertThat(l.syncLimit()).isEqualTo(5);
    assertThat(l.maxBodyChars()).isEqualTo(10);
    assertThat(l.rateLimitStrikes()).isEqualTo(2);
    assertThat(l.sendBurst()).isEqualTo(d.sendBurst());
  }

  @Test
  void theBuilderStartsFromTheDefaultsOrFromGivenLimitsAndSetsEveryLimit() {
    assertThat(Limits.builder().build()).isEqualTo(d);
    Limits custom = d.withSyncLimit(3);
    assertThat(custom.toBuilder().build()).isEqualTo(custom);

    Limits all =
        Limits.builder()
            .maxBodyChars(1)
            .sendRate(2, Duration.ofSeconds(3))
            .rateLimitStrikes(4)
            .typing(Duration.ofSeconds(5), Duration.ofSeconds(6))
            .syncLimit(7)
            .historyLimit(8)
            .sessionTtl(Duration.ofSeconds(9))
            .loginAttempts(10, Duration.ofSeconds(11))
            .loginBackstops(12, 13)
            .registrations(14, 15, Duration.ofSeconds(16))
            .readRate(17, Duration.ofSeconds(18))
            .presenceDebounce(Duration.ofSeconds(19))
            .build();
    assertThat(all)
        .isEqualTo(
            new Limits(
                1,
                2,
                Duration.ofSeconds(3),
                4,
                Duration.ofSeconds(5),
                Duration.ofSeconds(6),
                7,
                8,
                Duration.ofSeconds(9),
                10,
                Duration.ofSeconds(11),
                12,
                13,
                14,
                15,
                Duration.ofSeconds(16),
                17,
                Duration.ofSeconds(18),
                Duration.ofSeconds(19)));
  }

  @Test
  void theBuilderDoesNotChangeTheLimitsItStartedFrom() {
    Limits.Builder b = d.toBuilder();
    b.syncLimit(1);
    assertThat(d.syncLimit()).isEqualTo(500);
    assertThat(b.build().syncLimit()).isEqualTo(1);
  }

  @Test
  void countsBelowOneAreRefusedNamingTheLimit() {
    assertThatThrownBy(() -> d.withMaxBodyChars(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxBodyChars");
    assertThatThrownBy(() -> d.withSendRate(0, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sendBurst");
    assertThatThrownBy(() -> d.withRateLimitStrikes(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rateLimitStrikes");
    assertThatThrownBy(() -> d.withSyncLimit(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("syncLimit");
    assertThatThrownBy(() -> d.toBuilder().historyLimit(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("historyLimit");
    assertThatThrownBy(() -> d.withLoginAttempts(0, Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("loginAttempts");
  }

  @Test
  void durationsMustBePositiveButTheTypingThrottleMayBeZero() {
    assertThatThrownBy(() -> d.withSendRate(3, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sendWindow");
    assertThatThrownBy(() -> d.withSendRate(3, Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sendWindow");
    assertThatThrownBy(() -> d.withTyping(Duration.ZERO, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("typingExpiry");
    assertThatThrownBy(() -> d.withTyping(Duration.ofSeconds(1), Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("typingThrottle");
    assertThatThrownBy(() -> d.withSessionTtl(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sessionTtl");
    assertThatThrownBy(() -> d.withLoginAttempts(3, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("loginWindow");
    assertThat(d.withTyping(Duration.ofSeconds(1), Duration.ZERO).typingThrottle()).isZero();
  }

  @Test
  void aMissingDurationIsRefused() {
    assertThatThrownBy(
            () ->
                new Limits(
                    d.maxBodyChars(),
                    d.sendBurst(),
                    d.sendWindow(),
                    d.rateLimitStrikes(),
                    d.typingExpiry(),
                    d.typingThrottle(),
                    d.syncLimit(),
                    d.historyLimit(),
                    null,
                    d.loginAttempts(),
                    d.loginWindow(),
                    d.loginAttemptsPerAddress(),
                    d.loginAttemptsGlobal(),
                    d.registrationsPerAddress(),
                    d.registrationsGlobal(),
                    d.registrationWindow(),
                    d.readBurst(),
                    d.readWindow(),
                    d.presenceDebounce()))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("sessionTtl");
  }

  @Test
  void theDefaultsAndTheSmallestValuesAreAccepted() {
    assertThat(Limits.defaults()).isEqualTo(d);
    Limits smallest =
        new Limits(
            1,
            1,
            Duration.ofNanos(1),
            1,
            Duration.ofNanos(1),
            Duration.ZERO,
            1,
            1,
            Duration.ofNanos(1),
            1,
            Duration.ofNanos(1),
            1,
            1,
            1,
            1,
            Duration.ofNanos(1),
            1,
            Duration.ofNanos(1),
            Duration.ZERO);
    assertThat(smallest.maxBodyChars()).isEqualTo(1);
  }
}
