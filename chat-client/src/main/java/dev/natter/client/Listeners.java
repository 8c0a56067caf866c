package dev.natter.client;

import dev.natter.core.protocol.ServerEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The application's listeners, added and removed at any time, called on the event thread. */
final class Listeners {
  private static final Logger LOG = LoggerFactory.getLogger(ChatClient.class);

  private final List<ChatListener> listeners = new CopyOnWriteArrayList<>();
  private ChatClient client;

  /** The client the listeners are told about; once, before anything is fired. */
  void client(ChatClient client) {
    this.client = client;
  }

  Registration add(ChatListener listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /** Calls each listener in turn; one that throws is logged and the others still run. */
  void fire(ServerEvent event) {
    for (ChatListener listener : listeners) {
      try {
        listener.onEvent(client, event);
      } catch (RuntimeException e) {
        LOG.warn("a ChatClient listener threw on {}", event.getClass().getSimpleName(), e);
      }
    }
  }

  /** Like {@link #fire(ServerEvent)}, for what happened to the connection. */
  void fire(ConnectionEvent event) {
    for (ChatListener listener : listeners) {
      try {
        listener.onConnectionEvent(client, event);
      } catch (RuntimeException e) {
        LOG.warn("a ChatClient listener threw on {}", event, e);
      }
    }
  }
}
