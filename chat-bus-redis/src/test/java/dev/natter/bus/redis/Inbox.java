package dev.natter.bus.redis;

import dev.natter.core.UserListener;
import dev.natter.core.protocol.ServerEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Collects what an in-process listener receives. */
final class Inbox implements UserListener {
  final List<ServerEvent> events = new CopyOnWriteArrayList<>();

  @Override
  public void onEvent(ServerEvent event) {
    events.add(event);
  }

  /** The seqs of the room's {@code message} events, in the order they came. */
  List<Long> seqs(String roomId) {
    return messages(roomId).stream().map(m -> m.message().seq()).toList();
  }

  List<ServerEvent.MessageEvent> messages(String roomId) {
    return events.stream()
        .filter(e -> e instanceof ServerEvent.MessageEvent)
        .map(e -> (ServerEvent.MessageEvent) e)
        .filter(m -> m.message().room().equals(roomId))
        .toList();
  }

  List<ServerEvent.TypingEvent> typing(String roomId) {
    return events.stream()
        .filter(e -> e instanceof ServerEvent.TypingEvent)
        .map(e -> (ServerEvent.TypingEvent) e)
        .filter(t -> t.room().equals(roomId))
        .toList();
  }
}
