package dev.natter.cluster;

import dev.natter.client.ChatClient;
import dev.natter.client.ChatListener;
import dev.natter.client.ConnectionEvent;
import dev.natter.client.Outbox;
import dev.natter.core.protocol.ServerEvent;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A user of the cluster through the Java client library: what it receives (each room's messages in
 * the order the listener saw them), what it sent and what was acked.
 */
final class Chatter implements AutoCloseable {
  static final String PASSWORD = "correct horse battery";

  final String username;
  final ChatClient client;
  final List<ServerEvent.MessageEvent> received = new CopyOnWriteArrayList<>();
  final List<ServerEvent.Ack> acks = new CopyOnWriteArrayList<>();
  final AtomicInteger disconnects = new AtomicInteger();

  private Chatter(String username, ChatClient client) {
    this.username = username;
    this.client = client;
    client.addListener(
        new ChatListener() {
          @Override
          public void onEvent(ChatClient c, ServerEvent event) {
            if (event instanceof ServerEvent.MessageEvent m) {
              received.add(m);
            }
          }

          @Override
          public void onConnectionEvent(ChatClient c, ConnectionEvent event) {
            if (event instanceof ConnectionEvent.Disconnected) {
              disconnects.incrementAndGet();
            }
          }
        });
  }

  /** Signs in (registering the first time) at {@code server} and connects. */
  static Chatter connect(URI server, String username) {
    return connect(server, username, Map.of());
  }

  /** The same, resuming after {@code lastSeen} (the seqs a previous client of the user saw). */
  static Chatter connect(URI server, String username, Map<String, Long> lastSeen) {
    ChatClient client =
        ChatClient.builder(server)
            .loginOrRegister(username, PASSWORD)
            .resumeFrom(lastSeen)
            .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
            .answerTimeout(Duration.ofSeconds(20))
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    Chatter chatter = new Chatter(username, client);
    client.connect().join();
    return chatter;
  }

  /** Sends with a fresh clientMsgId; the ack is recorded. */
  CompletableFuture<ServerEvent.Ack> send(String room, String body) {
    return send(new Outbox.Entry(UUID.randomUUID().toString(), room, body, null));
  }

  CompletableFuture<ServerEvent.Ack> send(Outbox.Entry entry) {
    return client
        .send(entry)
        .whenComplete(
            (ack, e) -> {
              if (ack != null) {
                acks.add(ack);
              }
            });
  }

  /** The seqs of the room's messages, in the order they were delivered. */
  List<Long> seqs(String room) {
    return received.stream()
        .filter(m -> m.message().room().equals(room))
        .map(m -> m.message().seq())
        .toList();
  }

  /** The message ids of the room's messages, in the order they were delivered. */
  List<String> messageIds(String room) {
    return received.stream()
        .filter(m -> m.message().room().equals(room))
        .map(m -> m.message().messageId())
        .toList();
  }

  @Override
  public void close() {
    client.close();
  }
}
