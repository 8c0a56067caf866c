package dev.natter.core.engine;

import dev.natter.core.model.Message;
import dev.natter.core.protocol.CloseCode;
import dev.natter.core.protocol.ServerEvent;
import dev.natter.core.spi.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/**
 * A transport connection that records every event it accepts and every close. With a budget it
 * accepts only that many events and then answers {@code send} with false, like a full outbound
 * queue.
 */
final class FakeConnection implements Connection {
  private static final AtomicInteger IDS = new AtomicInteger();

  private final String id = "conn-" + IDS.incrementAndGet();
  private final int budget;
  private final AtomicInteger accepted = new AtomicInteger();
  private final List<ServerEvent> events = new CopyOnWriteArrayList<>();
  private final List<CloseCode> closes = new CopyOnWriteArrayList<>();
  private final AtomicInteger sendsAfterClose = new AtomicInteger();
  private volatile Consumer<ServerEvent> onSend = e -> {};

  FakeConnection() {
    this(Integer.MAX_VALUE);
  }

  FakeConnection(int budget) {
    this.budget = budget;
  }

  /** Runs {@code listener} on the engine's thread for every event offered, before recording it. */
  void onSend(Consumer<ServerEvent> listener) {
    this.onSend = listener;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public boolean send(ServerEvent event) {
    if (!closes.isEmpty()) {
      sendsAfterClose.incrementAndGet();
      return false;
    }
    onSend.accept(event);
    if (accepted.incrementAndGet() > budget) {
      return false;
    }
    events.add(event);
    return true;
  }

  @Override
  public void close(CloseCode code) {
    closes.add(code);
  }

  /** Every accepted event, in order. */
  List<ServerEvent> events() {
    return List.copyOf(events);
  }

  <T extends ServerEvent> List<T> events(Class<T> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** The messages of {@code message} events for one room, in arrival order. */
  List<Message> messages(String room) {
    return events(ServerEvent.MessageEvent.class).stream()
        .map(ServerEvent.MessageEvent::message)
        .filter(m -> m.room().equals(room))
        .toList();
  }

  List<ServerEvent.MessageEvent> messageEvents(String room) {
    return events(ServerEvent.MessageEvent.class).stream()
        .filter(e -> e.message().room().equals(room))
        .toList();
  }

  /** Waits (up to 5 s) for an event of the type matching {@code test}, and returns the first. */
  <T extends ServerEvent> T await(Class<T> type, Predicate<T> test) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(5))
        .until(() -> events(type).stream().anyMatch(test));
    return events(type).stream().filter(test).findFirst().orElseThrow();
  }

  /** Waits for a message event carrying the message with this id. */
  ServerEvent.MessageEvent awaitMessage(String messageId) {
    return await(ServerEvent.MessageEvent.class, e -> e.message().messageId().equals(messageId));
  }

  List<CloseCode> closeCodes() {
    return List.copyOf(closes);
  }

  int sendsAfterClose() {
    return sendsAfterClose.get();
  }

  @Override
  public String toString() {
    return id + events;
  }
}
