package dev.natter.core.spi;

import dev.natter.core.model.AppendResult;
import dev.natter.core.model.Message;
import dev.natter.core.model.NewMessage;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The messages of every room: appended with the room's next seq, edited, deleted, reacted to, and
 * read back in pages of seq order. Part of {@link ChatStore}; failures are reported as {@link
 * StoreErrors} describes.
 */
public interface MessageStore {

  /**
   * Appends a message, assigning the room's next seq in the same transaction that stores it.
   *
   * <p>The message's {@code mentions} are stored with it, in the same transaction, in their order.
   *
   * <p>If {@code (sender, clientMsgId)} is already stored, nothing is written and the future
   * completes with the original message and {@code duplicate = true}.
   *
   * <p>{@code onCommitted} is called once for a newly stored message, after its commit and before
   * the future completes, on the store's committing thread, in seq order for each room (and never
   * concurrently for one room). It must not block. It is not called for duplicates or failures.
   *
   * <p>The future completes only after the commit; if the commit fails it completes exceptionally
   * and nothing of the message is stored. Failures fail the future rather than throw: a missing
   * room ({@link StoreErrors#noSuchRoom()}), sender or mentioned user ({@link
   * StoreErrors#noSuchUser()}), a taken message id ({@link StoreErrors#messageIdTaken()}), a closed
   * store ({@link StoreErrors#closed()}).
   *
   * @param message what to store
   * @param onCommitted told of the stored message once it is committed
   * @return the stored message (or the original of a resend), once committed
   */
  CompletableFuture<AppendResult> append(NewMessage message, Consumer<Message> onCommitted);

  /**
   * Finds a message of a room, deleted or not.
   *
   * @param roomId the room's id
   * @param messageId the message's id
   * @return the message, or empty if the room has no message with this id
   */
  Optional<Message> findMessage(String roomId, String messageId);

  /**
   * Replaces a message's body with one that mentions nobody, and sets {@code editedAt}: {@link
   * #editMessage(String, String, String, List, Instant)} without mentions.
   *
   * @param roomId the room's id
   * @param messageId the message's id
   * @param body the new body
   * @param editedAt when it was edited
   * @return the updated message
   * @throws dev.natter.core.ChatException.NotFound if the room has no such message ({@link
   *     StoreErrors#noSuchMessage()}) or it was deleted ({@link StoreErrors#messageDeleted()})
   */
  default Message editMessage(String roomId, String messageId, String body, Instant editedAt) {
    return editMessage(roomId, messageId, body, List.of(), editedAt);
  }

  /**
   * Replaces a message's body and the members it mentions, and sets {@code editedAt}, in one
   * transaction.
   *
   * @param roomId the room's id
   * @param messageId the message's id
   * @param body the new body
   * @param mentions the ids of the members the new body mentions, each once, in order
   * @param editedAt when it was edited
   * @return the updated message
   * @throws dev.natter.core.ChatException.NotFound if the room has no such message ({@link
   *     StoreErrors#noSuchMessage()}), it was deleted ({@link StoreErrors#messageDeleted()}), or a
   *     mentioned user does not exist ({@link StoreErrors#noSuchUser()})
   */
  Message editMessage(
      String roomId, String messageId, String body, List<String> mentions, Instant editedAt);

  /**
   * Marks a message deleted: empty body, no reactions, no mentions, seq kept. Deleting it again
   * changes nothing.
   *
   * @param roomId the room's id
   * @param messageId the message's id
   * @return the updated message
   * @throws dev.natter.core.ChatException.NotFound if the room has no such message ({@link
   *     StoreErrors#noSuchMessage()})
   */
  Message deleteMessage(String roomId, String messageId);

  /**
   * Adds ({@code on}) or removes a reaction, idempotently.
   *
   * @param roomId the room's id
   * @param messageId the message's id
   * @param userId who reacts
   * @param emoji the reaction
   * @param on true to add it, false to remove it
   * @return the updated message
   * @throws dev.natter.core.ChatException.NotFound if the room has no such message ({@link
   *     StoreErrors#noSuchMessage()}), it was deleted ({@link StoreErrors#messageDeleted()}), or
   *     the user to add does not exist ({@link StoreErrors#noSuchUser()})
   */
  Message react(String roomId, String messageId, String userId, String emoji, boolean on);

  /**
   * The newest seq of a room.
   *
   * @param roomId the room's id
   * @return its last message's seq, 0 if it has no messages (or there is no such room)
   */
  long lastSeq(String roomId);

  /**
   * A page of history going back.
   *
   * @param roomId the room's id
   * @param beforeSeq only messages with a seq below this one; null for the newest
   * @param limit the most messages to return
   * @return up to {@code limit} messages, the newest ones below {@code beforeSeq}, in ascending seq
   *     order; empty if there is no such room
   */
  List<Message> messagesBefore(String roomId, Long beforeSeq, int limit);

  /**
   * A page of history going forward (what a client missed).
   *
   * @param roomId the room's id
   * @param afterSeq only messages with a seq above this one
   * @param limit the most messages to return
   * @return up to {@code limit} messages with seq above {@code afterSeq}, in ascending seq order;
   *     empty if there is no such room
   */
  List<Message> messagesAfter(String roomId, long afterSeq, int limit);
}
