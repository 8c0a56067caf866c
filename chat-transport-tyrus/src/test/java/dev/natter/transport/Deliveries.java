package dev.natter.transport;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bystander's traffic during an abuse test: one user sends to another every 10 ms (the server
 * needs a generous send rate for it); each delivery's latency is recorded, and what was sent but
 * never delivered is counted.
 */
final class Deliveries {
  private final Ws from;
  private final Ws to;
  private final String room;
  private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
  private final List<Long> latenciesMs = Collections.synchronizedList(new ArrayList<>());
  private final List<long[]> timed = Collections.synchronizedList(new ArrayList<>());
  private final List<JsonNode> others = Collections.synchronizedList(new ArrayList<>());
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicInteger count = new AtomicInteger();
  private Thread sender;
  private Thread receiver;

  Deliveries(Ws from, Ws to, String room) {
    this.from = from;
    this.to = to;
    this.room = room;
  }

  void start() {
    sender =
        daemon(
            () -> {
              while (running.get()) {
                String id = "d" + count.incrementAndGet();
                sentAt.put(id, System.nanoTime());
                from.send(
                    "{\"type\":\"send\",\"room\":\""
                        + room
                        + "\",\"clientMsgId\":\""
                        + id
                        + "\",\"body\":\""
                        + id
                        + "\"}");
                sleep(10);
              }
            });
    receiver =
        daemon(
            () -> {
              while (running.get() || !sentAt.isEmpty()) {
                try {
                  String f = to.frames.poll(100, TimeUnit.MILLISECONDS);
                  if (f == null) {
                    if (!running.get()) {
                      break;
                    }
                    continue;
                  }
                  JsonNode j = TestServer.json(f);
                  if (!j.path("type").asText().equals("message")) {
                    others.add(j);
                  } else {
                    Long at = sentAt.remove(j.path("body").asText());
                    if (at != null) {
                      latenciesMs.add((System.nanoTime() - at) / 1_000_000);
                      timed.add(new long[] {at, (System.nanoTime() - at) / 1_000_000});
                    }
                  }
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
  }

  void stop() throws InterruptedException {
    running.set(false);
    sender.join(5_000);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!sentAt.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    receiver.interrupt();
    receiver.join(5_000);
  }

  long maxMillisBetween(long from, long to) {
    synchronized (timed) {
      return timed.stream()
          .filter(x -> x[0] >= from && x[0] < to)
          .mapToLong(x -> x[1])
          .max()
          .orElse(-1);
    }
  }

  /** The frames other than messages that the recipient got meanwhile. */
  List<JsonNode> otherFrames() {
    synchronized (others) {
      return List.copyOf(others);
    }
  }

  int sent() {
    return count.get();
  }

  int lost() {
    return sentAt.size();
  }

  long maxMillis() {
    synchronized (latenciesMs) {
      return latenciesMs.stream().mapToLong(Long::longValue).max().orElse(0);
    }
  }

  long p99Millis() {
    synchronized (latenciesMs) {
      List<Long> sorted = new ArrayList<>(latenciesMs);
      Collections.sort(sorted);
      return sorted.isEmpty() ? 0 : sorted.get((int) (sorted.size() * 0.99));
    }
  }

  @Override
  public String toString() {
    return count.get()
        + " sent, "
        + lost()
        + " lost, p99 "
        + p99Millis()
        + " ms, max "
        + maxMillis()
        + " ms";
  }

  private static Thread daemon(Runnable r) {
    Thread th = new Thread(r, "storm-deliveries");
    th.setDaemon(true);
    th.start();
    return th;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
