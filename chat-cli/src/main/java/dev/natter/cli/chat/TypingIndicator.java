package dev.natter.cli.chat;

import dev.natter.client.ChatClient;

/**
 * Tells the current room that I am typing while I type a message (not a command): at the first key,
 * then at most every few seconds, and again at once in another room.
 */
final class TypingIndicator {
  private static final long RESEND_MS = 3_000;

  private final Connection connection;
  private final RoomBook book;
  private volatile long lastSent;
  private volatile String lastRoom;

  TypingIndicator(Connection connection, RoomBook book) {
    this.connection = connection;
    this.book = book;
  }

  /** A key was typed; {@code buffer} is the line being edited. */
  void keyTyped(String buffer) {
    ChatClient c = connection.client();
    String room = book.current();
    if (c == null || room == null || buffer.startsWith("/") || buffer.isBlank()) {
      return;
    }
    long now = System.currentTimeMillis();
    if (now - lastSent > RESEND_MS || !room.equals(lastRoom)) {
      lastSent = now;
      lastRoom = room;
      c.typing(room, true);
    }
  }

  /** A message went out: the next key counts as starting to type again. */
  void messageSent() {
    lastSent = 0;
  }
}
