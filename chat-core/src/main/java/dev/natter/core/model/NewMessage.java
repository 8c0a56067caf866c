package dev.natter.core.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the engine asks a store to append: the store assigns the seq in its commit.
 *
 * @param room the room's id
 * @param messageId the new message's id
 * @param sender who sent it
 * @param clientMsgId the sender's id for this send ({@code (sender, clientMsgId)} is unique), or
 *     null
 * @param body the text
 * @param replyTo the id of the message this one answers, or null
 * @param ts when the server received it
 * @param files the files sent with it (uploaded by the sender to this room, not sent before)
 * @param mentions the ids of the members the body mentions
 */
public record NewMessage(
    String room,
    String messageId,
    User sender,
    String clientMsgId,
    String body,
    String replyTo,
    Instant ts,
    List<FileInfo> files,
    List<String> mentions) {
  /**
   * Copies the files and mentions.
   *
   * @param room the room's id
   * @param messageId the new message's id
   * @param sender who sent it
   * @param clientMsgId the sender's id for this send, or null
   * @param body the text
   * @param replyTo the id of the message this one answers, or null
   * @param ts when the server received it
   * @param files the files sent with it, or null for none
   * @param mentions the ids of the members it mentions, or null for none
   */
  public NewMessage {
    files = files == null ? List.of() : List.copyOf(files);
    mentions = mentions == null ? List.of() : List.copyOf(mentions);
  }

  /**
   * A message without files or mentions.
   *
   * @param room the room's id
   * @param messageId the new message's id
   * @param sender who sent it
   * @param clientMsgId the sender's id for this send, or null
   * @param body the text
   * @param replyTo the id of the message this one answers, or null
   * @param ts when the server received it
   */
  public NewMessage(
      String room,
      String messageId,
      User sender,
      String clientMsgId,
      String body,
      String replyTo,
      Instant ts) {
    this(room, messageId, sender, clientMsgId, body, replyTo, ts, null, null);
  }

  /**
   * The message as it is once stored at {@code seq}: not edited, not deleted, no reactions.
   *
   * @param seq the room's seq the store assigned in its commit
   * @return the stored message
   */
  public Message stored(long seq) {
    return new Message(
        room, seq, messageId, sender, body, ts, replyTo, null, false, Map.of(), files, mentions);
  }
}
