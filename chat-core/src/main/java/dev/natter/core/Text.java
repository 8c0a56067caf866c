package dev.natter.core;

import dev.natter.core.protocol.ClientCommand;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one rule for text that is not well-formed Unicode: a lone UTF-16 surrogate (half of a pair
 * without its other half) cannot be encoded as UTF-8, so it becomes U+FFFD (the replacement
 * character) before anything validates, stores or sends it. Every string field of every command
 * passes through here once; transports may use it as a last resort before writing text.
 */
public final class Text {
  /** U+FFFD, what a lone surrogate becomes. */
  public static final char REPLACEMENT = '\uFFFD';

  private Text() {}

  /**
   * Replaces every lone surrogate by U+FFFD; well-formed text is returned as is (same instance).
   *
   * @param text any text, or null
   * @return the text with lone surrogates replaced, or null for null
   */
  public static String sanitize(String text) {
    if (text == null) {
      return null;
    }
    int bad = firstLoneSurrogate(text);
    if (bad < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    out.append(text, 0, bad);
    for (int i = bad, len = text.length(); i < len; i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < len
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        out.append(c).append(text.charAt(++i));
      } else {
        out.append(Character.isSurrogate(c) ? REPLACEMENT : c);
      }
    }
    return out.toString();
  }

  private static int firstLoneSurrogate(String text) {
    for (int i = 0, len = text.length(); i < len; i++) {
      char c = text.charAt(i);
      if (!Character.isSurrogate(c)) {
        continue;
      }
      if (Character.isHighSurrogate(c)
          && i + 1 < len
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else {
        return i;
      }
    }
    return -1;
  }

  /** The command with every string field sanitized. */
  static ClientCommand sanitize(ClientCommand command) {
    if (command instanceof ClientCommand.Send c) {
      return new ClientCommand.Send(
          sanitize(c.id()),
          sanitize(c.room()),
          sanitize(c.clientMsgId()),
          sanitize(c.body()),
          sanitize(c.replyTo()),
          c.files() == null ? null : c.files().stream().map(Text::sanitize).toList());
    } else if (command instanceof ClientCommand.Edit c) {
      return new ClientCommand.Edit(
          sanitize(c.id()), sanitize(c.room()), sanitize(c.messageId()), sanitize(c.body()));
    } else if (command instanceof ClientCommand.Delete c) {
      return new ClientCommand.Delete(
          sanitize(c.id()), sanitize(c.room()), sanitize(c.messageId()));
    } else if (command instanceof ClientCommand.React c) {
      return new ClientCommand.React(
          sanitize(c.id()),
          sanitize(c.room()),
          sanitize(c.messageId()),
          sanitize(c.emoji()),
          c.on());
    } else if (command instanceof ClientCommand.Typing c) {
      return new ClientCommand.Typing(sanitize(c.room()), c.active());
    } else if (command instanceof ClientCommand.Read c) {
      return new ClientCommand.Read(sanitize(c.room()), c.seq());
    } else if (command instanceof ClientCommand.Sync c) {
      Map<String, Long> rooms = new TreeMap<>();
      c.rooms().forEach((room, seq) -> rooms.merge(sanitize(room), seq, Math::max));
      return new ClientCommand.Sync(sanitize(c.id()), rooms);
    } else if (command instanceof ClientCommand.History c) {
      return new ClientCommand.History(sanitize(c.id()), sanitize(c.room()), c.before(), c.limit());
    }
    return command;
  }
}
