package dev.natter.transport;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;

/**
 * {@code /metrics} in the Prometheus text format, when the server's registry is a {@code
 * PrometheusMeterRegistry}. The Prometheus registry is an optional dependency: this class finds it
 * by name, so nothing here loads it unless the application gave one (and so has it).
 */
final class PrometheusText {
  private static final String REGISTRY = "io.micrometer.prometheusmetrics.PrometheusMeterRegistry";

  private PrometheusText() {}

  /** The scrape of {@code registry}, or null when it is not a Prometheus registry. */
  static Supplier<String> of(MeterRegistry registry) {
    for (Class<?> c = registry.getClass(); c != null; c = c.getSuperclass()) {
      if (c.getName().equals(REGISTRY)) {
        return PrometheusScrape.of(registry);
      }
    }
    return null;
  }
}
