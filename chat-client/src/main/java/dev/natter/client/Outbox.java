package dev.natter.client;

import java.util.List;
import java.util.Objects;

/**
 * The messages a {@link ChatClient} has sent but the server has not acknowledged yet. An entry is
 * added before the {@code send} frame goes out and removed when its {@code ack} (or an {@code
 * error}) arrives; after a reconnect, every entry is sent again with the same {@code clientMsgId},
 * which the server answers with the original ack instead of storing a second copy.
 *
 * <p>The default, {@link #inMemory()}, lives as long as the client. An implementation that keeps
 * its entries in a file (see {@link #file(java.nio.file.Path)}) lets a program resend after a
 * restart: pass it to a new client with {@link ChatClientBuilder#outbox(Outbox)}.
 *
 * <p>The client calls these methods from its event thread, one at a time; other threads may call
 * {@link #entries()} to show what is pending, so implementations must be thread-safe.
 */
public interface Outbox {

  /** A message to send: its client-chosen id, the room, the text and the message it answers. */
  record Entry(String clientMsgId, String room, String body, String replyTo) {
    public Entry {
      Objects.requireNonNull(clientMsgId, "clientMsgId");
      Objects.requireNonNull(room, "room");
      Objects.requireNonNull(body, "body");
    }
  }

  /** Adds an entry (an entry with the same {@code clientMsgId} is replaced). */
  void add(Entry entry);

  /** Removes the entry with this id, if any. */
  void remove(String clientMsgId);

  /** The pending entries, oldest first. */
  List<Entry> entries();

  /** An outbox in memory: pending messages survive reconnects, not a restart of the program. */
  static Outbox inMemory() {
    return new InMemoryOutbox();
  }

  /**
   * An outbox kept in a file (JSON lines, rewritten atomically on every change), so pending
   * messages survive a restart of the program. The file is created when needed.
   */
  static Outbox file(java.nio.file.Path path) {
    return new FileOutbox(path);
  }
}
