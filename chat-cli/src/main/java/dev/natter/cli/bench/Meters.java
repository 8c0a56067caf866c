package dev.natter.cli.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Everything a run counts. The measured window is a range of intended send times, fixed before the
 * load starts: a receipt belongs to the result when the message it answers was intended within the
 * window, whenever it arrives.
 */
final class Meters {
  final LatencyMeter deliveries = new LatencyMeter();
  final LatencyMeter acks = new LatencyMeter();
  final LatencyMeter pages = new LatencyMeter();
  private final LongAdder sent = new LongAdder();
  private final LongAdder sentMeasured = new LongAdder();
  private final LongAdder unsent = new LongAdder();
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> closes = new ConcurrentHashMap<>();
  private volatile long windowFrom = Long.MAX_VALUE;
  private volatile long windowTo = Long.MAX_VALUE;

  /** Sets the measured window: intended send times in {@code [from, to)}. */
  void window(long from, long to) {
    windowFrom = from;
    windowTo = to;
  }

  boolean inWindow(long intended) {
    return intended >= windowFrom && intended < windowTo;
  }

  void delivered(long intended, long now) {
    deliveries.record(intended, now, inWindow(intended));
  }

  void acked(long intended, long now) {
    acks.record(intended, now, inWindow(intended));
  }

  void paged(long intended, long now) {
    pages.record(intended, now, inWindow(intended));
  }

  /** A message or request intended at {@code intended} was sent ({@code written}) or not. */
  void sent(long intended, boolean written) {
    sent.increment();
    if (inWindow(intended)) {
      sentMeasured.increment();
    }
    if (!written) {
      unsent.increment();
    }
  }

  void error(String code) {
    errors.computeIfAbsent(code, c -> new LongAdder()).increment();
  }

  void closed(String why) {
    closes.computeIfAbsent(why, c -> new LongAdder()).increment();
  }

  long sent() {
    return sent.sum();
  }

  /** Messages or requests intended within the window. */
  long sentMeasured() {
    return sentMeasured.sum();
  }

  /** Sends skipped because the sender's connection was closed. */
  long unsent() {
    return unsent.sum();
  }

  long errorCount() {
    return errors.values().stream().mapToLong(LongAdder::sum).sum();
  }

  long closeCount() {
    return closes.values().stream().mapToLong(LongAdder::sum).sum();
  }

  Map<String, Long> errors() {
    return snapshot(errors);
  }

  Map<String, Long> closes() {
    return snapshot(closes);
  }

  private static Map<String, Long> snapshot(Map<String, LongAdder> counts) {
    Map<String, Long> out = new TreeMap<>();
    counts.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }
}
