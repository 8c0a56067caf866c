package dev.natter.core.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A message as clients see it. {@code seq} is the message's place in its room (gapless from 1). A
 * deleted message keeps its seq and has an empty body. {@code reactions} maps an emoji to the ids
 * of the users who reacted with it, in the order they did. {@code files} are the files sent with it
 * and {@code mentions} the ids of the members its body mentions (resolved by the server).
 *
 * @param room the room's id
 * @param seq the message's place in the room, from 1
 * @param messageId the message's id
 * @param sender who sent it
 * @param body the text; empty once deleted
 * @param ts when it was stored
 * @param replyTo the id of the message it answers, or null
 * @param editedAt when it was last edited, or null
 * @param deleted whether it was deleted
 * @param reactions emoji to the ids of the users who reacted with it
 * @param files the files sent with it, in the order they were attached
 * @param mentions the ids of the members it mentions, each once
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
    Map<String, List<String>> reactions,
    List<FileInfo> files,
    List<String> mentions) {
  /**
   * Checks the required parts and copies the reactions (emojis nobody uses are dropped), the files
   * and the mentions.
   *
   * @param room the room's id
   * @param seq the message's place in the room
   * @param messageId the message's id
   * @param sender who sent it
   * @param body the text
   * @param ts when it was stored
   * @param replyTo the id of the message it answers, or null
   * @param editedAt when it was last edited, or null
   * @param deleted whether it was deleted
   * @param reactions emoji to user ids, or null for none
   * @param files the files sent with it, or null for none
   * @param mentions the ids of the members it mentions, or null for none
   * @throws NullPointerException for a missing room, id, sender, body or time
   */
  public Message {
    Objects.requireNonNull(room, "room");
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(sender, "sender");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(ts, "ts");
    reactions = reactions == null ? Map.of() : copyReactions(reactions);
    files = files == null ? List.of() : List.copyOf(files);
    mentions = mentions == null ? List.of() : List.copyOf(mentions);
  }

  /**
   * A message without files or mentions.
   *
   * @param room the room's id
   * @param seq the message's place in the room
   * @param messageId the message's id
   * @param sender who sent it
   * @param body the text
   * @param ts when it was stored
   * @param replyTo the id of the message it answers, or null
   * @param editedAt when it was last edited, or null
   * @param deleted whether it was deleted
   * @param reactions emoji to user ids, or null for none
   */
  public Message(
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
    this(room, seq, messageId, sender, body, ts, replyTo, editedAt, deleted, reactions, null, null);
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
