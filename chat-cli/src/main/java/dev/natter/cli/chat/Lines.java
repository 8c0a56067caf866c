package dev.natter.cli.chat;

import dev.natter.cli.term.FileLabel;
import dev.natter.cli.term.Sanitizer;
import dev.natter.core.model.Message;
import dev.natter.core.model.User;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/**
 * Formats what the terminal client prints: {@code 12:34 #general #12 <alice> hello}. Every piece of
 * text that came from someone else goes through {@link Sanitizer} here.
 */
final class Lines {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");
  private static final String ME_PREFIX = "/me ";

  private final ZoneId zone;

  Lines(ZoneId zone) {
    this.zone = zone;
  }

  /**
   * A message line: time, room, seq, coloured sender, body (continuation lines indented), then its
   * files, one {@code [file: name size id]} each. A message that mentions {@code me} has its body
   * highlighted.
   */
  AttributedString message(Message m, String roomLabel, User me) {
    AttributedStringBuilder b = prefix(m.ts(), roomLabel, m.seq());
    String name = Sanitizer.line(m.sender().username());
    boolean mine = me != null && me.id().equals(m.sender().id());
    AttributedStyle nameStyle = mine ? Palette.ME : Palette.sender(m.sender().id());
    if (m.deleted()) {
      b.styled(nameStyle, "<" + name + ">").append(' ').styled(Palette.DIM, "(deleted)");
      return b.toAttributedString();
    }
    String body = Sanitizer.clean(m.body());
    if (body.startsWith(ME_PREFIX)) {
      b.styled(Palette.DIM, "* ").styled(nameStyle, name).append(' ');
      body = body.substring(ME_PREFIX.length());
    } else {
      b.styled(nameStyle, "<" + name + ">").append(' ');
    }
    boolean mentioned = !mine && mentions(m, me);
    appendBody(b, body, mentioned ? Palette.MENTION : AttributedStyle.DEFAULT);
    for (int i = 0; i < m.files().size(); i++) {
      if (i > 0 || !body.isEmpty()) {
        b.append("\n      ");
      }
      b.styled(Palette.FILE, FileLabel.of(m.files().get(i)));
    }
    if (m.editedAt() != null) {
      b.append(' ').styled(Palette.DIM, "(edited)");
    }
    if (!m.reactions().isEmpty()) {
      b.append(' ').styled(Palette.DIM, reactions(m.reactions()));
    }
    return b.toAttributedString();
  }

  /** Whether a message mentions {@code me} (by name or {@code @room}, as the server resolved). */
  static boolean mentions(Message m, User me) {
    return me != null && m.mentions().contains(me.id());
  }

  /** A line that says a message changed: edited, deleted or reactions. */
  AttributedString updated(
      Message before,
      Message after,
      String roomLabel,
      User me,
      Function<String, String> nameOfUserId) {
    AttributedStringBuilder b = prefix(null, roomLabel, after.seq());
    if (after.deleted()) {
      b.styled(Palette.DIM, "message deleted");
      if (before != null && !before.deleted()) {
        b.styled(Palette.DIM, " (was: " + shorten(Sanitizer.line(before.body()), 40) + ")");
      }
      return b.toAttributedString();
    }
    boolean bodyChanged = before == null || !before.body().equals(after.body());
    if (bodyChanged && after.editedAt() != null) {
      String who = Sanitizer.line(after.sender().username());
      b.styled(Palette.DIM, who + " edited: ");
      boolean mentioned = me != null && !me.id().equals(after.sender().id()) && mentions(after, me);
      appendBody(
          b, Sanitizer.clean(after.body()), mentioned ? Palette.MENTION : AttributedStyle.DEFAULT);
      return b.toAttributedString();
    }
    b.styled(Palette.DIM, "reactions: ");
    if (after.reactions().isEmpty()) {
      b.styled(Palette.DIM, "none");
    } else {
      boolean first = true;
      for (Map.Entry<String, List<String>> r : after.reactions().entrySet()) {
        if (!first) {
          b.append("  ");
        }
        first = false;
        b.append(Sanitizer.line(r.getKey())).append(' ');
        StringBuilder names = new StringBuilder();
        for (String userId : r.getValue()) {
          if (names.length() > 0) {
            names.append(',');
          }
          names.append(Sanitizer.line(nameOfUserId.apply(userId)));
        }
        b.styled(Palette.DIM, names.toString());
      }
    }
    return b.toAttributedString();
  }

  /** A line of the client's own: a notice, dimmed. */
  AttributedString notice(String text) {
    return new AttributedStringBuilder()
        .styled(Palette.NOTICE, "-- ")
        .append(text)
        .toAttributedString();
  }

  AttributedString ok(String text) {
    return new AttributedStringBuilder()
        .styled(Palette.OK, "-- ")
        .append(text)
        .toAttributedString();
  }

  AttributedString error(String text) {
    return new AttributedStringBuilder()
        .styled(Palette.ERROR, "!! ")
        .styled(Palette.ERROR, text)
        .toAttributedString();
  }

  /** A message of mine waiting in the outbox (not acknowledged yet). */
  AttributedString queued(String roomLabel, User me, String body) {
    AttributedStringBuilder b = prefix(Instant.now(), roomLabel, -1);
    b.styled(Palette.WARN, "(queued) ")
        .styled(Palette.ME, "<" + Sanitizer.line(me.username()) + ">")
        .append(' ');
    appendBody(b, Sanitizer.clean(body));
    return b.toAttributedString();
  }

  private AttributedStringBuilder prefix(Instant ts, String roomLabel, long seq) {
    AttributedStringBuilder b = new AttributedStringBuilder();
    if (ts != null) {
      b.styled(Palette.DIM, TIME.format(ts.atZone(zone))).append(' ');
    } else {
      b.append("     ").append(' '); // under the time column
    }
    b.styled(Palette.ROOM, roomLabel).append(' ');
    if (seq > 0) {
      b.styled(Palette.DIM, "#" + seq).append(' ');
    }
    return b;
  }

  private static void appendBody(AttributedStringBuilder b, String body) {
    appendBody(b, body, AttributedStyle.DEFAULT);
  }

  private static void appendBody(AttributedStringBuilder b, String body, AttributedStyle style) {
    String[] lines = body.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (i > 0) {
        b.append("\n      ");
      }
      b.styled(style, lines[i].replace("\t", "    "));
    }
  }

  static String reactions(Map<String, List<String>> reactions) {
    StringBuilder sb = new StringBuilder("[");
    boolean first = true;
    for (Map.Entry<String, List<String>> r : reactions.entrySet()) {
      if (!first) {
        sb.append(' ');
      }
      first = false;
      sb.append(Sanitizer.line(r.getKey())).append(r.getValue().size());
    }
    return sb.append(']').toString();
  }

  static String shorten(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
