package dev.natter.client;

import dev.natter.core.model.Message;
import dev.natter.core.protocol.ServerEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A {@link ChatClient} with a listener that records everything it was told. */
final class Peer implements ChatListener, AutoCloseable {
  final List<ServerEvent.MessageEvent> messages = new CopyOnWriteArrayList<>();
  final List<ServerEvent.MessageUpdated> updates = new CopyOnWriteArrayList<>();
  final List<ServerEvent.TypingEvent> typing = new CopyOnWriteArrayList<>();
  final List<ServerEvent.PresenceEvent> presence = new CopyOnWriteArrayList<>();
  final List<ServerEvent.ReadEvent> reads = new CopyOnWriteArrayList<>();
  final List<ServerEvent.RoomEvent> rooms = new CopyOnWriteArrayList<>();
  final List<ServerEvent.RoomLeft> left = new CopyOnWriteArrayList<>();
  final List<ServerEvent.Error> errors = new CopyOnWriteArrayList<>();
  final List<ServerEvent.Ready> readies = new CopyOnWriteArrayList<>();
  final List<ConnectionState> states = new CopyOnWriteArrayList<>();
  final List<Throwable> connectFailures = new CopyOnWriteArrayList<>();
  final List<ConnectionEvent.Disconnected> disconnects = new CopyOnWriteArrayList<>();
  final List<ConnectionEvent.Resumed> resumed = new CopyOnWriteArrayList<>();
  final ChatClient client;

  Peer(ChatClientBuilder builder) {
    this.client = builder.build();
    client.addListener(this);
  }

  /** Builds, connects and waits for {@code ready}. */
  static Peer connect(ChatClientBuilder builder) throws Exception {
    Peer p = new Peer(builder);
    p.client.connect().get(10, TimeUnit.SECONDS);
    return p;
  }

  @Override
  public void onEvent(ChatClient c, ServerEvent event) {
    if (event instanceof ServerEvent.MessageEvent e) {
      messages.add(e);
    } else if (event instanceof ServerEvent.MessageUpdated e) {
      updates.add(e);
    } else if (event instanceof ServerEvent.TypingEvent e) {
      typing.add(e);
    } else if (event instanceof ServerEvent.PresenceEvent e) {
      presence.add(e);
    } else if (event instanceof ServerEvent.ReadEvent e) {
      reads.add(e);
    } else if (event instanceof ServerEvent.RoomEvent e) {
      rooms.add(e);
    } else if (event instanceof ServerEvent.RoomLeft e) {
      left.add(e);
    } else if (event instanceof ServerEvent.Error e) {
      errors.add(e);
    } else if (event instanceof ServerEvent.Ready e) {
      readies.add(e);
    }
  }

  @Override
  public void onConnectionEvent(ChatClient c, ConnectionEvent event) {
    if (event instanceof ConnectionEvent.StateChanged s) {
      states.add(s.state());
    } else if (event instanceof ConnectionEvent.ConnectFailed f) {
      connectFailures.add(f.cause());
    } else if (event instanceof ConnectionEvent.Disconnected d) {
      disconnects.add(d);
    } else if (event instanceof ConnectionEvent.Resumed r) {
      resumed.add(r);
    }
  }

  /** The bodies this peer was delivered in a room, in delivery order. */
  List<String> bodies(String room) {
    return messages.stream()
        .map(ServerEvent.MessageEvent::message)
        .filter(m -> m.room().equals(room))
        .map(Message::body)
        .toList();
  }

  /** The seqs this peer was delivered in a room, in delivery order. */
  List<Long> seqs(String room) {
    return messages.stream()
        .map(ServerEvent.MessageEvent::message)
        .filter(m -> m.room().equals(room))
        .map(Message::seq)
        .toList();
  }

  @Override
  public void close() {
    client.close();
  }
}
