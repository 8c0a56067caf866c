package dev.natter.client;

import dev.natter.core.protocol.ServerEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes each event of the current connection to the part that handles it, and runs the steps of a
 * {@code ready}: rooms reconciled, listeners told, rooms synced, sends and requests sent again.
 * Event thread only.
 */
final class EventRouter implements Connector.Handler {
  private static final Logger LOG = LoggerFactory.getLogger(ChatClient.class);

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
        listeners.fire(e);
      }
    } else if (event instanceof ServerEvent.TypingEvent e) {
      listeners.fire(e);
    } else if (event instanceof ServerEvent.PresenceEvent e) {
      listeners.fire(e);
    } else if (event instanceof ServerEvent.ReadEvent e) {
      listeners.fire(e);
    } else if (event instanceof ServerEvent.RoomEvent e) {
      rooms.track(e.room().room().id(), e.room().lastSeq());
      listeners.fire(e);
    } else if (event instanceof ServerEvent.RoomLeft e) {
      rooms.drop(e.room());
      listeners.fire(e);
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
    return !requests.isEmpty() || rooms.awaitingAnswers() || sends.awaitingAnswers();
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
    listeners.fire(ready);
    for (String id : changes.gone()) {
      listeners.fire(new ServerEvent.RoomLeft(id));
    }
    for (ServerEvent.RoomEvent e : changes.appeared()) {
      listeners.fire(e);
    }
    if (!connector.isReady()) {
      return; // a listener closed the client
    }
    LOG.debug(
        "ready: syncing {} rooms, resending {} messages and {} requests",
        changes.toSync().size(),
        sends.size(),
        requests.size());
    rooms.catchUp(changes);
    sends.connected();
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
    listeners.fire(error);
  }
}
