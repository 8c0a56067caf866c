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

  /**
   * A message to send.
   *
   * @param clientMsgId its client-chosen id (at most 64 characters, unique per user)
   * @param room the room id
   * @param body the text (may be empty when there are files)
   * @param replyTo the {@code messageId} of the message it answers, or null
   * @param files the ids of files uploaded to the room to send with it, in order; empty for none
   */
  record Entry(String clientMsgId, String room, String body, String replyTo, List<String> files) {
    /**
     * Checks that the id, the room and the body are given, and copies the files.
     *
     * @param clientMsgId its client-chosen id
     * @param room the room id
     * @param body the text
     * @param replyTo the message it answers, or null
     * @param files the file ids, or null for none
     */
    public Entry {
      Objects.requireNonNull(clientMsgId, "clientMsgId");
      Objects.requireNonNull(room, "room");
      Objects.requireNonNull(body, "body");
      files = files == null ? List.of() : List.copyOf(files);
    }

    /**
     * A message without files.
     *
     * @param clientMsgId its client-chosen id
     * @param room the room id
     * @param body the text
     * @param replyTo the message it answers, or null
     */
    public Entry(String clientMsgId, String room, String body, String replyTo) {
      this(clientMsgId, room, body, replyTo, null);
    }
  }

  /**
   * Adds an entry (an entry with the same {@code clientMsgId} is replaced).
   *
   * @param entry the message
   */
  void add(Entry entry);

  /**
   * Removes the entry with this id, if any.
   *
   * @param clientMsgId the message's id
   */
  void remove(String clientMsgId);

  /**
   * The pending entries, oldest first.
   *
   * @return a snapshot
   */
  List<Entry> entries();

  /**
   * An outbox in memory: pending messages survive reconnects, not a restart of the program.
   *
   * @return a new, empty outbox
   */
  static Outbox inMemory() {
    return new InMemoryOutbox();
  }

  /**
   * An outbox kept in a file (JSON lines, rewritten atomically on every change), so pending
   * messages survive a restart of the program. The file is created when needed.
   *
   * @param path the file
   * @return the outbox, holding what the file holds
   * @throws java.io.UncheckedIOException when the file cannot be read
   */
  static Outbox file(java.nio.file.Path path) {
    return new FileOutbox(path);
  }
}
