package dev.natter.core.engine;

import static dev.natter.core.engine.Fixture.PASSWORD;
import static dev.natter.core.engine.Fixture.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.natter.core.Limits;
import dev.natter.core.protocol.ErrorCode;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Findings 4 and 2 (issue 12): login limits per (username, address), per address and in all, which
 * cannot be used to lock an account's owner out; registration limits per address and in all.
 */
class LoginLimitsTest {
  private Fixture fx;

  private void start(Limits limits) {
    fx = Fixture.builder().limits(limits).start();
  }

  @AfterEach
  void tearDown() {
    fx.close();
  }

  @Test
  void wrongPasswordsFromManyAddressesDoNotLockTheOwnerOut() {
    start(Limits.defaults());
    fx.register("alice");
    for (int i = 1; i <= 30; i++) {
      String address = "203.0.113." + i;
      assertFails(ErrorCode.UNAUTHORIZED, () -> fx.engine.login("alice", "guess guess", address));
    }
    assertThat(fx.engine.login("alice", PASSWORD, "198.51.100.7").user().username())
        .isEqualTo("alice");
  }

  @Test
  void guessesFromOneAddressAreLimitedForThatUsernameAndAddressOnly() {
    start(Limits.defaults().withLoginAttempts(3, Duration.ofMinutes(1)));
    fx.register("alice");
    fx.register("bob");
    for (int i = 0; i < 3; i++) {
      assertFails(
          ErrorCode.UNAUTHORIZED, () -> fx.engine.login("alice", "guess guess", "10.0.0.9"));
    }
    assertFails(ErrorCode.RATE_LIMITED, () -> fx.engine.login("ALICE", PASSWORD, "10.0.0.9"));
    // the same address may still sign in as someone else, and alice from elsewhere
    assertThat(fx.engine.login("bob", PASSWORD, "10.0.0.9").user().username()).isEqualTo("bob");
    assertThat(fx.engine.login("alice", PASSWORD, "10.0.0.10").user().username())
        .isEqualTo("alice");
  }

  @Test
  void oneAddressTryingManyUsernamesIsLimited() {
    start(Limits.builder().loginBackstops(5, 1_000).build());
    fx.register("alice");
    for (int i = 0; i < 5; i++) {
      String name = "user" + i;
      assertFails(ErrorCode.UNAUTHORIZED, () -> fx.engine.login(name, "guess guess", "10.0.0.9"));
    }
    assertFails(ErrorCode.RATE_LIMITED, () -> fx.engine.login("alice", PASSWORD, "10.0.0.9"));
    assertThat(fx.engine.login("alice", PASSWORD, "10.0.0.10").user().username())
        .isEqualTo("alice");
  }

  @Test
  void aGlobalBackstopLimitsADistributedRunAndRefills() {
    start(Limits.builder().loginBackstops(50, 20).build());
    fx.register("alice");
    for (int i = 0; i < 20; i++) {
      String address = "203.0.113." + i;
      assertFails(ErrorCode.UNAUTHORIZED, () -> fx.engine.login("alice", "guess guess", address));
    }
    assertFails(ErrorCode.RATE_LIMITED, () -> fx.engine.login("alice", PASSWORD, "198.51.100.7"));
    fx.clock.advance(Duration.ofMinutes(1));
    assertThat(fx.engine.login("alice", PASSWORD, "198.51.100.7").user().username())
        .isEqualTo("alice");
  }

  @Test
  void registrationsAreLimitedPerAddressAndInAll() {
    start(Limits.builder().registrations(3, 5, Duration.ofHours(1)).build());
    for (int i = 0; i < 3; i++) {
      fx.engine.register("flood" + i, PASSWORD, null, "10.0.0.9");
    }
    assertFails(
        ErrorCode.RATE_LIMITED, () -> fx.engine.register("flood9", PASSWORD, null, "10.0.0.9"));
    fx.engine.register("carol", PASSWORD, null, "10.0.0.10");
    fx.engine.register("dave", PASSWORD, null, "10.0.0.11");
    // five in all: the global limit now refuses everyone, in-process callers too
    assertFails(
        ErrorCode.RATE_LIMITED, () -> fx.engine.register("erin", PASSWORD, null, "10.0.0.12"));
    assertFails(ErrorCode.RATE_LIMITED, () -> fx.engine.register("erin", PASSWORD, null));
    assertThat(fx.memory.findCredentials("flood9")).isEmpty();
  }
}
