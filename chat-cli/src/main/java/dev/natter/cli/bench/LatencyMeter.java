package dev.natter.cli.bench;

import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Latencies of one kind (deliveries, acks or history pages), from the intended send time to the
 * receipt, in nanoseconds: every sample for the progress line, and those of messages intended
 * within the measured window for the result. Any thread may record.
 */
final class LatencyMeter {
  private final Recorder window = new Recorder(3);
  private final Recorder recent = new Recorder(3);
  private final LongAdder all = new LongAdder();
  private final LongAdder measured = new LongAdder();

  void record(long intended, long now, boolean inWindow) {
    long nanos = Math.max(0, now - intended);
    recent.recordValue(nanos);
    all.increment();
    if (inWindow) {
      window.recordValue(nanos);
      measured.increment();
    }
  }

  /** Receipts so far (any intended time). */
  long count() {
    return all.sum();
  }

  /** Receipts of messages intended within the window. */
  long measuredCount() {
    return measured.sum();
  }

  /** The samples since the last call (for the progress line). */
  Histogram takeRecent() {
    return recent.getIntervalHistogram();
  }

  /** The samples of the measured window (call once, at the end). */
  Histogram takeWindow() {
    return window.getIntervalHistogram();
  }
}
