package dev.natter.cli.chat;

import dev.natter.cli.term.Sanitizer;
import dev.natter.client.ConnectionState;
import dev.natter.core.model.User;
import java.util.List;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/**
 * The status line at the bottom: the connection, who I am, the current room, unread counts of the
 * other rooms ({@code #general(3 @1)}: 3 unread, 1 of them mentions me), who is typing and how many
 * messages are queued, cut to the terminal's width.
 */
final class StatusLine {
  private final SessionState session;
  private final RoomBook book;

  StatusLine(SessionState session, RoomBook book) {
    this.session = session;
    this.book = book;
  }

  AttributedString render(int width) {
    AttributedStringBuilder b = new AttributedStringBuilder();
    connection(b);
    User me = book.me();
    if (me != null) {
      b.append(' ').append(Sanitizer.line(me.username()));
    }
    String current = book.current();
    b.append(" | ").styled(Palette.ROOM, current == null ? "(no room)" : book.label(current));
    StringBuilder unread = new StringBuilder();
    for (RoomBook.Entry e : book.all()) {
      if (e.unread > 0 && !e.id().equals(current)) {
        unread.append(unread.length() == 0 ? "" : " ").append(e.label).append('(');
        unread.append(e.unread);
        if (e.mentions > 0) {
          unread.append(" @").append(e.mentions);
        }
        unread.append(')');
      }
    }
    if (unread.length() > 0) {
      b.append(" | unread: ").styled(AttributedStyle.BOLD, unread.toString());
    }
    if (current != null) {
      List<String> typing = book.typingIn(current, System.currentTimeMillis());
      if (!typing.isEmpty()) {
        b.append(" | ")
            .styled(
                Palette.DIM,
                String.join(", ", typing) + (typing.size() == 1 ? " is typing…" : " are typing…"));
      }
    }
    int pending = session.queued();
    if (pending > 0) {
      b.append(" | ").styled(Palette.WARN, pending + " queued");
    }
    AttributedString full = b.toAttributedString();
    return width > 1 && full.columnLength() > width - 1
        ? full.columnSubSequence(0, width - 1)
        : full;
  }

  private void connection(AttributedStringBuilder b) {
    ConnectionState s = session.connection;
    if (session.needLogin) {
      b.styled(Palette.ERROR, "[signed out: /login]");
    } else if (s == ConnectionState.CONNECTED) {
      b.styled(Palette.OK, "[online]");
    } else if (s == ConnectionState.RECONNECTING) {
      b.styled(Palette.WARN, "[reconnecting]");
    } else {
      String what =
          session.everConnected
              ? "offline"
              : session.connectFailures > 0 ? "offline: retrying" : "connecting";
      b.styled(Palette.WARN, "[" + what + "]");
    }
  }
}
