package dev.natter.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BoundedCacheTest {
  @Test
  void neverHoldsMoreThanItsCeiling() {
    BoundedCache<Integer, String> cache = new BoundedCache<>(100);

    for (int i = 0; i < 1_000; i++) {
      cache.put(i, "v" + i);
      assertThat(cache.size()).isLessThanOrEqualTo(100);
    }
    assertThat(cache.size()).isGreaterThanOrEqualTo(90);
  }

  @Test
  void removesOnlyTheValueItWasAskedTo() {
    BoundedCache<String, String> cache = new BoundedCache<>(10);
    cache.put("k", "old");
    cache.put("k", "new");

    cache.remove("k", "old");
    assertThat(cache.get("k")).isEqualTo("new");
    cache.remove("k", "new");
    assertThat(cache.get("k")).isNull();
    cache.put("j", "x");
    cache.remove("j");
    assertThat(cache.get("j")).isNull();
  }
}
