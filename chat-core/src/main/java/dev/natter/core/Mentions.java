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
    int longest = ROOM.length();
    for (User member : members) {
      idByName.put(lower(member.username()), member.id());
      longest = Math.max(longest, member.username().length());
    }
    Set<String> mentioned = new LinkedHashSet<>();
    int i = body.indexOf('@');
    while (i >= 0) {
      int end = nameEnd(body, i + 1);
      if (end > i + 1 && startsMention(body, i)) {
        String name = knownName(idByName, longest, lower(body.substring(i + 1, end)));
        if (ROOM.equals(name)) {
          members.forEach(m -> mentioned.add(m.id()));
        } else if (name != null) {
          mentioned.add(idByName.get(name));
        }
      }
      i = body.indexOf('@', Math.max(end, i + 1));
    }
    mentioned.remove(senderId);
    return List.copyOf(new ArrayList<>(mentioned));
  }

  /**
   * {@code name} if it is {@link #ROOM} or a member's (lower-case) username, else the same for
   * {@code name} without its trailing punctuation; null if none. {@code longest} is the length of
   * the longest of those names.
   */
  private static String knownName(Map<String, String> idByName, int longest, String name) {
    int len = name.length();
    while (len > longest && isTrailing(name.charAt(len - 1))) {
      len--; // no name is this long: skip straight to the lengths a name can have
    }
    for (; len > 0; len--) {
      String candidate = name.substring(0, len);
      if (candidate.equals(ROOM) || idByName.containsKey(candidate)) {
        return candidate;
      }
      if (!isTrailing(candidate.charAt(len - 1))) {
        return null;
      }
    }
    return null;
  }

  private static boolean isTrailing(char c) {
    return c == '.' || c == '-' || c == '_';
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
