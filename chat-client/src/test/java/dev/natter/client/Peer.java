package dev.natter.client;

import dev.natter.core.model.Message;
import dev.natter.core.protocol.ServerEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A connected {@link ChatClient} that records everything its listeners saw. */
final class Peer implements AutoCloseable {
  final List<ServerEvent.MessageEvent> messages = new CopyOnWriteArrayList<>();
  final List<ServerEvent.MessageUpdated> updates = new CopyOnWriteArrayList<>();
  final List<ServerEvent.TypingEvent> typing = new CopyOnWriteArrayList<>();
  final List<ServerEvent.PresenceEvent> presence = new CopyOnWriteArrayList<>();
  final List<ServerEvent.ReadEvent> reads = new CopyOnWriteArrayList<>();
  final List<ServerEvent.RoomEvent> rooms = new CopyOnWriteArrayList<>();
  final List<ServerEvent.Error> errors = new CopyOnWriteArrayList<>();
  final List<ServerEvent.Ready> readies = new CopyOnWriteArrayList<>();
  final List<ConnectionState> states = new CopyOnWriteArrayList<>();
  final ChatClient client;

  Peer(ChatClientBuilder builder) {
    this.client =
        builder
            .onMessage(messages::add)
            .onMessageUpdated(updates::add)
            .onTyping(typing::add)
            .onPresence(presence::add)
            .onRead(reads::add)
            .onRoom(rooms::add)
            .onError(errors::add)
            .onReady(readies::add)
            .onConnectionState(states::add)
            .build();
  }

  /** Builds, connects and waits for {@code ready}. */
  static Peer connect(ChatClientBuilder builder) throws Exception {
    Peer p = new Peer(builder);
    p.client.connect().get(10, TimeUnit.SECONDS);
    return p;
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
