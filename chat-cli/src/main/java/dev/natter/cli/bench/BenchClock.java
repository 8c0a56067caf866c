package dev.natter.cli.bench;

/** The run's one clock: nanoseconds since the run started ({@link System#nanoTime()} based). */
final class BenchClock {
  private final long origin = System.nanoTime();

  /** Nanoseconds since the run started. */
  long now() {
    return System.nanoTime() - origin;
  }
}
