package dev.natter.cli.serve;

import dev.natter.store.sqlite.SqliteChatStore;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The SQLite store's figures on the server's {@code /metrics}: commits, writes, failed commits,
 * time in COMMIT (where the fsync is), writes waiting for the writer, and messages the search index
 * has not caught up with. Read from {@link SqliteChatStore#stats()} at each scrape; the store
 * itself knows nothing of Micrometer.
 */
final class StoreMetrics {
  private StoreMetrics() {}

  static void bind(SqliteChatStore store, MeterRegistry registry) {
    counter(registry, store, "natter.store.commits", "batches committed", s -> s.stats().batches());
    counter(registry, store, "natter.store.writes", "writes committed", s -> s.stats().writes());
    counter(
        registry,
        store,
        "natter.store.failed.commits",
        "batches rolled back (none of their writes acked)",
        s -> s.stats().failedBatches());
    FunctionCounter.builder(
            "natter.store.commit.time",
            store,
            s -> s.stats().commitNanos() / (double) TimeUnit.SECONDS.toNanos(1))
        .description("time the writer spent in COMMIT, fsync included")
        .baseUnit("seconds")
        .register(registry);
    Gauge.builder("natter.store.write.queue", store, s -> s.stats().queuedWrites())
        .description("writes waiting for the writer")
        .register(registry);
    Gauge.builder("natter.store.search.behind", store, s -> s.stats().searchIndexBehind())
        .description("stored messages the search index does not hold yet")
        .baseUnit("messages")
        .register(registry);
  }

  private static void counter(
      MeterRegistry registry,
      SqliteChatStore store,
      String name,
      String description,
      ToDoubleFunction<SqliteChatStore> value) {
    FunctionCounter.builder(name, store, value).description(description).register(registry);
  }
}
