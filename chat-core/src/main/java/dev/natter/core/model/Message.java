package dev.natter.core.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A message as clients see it. {@code seq} is the message's place in its room (gapless from 1). A
 * deleted message keeps its seq and has an empty body. {@code reactions} maps an emoji to the ids
 * of the users who reacted with it, in the order they did.
 */
public record Message(
    String room,
    long seq,
    String messageId,
    User sender,
    String body,
    Instant ts,
    String replyTo,
    Instant editedAt,
    boolean deleted,
    Map<String, List<String>> reactions) {
  public Message {
    Objects.requireNonNull(room, "room");
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(ts, "ts");
    reactions = reactions == null ? Map.of() : copyReactions(reactions);
  }

  private static Map<String, List<String>> copyReactions(Map<String, List<String>> reactions) {
    var copy = new java.util.LinkedHashMap<String, List<String>>();
    reactions.forEach(
        (emoji, users) -> {
          if (!users.isEmpty()) {
            copy.put(emoji, List.copyOf(users));
          }
        });
    return java.util.Collections.unmodifiableMap(copy);
  }
}
