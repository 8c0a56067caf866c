package dev.natter.client;

import dev.natter.core.protocol.ServerEvent;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Routes each event of the current connection to the part that handles it, and runs the steps of a
 * {@code ready}: rooms reconciled, listeners told, rooms synced, sends and requests sent again.
 * Event thread only.
 */
final class EventRouter implements Connector.Handler {
  private static final Logger LOG = Logger.getLogger(ChatClient.class.getName());

  private final Lifecycle lifecycle;
  private final Connector connector;
  private final RoomSequencer rooms;
  private final Requests requests;
  private final PendingSends sends;
  private final Listeners listeners;

  EventRouter(
      Lifecycle lifecycle,
      Connector connector,
      RoomSequencer rooms,
      Requests requests,
      PendingSends sends,
      Listeners listeners) {
    this.lifecycle = lifecycle;
    this.connector = connector;
    this.rooms = rooms;
    this.requests = requests;
    this.sends = sends;
    this.listeners = listeners;
  }

  @Override
  public void handle(ServerEvent event) {
    if (event instanceof ServerEvent.Ready e) {
      ready(e);
    } else if (event instanceof ServerEvent.MessageEvent e) {
      rooms.message(e);
    } else if (event instanceof ServerEvent.Ack e) {
      sends.acked(e);
    } else if (event instanceof ServerEvent.Ok e) {
      requests.answer(e.id(), e);
    } else if (event instanceof ServerEvent.MessageUpdated e) {
      if (!rooms.absorbUpdate(e)) {
        Listeners.fire(listeners.messageUpdated, e);
      }
    } else if (event instanceof ServerEvent.TypingEvent e) {
      Listeners.fire(listeners.typing, e);
    } else if (event instanceof ServerEvent.PresenceEvent e) {
      Listeners.fire(listeners.presence, e);
    } else if (event instanceof ServerEvent.ReadEvent e) {
      Listeners.fire(listeners.read, e);
    } else if (event instanceof ServerEvent.RoomEvent e) {
      rooms.track(e.room().room().id(), e.room().lastSeq());
      Listeners.fire(listeners.room, e);
    } else if (event instanceof ServerEvent.RoomLeft e) {
      rooms.drop(e.room());
      Listeners.fire(listeners.roomLeft, e);
    } else if (event instanceof ServerEvent.Synced e) {
      rooms.synced(e);
    } else if (event instanceof ServerEvent.HistoryPage e) {
      if (!rooms.page(e)) {
        requests.answer(e.id(), e);
      }
    } else if (event instanceof ServerEvent.Error e) {
      error(e);
    }
  }

  @Override
  public boolean awaitingAnswers() {
    return !requests.isEmpty() || rooms.awaitingAnswers() || !sends.isEmpty();
  }

  @Override
  public void connectionLost() {
    rooms.connectionLost();
  }

  @Override
  public void failPending(Throwable failure) {
    sends.failAll(failure);
    requests.failAll(failure);
  }

  private void ready(ServerEvent.Ready ready) {
    boolean first = connector.ready(ready);
    RoomSequencer.Reconciled changes = rooms.reconcile(ready.rooms(), first);
    lifecycle.set(ConnectionState.CONNECTED);
    Listeners.fire(listeners.ready, ready);
    for (String id : changes.gone()) {
      Listeners.fire(listeners.roomLeft, new ServerEvent.RoomLeft(id));
    }
    for (ServerEvent.RoomEvent e : changes.appeared()) {
      Listeners.fire(listeners.room, e);
    }
    if (!connector.isReady()) {
      return; // a listener closed the client
    }
    LOG.log(
        Level.FINE,
        "ready: syncing {0} rooms, resending {1} messages and {2} requests",
        new Object[] {changes.toSync().size(), sends.size(), requests.size()});
    rooms.catchUp(changes);
    sends.resendAll();
    requests.resendAll();
    lifecycle.connected().complete(ready);
  }

  /** An error goes to the future that waits for it, else to the {@code onError} listeners. */
  private void error(ServerEvent.Error error) {
    if (sends.fail(error) || requests.fail(error)) {
      return;
    }
    if (error.id() != null) {
      rooms.failed(error.id());
    }
    Listeners.fire(listeners.error, error);
  }
}
