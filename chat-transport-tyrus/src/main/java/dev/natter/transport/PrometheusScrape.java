package dev.natter.transport;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.function.Supplier;

/** The one class that names the Prometheus registry; loaded only through {@link PrometheusText}. */
final class PrometheusScrape {
  private PrometheusScrape() {}

  static Supplier<String> of(MeterRegistry registry) {
    PrometheusMeterRegistry prometheus = (PrometheusMeterRegistry) registry;
    return prometheus::scrape;
  }
}
