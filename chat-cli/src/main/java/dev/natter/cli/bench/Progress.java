package dev.natter.cli.bench;

import java.io.PrintWriter;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Prints a progress line on stderr once a second: whatever the current phase says. */
final class Progress implements AutoCloseable {
  private final PrintWriter err;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "bench-progress");
            t.setDaemon(true);
            return t;
          });
  private volatile Supplier<String> line = () -> null;

  Progress(PrintWriter err) {
    this.err = err;
    timer.scheduleAtFixedRate(this::print, 1, 1, TimeUnit.SECONDS);
  }

  /** From now on, the line comes from {@code supplier} (null lines are skipped). */
  void show(Supplier<String> supplier) {
    line = supplier;
  }

  private void print() {
    try {
      String s = line.get();
      if (s != null) {
        err.println("bench: " + s);
        err.flush();
      }
    } catch (RuntimeException e) {
      // a progress line is not worth failing a run for
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
