package dev.natter.client;

import dev.natter.core.ChatException;
import dev.natter.core.protocol.ClientCommand;
import dev.natter.core.protocol.ServerEvent;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Messages sent and not acknowledged yet. Each one waits in the {@link Outbox} until its {@code
 * ack} (or an {@code error}) arrives, and is sent again after every {@code ready} with its original
 * {@code clientMsgId}, which the server answers with the original ack; its future completes once.
 * At most {@link #WINDOW} sends, and {@link #WINDOW_BYTES} of their text, are on the wire
 * unanswered at a time (a bigger message goes alone); the rest wait in the outbox and go out as
 * answers come. So a long outbox does not flood a fresh connection, and the server never has more
 * than about one full frame of ours to buffer (its read buffer holds one frame and a little more).
 * Event thread only.
 */
final class PendingSends {
  /** How many sends may wait for their answer on one connection. */
  static final int WINDOW = 64;

  /** How many bytes of message text may wait for their answer (one bigger message may go alone). */
  static final long WINDOW_BYTES = 32 * 1024;

  private final Outbox outbox;
  private final Wire wire;
  private final Map<String, CompletableFuture<ServerEvent.Ack>> futures = new HashMap<>();
  private final Map<String, Long> onTheWire = new LinkedHashMap<>();
  private long bytesOnTheWire;

  PendingSends(Outbox outbox, Wire wire) {
    this.outbox = outbox;
    this.wire = wire;
  }

  /**
   * Puts a message in the outbox and sends it if connected (and the window allows). A second send
   * of the same {@code clientMsgId} takes the first one's place; the first future completes with
   * it.
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
    if (wire.isReady() && onTheWire.containsKey(message.clientMsgId())) {
      wire.send(command(message), true); // the same id again: the server answers with one ack
    } else {
      fillWindow();
    }
  }

  /** After a {@code ready}: nothing is on the new connection yet; sends go out again. */
  void connected() {
    onTheWire.clear();
    bytesOnTheWire = 0;
    fillWindow();
  }

  void acked(ServerEvent.Ack ack) {
    outbox.remove(ack.clientMsgId());
    answered(ack.clientMsgId());
    CompletableFuture<ServerEvent.Ack> future = futures.remove(ack.clientMsgId());
    if (future != null) {
      future.complete(ack);
    }
    fillWindow();
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
    answered(id);
    fillWindow();
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

  /** Whether a send on the current connection waits for its answer. */
  boolean awaitingAnswers() {
    return !onTheWire.isEmpty();
  }

  /** Messages waiting in the outbox. */
  int size() {
    return outbox.entries().size();
  }

  private void answered(String clientMsgId) {
    Long bytes = onTheWire.remove(clientMsgId);
    if (bytes != null) {
      bytesOnTheWire -= bytes;
    }
  }

  /** Sends the oldest messages not on the wire yet, while the window has room. */
  private void fillWindow() {
    if (!wire.isReady()) {
      return;
    }
    for (Outbox.Entry entry : outbox.entries()) {
      if (onTheWire.containsKey(entry.clientMsgId())) {
        continue;
      }
      long bytes = utf8Length(entry.body());
      boolean fits =
          onTheWire.isEmpty()
              || (onTheWire.size() < WINDOW && bytesOnTheWire + bytes <= WINDOW_BYTES);
      if (!fits) {
        return;
      }
      onTheWire.put(entry.clientMsgId(), bytes);
      bytesOnTheWire += bytes;
      wire.send(command(entry), true);
    }
  }

  /** The length of {@code s} in UTF-8, without encoding it. */
  static long utf8Length(String s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      n += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
    }
    return n;
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
        e.clientMsgId(),
        e.room(),
        e.clientMsgId(),
        e.body(),
        e.replyTo(),
        e.files().isEmpty() ? null : e.files());
  }
}
