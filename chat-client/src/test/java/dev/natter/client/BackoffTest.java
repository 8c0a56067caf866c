package dev.natter.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static List<Long> delays(Backoff b, int n) {
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(b.nextDelayMillis());
    }
    return out;
  }

  @Test
  void doublesFromTheInitialDelayUpToTheMaximum() {
    Backoff b = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(15), 0.5, () -> 0.5);
    assertThat(delays(b, 9))
        .containsExactly(250L, 500L, 1000L, 2000L, 4000L, 8000L, 15000L, 15000L, 15000L);
    b.reset();
    assertThat(b.nextDelayMillis()).isEqualTo(250L);
  }

  @Test
  void jitterVariesEachDelayByAtMostHalf() {
    assertThat(
            new Backoff(Duration.ofMillis(250), Duration.ofSeconds(15), 0.5, () -> 0.0)
                .nextDelayMillis())
        .isEqualTo(125L);
    assertThat(
            new Backoff(Duration.ofMillis(250), Duration.ofSeconds(15), 0.5, () -> 0.999999)
                .nextDelayMillis())
        .isEqualTo(375L);
    long seed = System.nanoTime();
    Random random = new Random(seed);
    Backoff b =
        new Backoff(Duration.ofMillis(250), Duration.ofSeconds(15), 0.5, random::nextDouble);
    List<Long> d = delays(b, 40);
    assertThat(d).as("seed %d", seed).allMatch(x -> x >= 125 && x <= 22_500);
    assertThat(d.subList(10, 40)).as("seed %d", seed).allMatch(x -> x >= 7_500);
    assertThat(d.stream().distinct().count()).as("seed %d", seed).isGreaterThan(20);
  }

  @Test
  void neverOverflowsAfterManyAttempts() {
    Backoff b = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(15), 0.0, () -> 0.5);
    assertThat(delays(b, 200)).allMatch(x -> x > 0 && x <= 15_000);
  }
}
