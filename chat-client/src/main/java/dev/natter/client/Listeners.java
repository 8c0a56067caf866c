package dev.natter.client;

import dev.natter.core.protocol.ServerEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The application's listeners, by event type (filled by the builder). */
final class Listeners {
  private static final Logger LOG = Logger.getLogger(ChatClient.class.getName());

  final List<Consumer<ServerEvent.Ready>> ready = new CopyOnWriteArrayList<>();
  final List<Consumer<ServerEvent.MessageEvent>> message = new CopyOnWriteArrayList<>();
  final List<Consumer<ServerEvent.MessageUpdated>> messageUpdated = new CopyOnWriteArrayList<>();
  final List<Consumer<ServerEvent.TypingEvent>> typing = new CopyOnWriteArrayList<>();
  final List<Consumer<ServerEvent.PresenceEvent>> presence = new CopyOnWriteArrayList<>();
  final List<Consumer<ServerEvent.ReadEvent>> read = new CopyOnWriteArrayList<>();
  final List<Consumer<ServerEvent.RoomEvent>> room = new CopyOnWriteArrayList<>();
  final List<Consumer<ServerEvent.RoomLeft>> roomLeft = new CopyOnWriteArrayList<>();
  final List<Consumer<ServerEvent.Error>> error = new CopyOnWriteArrayList<>();
  final List<Consumer<ConnectionState>> stateChanged = new CopyOnWriteArrayList<>();
  final List<Consumer<Throwable>> connectFailed = new CopyOnWriteArrayList<>();
  final List<Consumer<Resumed>> resumed = new CopyOnWriteArrayList<>();

  /** Calls each listener in turn; one that throws is logged and the others still run. */
  static <T> void fire(List<Consumer<T>> listeners, T event) {
    for (Consumer<T> listener : listeners) {
      try {
        listener.accept(event);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "a ChatClient listener threw", e);
      }
    }
  }
}
