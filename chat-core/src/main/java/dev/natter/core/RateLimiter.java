package dev.natter.core;

import dev.natter.core.spi.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/** Token buckets by key: {@code burst} tokens, refilled evenly over {@code window}. */
final class RateLimiter {
  private final Clock clock;
  private final double capacity;
  private final double tokensPerNano;
  private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

  RateLimiter(Clock clock, int burst, Duration window) {
    this.clock = clock;
    this.capacity = burst;
    this.tokensPerNano = burst / (double) window.toNanos();
  }

  /** Takes one token for {@code key}; false if its bucket is empty. */
  boolean tryAcquire(String key) {
    long now = clock.nanoTime();
    Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(capacity, now));
    synchronized (bucket) {
      bucket.refill(now, capacity, tokensPerNano);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return true;
      }
      return false;
    }
  }

  /** Forgets buckets that are full again, so idle keys use no memory. */
  void prune() {
    long now = clock.nanoTime();
    buckets
        .values()
        .removeIf(
            b -> {
              synchronized (b) {
                b.refill(now, capacity, tokensPerNano);
                return b.tokens >= capacity;
              }
            });
  }

  private static final class Bucket {
    double tokens;
    long updatedAt;

    Bucket(double tokens, long updatedAt) {
      this.tokens = tokens;
      this.updatedAt = updatedAt;
    }

    void refill(long now, double capacity, double tokensPerNano) {
      tokens = Math.min(capacity, tokens + (now - updatedAt) * tokensPerNano);
      updatedAt = now;
    }
  }
}
