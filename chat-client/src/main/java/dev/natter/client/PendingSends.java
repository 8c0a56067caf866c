package dev.natter.client;

import dev.natter.core.ChatException;
import dev.natter.core.protocol.ClientCommand;
import dev.natter.core.protocol.ServerEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Messages sent and not acknowledged yet. Each one waits in the {@link Outbox} until its {@code
 * ack} (or an {@code error}) arrives, and is sent again after every {@code ready} with its original
 * {@code clientMsgId}, which the server answers with the original ack; its future completes once.
 * Event thread only.
 */
final class PendingSends {
  private final Outbox outbox;
  private final Wire wire;
  private final Map<String, CompletableFuture<ServerEvent.Ack>> futures = new HashMap<>();

  PendingSends(Outbox outbox, Wire wire) {
    this.outbox = outbox;
    this.wire = wire;
  }

  /**
   * Puts a message in the outbox and sends it if connected. A second send of the same {@code
   * clientMsgId} takes the first one's place; the first future completes with it.
   */
  void send(Outbox.Entry message, CompletableFuture<ServerEvent.Ack> future) {
    CompletableFuture<ServerEvent.Ack> earlier = futures.put(message.clientMsgId(), future);
    if (earlier != null) {
      future.whenComplete(
          (ack, error) -> {
            if (error != null) {
              earlier.completeExceptionally(error);
            } else {
              earlier.complete(ack);
            }
          });
    }
    outbox.add(message);
    if (wire.isReady()) {
      wire.send(command(message), true);
    }
  }

  void resendAll() {
    for (Outbox.Entry entry : outbox.entries()) {
      wire.send(command(entry), true);
    }
  }

  void acked(ServerEvent.Ack ack) {
    outbox.remove(ack.clientMsgId());
    CompletableFuture<ServerEvent.Ack> future = futures.remove(ack.clientMsgId());
    if (future != null) {
      future.complete(ack);
    }
  }

  /**
   * Takes an error that answers a send: the message leaves the outbox (nothing was stored) and its
   * future fails. Returns true when a future took the error; false when the error was not about a
   * send, or no one waits for that send (then the application should hear of it).
   */
  boolean fail(ServerEvent.Error error) {
    String id = error.id();
    if (id == null || !(futures.containsKey(id) || inOutbox(id))) {
      return false;
    }
    outbox.remove(id);
    CompletableFuture<ServerEvent.Ack> future = futures.remove(id);
    if (future == null) {
      return false;
    }
    future.completeExceptionally(new ChatException(error.code(), error.message()));
    return true;
  }

  /** Fails every future; the messages stay in the outbox for a later session. */
  void failAll(Throwable failure) {
    for (CompletableFuture<ServerEvent.Ack> f : List.copyOf(futures.values())) {
      f.completeExceptionally(failure);
    }
    futures.clear();
  }

  /** Whether no message waits for its ack. */
  boolean isEmpty() {
    return outbox.entries().isEmpty();
  }

  int size() {
    return outbox.entries().size();
  }

  private boolean inOutbox(String clientMsgId) {
    for (Outbox.Entry e : outbox.entries()) {
      if (e.clientMsgId().equals(clientMsgId)) {
        return true;
      }
    }
    return false;
  }

  private static ClientCommand.Send command(Outbox.Entry e) {
    return new ClientCommand.Send(
        e.clientMsgId(), e.room(), e.clientMsgId(), e.body(), e.replyTo());
  }
}
