package dev.natter.core.spi;

import dev.natter.core.model.Message;
import dev.natter.core.model.Room;
import dev.natter.core.model.User;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a store offers, when it can, to move everything it holds to another store without loss
 * (sessions excepted): what {@code natter admin export} and {@code import} use. It is optional: a
 * {@link ChatStore} implements it too when it supports export and import, and a caller checks
 * ({@code store instanceof StoreTransfer}) and says so clearly when it does not.
 *
 * <p>Beyond the {@link ChatStore} methods, an export needs every user with what only the store
 * knows of them, every room (also those without members), and each message with its {@code
 * clientMsgId}; an import needs a way to store a message exactly as it was. Users are restored with
 * {@link UserStore#createUser} and {@link UserStore#updateLastSeen}, rooms with {@link
 * RoomStore#createRoom}, {@link MembershipStore#addMember}, {@link MembershipStore#markRead} and
 * {@link MembershipStore#setNotifyLevel}.
 *
 * <p>The three export reads page by key: pass the last id (or seq) of one page to get the next. Ids
 * are compared by Unicode code point (as UTF-8 bytes compare), the same on every store, so an
 * export lists things in the same order whatever store it comes from.
 */
public interface StoreTransfer {

  /**
   * A user as an export holds it.
   *
   * @param user the account
   * @param passwordHash the stored password hash
   * @param createdAt when the account was created
   * @param lastSeen when the user was last online, null if never
   */
  record ExportedUser(User user, String passwordHash, Instant createdAt, Instant lastSeen) {
    /**
     * Checks that everything but {@code lastSeen} is there.
     *
     * @param user the account
     * @param passwordHash the stored password hash
     * @param createdAt when the account was created
     * @param lastSeen when the user was last online, null if never
     */
    public ExportedUser {
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(passwordHash, "passwordHash");
      Objects.requireNonNull(createdAt, "createdAt");
    }
  }

  /**
   * A message as an export holds it and as {@link #importMessages} stores it.
   *
   * @param message the message with its seq, state and reactions
   * @param clientMsgId the id its client sent it with, null if none
   */
  record ExportedMessage(Message message, String clientMsgId) {
    /**
     * Checks that the message is there.
     *
     * @param message the message with its seq, state and reactions
     * @param clientMsgId the id its client sent it with, null if none
     */
    public ExportedMessage {
      Objects.requireNonNull(message, "message");
    }
  }

  /**
   * A page of every user, each with password hash, {@code createdAt} and last seen.
   *
   * @param afterUserId the last id of the previous page, null for the first page
   * @param limit the most users to return
   * @return up to {@code limit} users with an id after {@code afterUserId}, ordered by id
   */
  List<ExportedUser> exportUsers(String afterUserId, int limit);

  /**
   * A page of every room, including rooms without members or messages.
   *
   * @param afterRoomId the last id of the previous page, null for the first page
   * @param limit the most rooms to return
   * @return up to {@code limit} rooms with an id after {@code afterRoomId}, ordered by id
   */
  List<Room> exportRooms(String afterRoomId, int limit);

  /**
   * A page of a room's messages, each with its {@code clientMsgId}.
   *
   * @param roomId the room's id
   * @param afterSeq the last seq of the previous page, 0 for the first page
   * @param limit the most messages to return
   * @return up to {@code limit} messages with seq above {@code afterSeq}, in ascending seq order
   *     (as {@link MessageStore#messagesAfter}); empty if there is no such room
   */
  List<ExportedMessage> exportMessages(String roomId, long afterSeq, int limit);

  /**
   * Stores messages exactly as given, for an import: seq, messageId, sender (by id), clientMsgId,
   * body, ts, replyTo, editedAt, deleted, reactions (emojis and, per emoji, users in the order
   * given) and mentions (in the order given). All of them in one transaction: when this returns
   * they are committed, and if it throws none of them is stored.
   *
   * <p>Each message must take its room's next seq ({@link MessageStore#lastSeq} + 1, counting the
   * messages before it in the list), so a room's messages go in seq order. A resend of an imported
   * {@code clientMsgId} afterwards is a duplicate of the imported message, as for {@link
   * MessageStore#append}. No {@code onCommitted} callback runs: this restores data, it is not a
   * send. Read markers are not moved.
   *
   * <p>Each message is checked in this order, and the first broken rule fails the whole list: its
   * room exists ({@link StoreErrors#noSuchRoom()}), its seq is the room's next ({@link
   * StoreErrors#seqNotNext}), its messageId is free ({@link StoreErrors#messageIdTaken()}), its
   * {@code (sender, clientMsgId)} is free ({@link StoreErrors#clientMsgIdTaken()}), its sender,
   * every reacting user and every mentioned user exist ({@link StoreErrors#noSuchUser()}).
   *
   * @param messages the messages to store, in seq order within each room
   * @throws dev.natter.core.ChatException.Conflict for a wrong seq or a taken id
   * @throws dev.natter.core.ChatException.NotFound for a missing room, sender or reacting user
   */
  void importMessages(List<ExportedMessage> messages);
}
