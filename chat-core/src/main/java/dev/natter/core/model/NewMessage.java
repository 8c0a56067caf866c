package dev.natter.core.model;

import java.time.Instant;
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
 */
public record NewMessage(
    String room,
    String messageId,
    User sender,
    String clientMsgId,
    String body,
    String replyTo,
    Instant ts) {

  /**
   * The message as it is once stored at {@code seq}: not edited, not deleted, no reactions.
   *
   * @param seq the room's seq the store assigned in its commit
   * @return the stored message
   */
  public Message stored(long seq) {
    return new Message(room, seq, messageId, sender, body, ts, replyTo, null, false, Map.of());
  }
}
