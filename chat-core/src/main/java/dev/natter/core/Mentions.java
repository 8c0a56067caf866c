package dev.natter.core;

import dev.natter.core.model.User;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which members a message body mentions: the one place for the rule (as Slack and Mattermost read
 * mentions).
 *
 * <ul>
 *   <li>A mention is {@code @} followed by a name of username characters ({@code A-Z a-z 0-9 _ .
 *       -}). The {@code @} must begin the body or follow a character that cannot be part of a word
 *       or an address (not a letter, digit, {@code _ . - @}): {@code @bob,} {@code (@bob)} {@code
 *       hi @bob!} mention bob; {@code email@bob.com} and {@code x@bob} do not.
 *   <li>{@code @name} mentions the member whose username is {@code name}, ignoring case (as
 *       usernames are unique ignoring case). When no member has that name, trailing {@code .},
 *       {@code -} and {@code _} are dropped one by one ({@code @bob.} at the end of a sentence
 *       mentions bob), but nothing else: {@code @bob.smith} is only {@code bob.smith}. Users who
 *       are not members of the room are never mentioned.
 *   <li>{@code @room} (any case) mentions every member of the room, like Mattermost's
 *       {@code @channel}; a member named {@code room} is one of them anyway.
 *   <li>The sender is never among the mentions: mentioning oneself notifies nobody.
 * </ul>
 *
 * <p>The result holds each member once, in the order of their first mention ({@code @room} adds the
 * members not mentioned yet, in the order given).
 */
final class Mentions {
  /** The word that mentions the whole room. */
  static final String ROOM = "room";

  private Mentions() {}

  /**
   * Whether a body may mention anyone at all: without an {@code @} there is nothing to resolve, and
   * no need to load the room's members.
   */
  static boolean mayMention(String body) {
    return body.indexOf('@') >= 0;
  }

  /**
   * The members {@code body} mentions.
   *
   * @param body the message text
   * @param members the room's members (the sender among them)
   * @param senderId who sends (or edits) the message
   * @return the ids of the mentioned members, each once, in first-mention order, never the sender
   */
  static List<String> resolve(String body, List<User> members, String senderId) {
    if (!mayMention(body)) {
      return List.of();
    }
    Map<String, String> idByName = new HashMap<>();
    for (User member : members) {
      idByName.put(lower(member.username()), member.id());
    }
    Set<String> mentioned = new LinkedHashSet<>();
    int i = body.indexOf('@');
    while (i >= 0) {
      int end = nameEnd(body, i + 1);
      if (end > i + 1 && startsMention(body, i)) {
        String name = lower(body.substring(i + 1, end));
        if (name.equals(ROOM)) {
          members.forEach(m -> mentioned.add(m.id()));
        } else {
          String id = member(idByName, name);
          if (id != null) {
            mentioned.add(id);
          }
        }
      }
      i = body.indexOf('@', Math.max(end, i + 1));
    }
    mentioned.remove(senderId);
    return List.copyOf(new ArrayList<>(mentioned));
  }

  /** The member named {@code name}, trying it without trailing punctuation when it names none. */
  private static String member(Map<String, String> idByName, String name) {
    String candidate = name;
    while (!candidate.isEmpty()) {
      String id = idByName.get(candidate);
      if (id != null) {
        return id;
      }
      char last = candidate.charAt(candidate.length() - 1);
      if (last != '.' && last != '-' && last != '_') {
        return null;
      }
      candidate = candidate.substring(0, candidate.length() - 1);
    }
    return null;
  }

  /** Where the run of username characters that starts at {@code from} ends. */
  private static int nameEnd(String body, int from) {
    int end = from;
    while (end < body.length() && isNameChar(body.charAt(end))) {
      end++;
    }
    return end;
  }

  /** An {@code @} at the start, or after a character that cannot be inside a word or address. */
  private static boolean startsMention(String body, int at) {
    if (at == 0) {
      return true;
    }
    int before = body.codePointBefore(at);
    return !Character.isLetterOrDigit(before) && !isNameChar(before) && before != '@';
  }

  private static boolean isNameChar(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '_'
        || c == '.'
        || c == '-';
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
