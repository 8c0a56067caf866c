package dev.natter.core.spi;

import dev.natter.core.ChatException;

/**
 * The failures a store reports, with the same message whatever the store, so what a client reads
 * never depends on (or reveals) the database behind it: no SQL, no constraint or table names. A
 * store keeps its own detail (a driver's exception, say) as the failure's cause, for the server log
 * ({@link #withCause}).
 *
 * <p>The store contract suite holds every store to these exact messages.
 */
public final class StoreErrors {
  private StoreErrors() {}

  /**
   * Another user has this username (ignoring case).
   *
   * @return a {@code Conflict}: "username already taken"
   */
  public static ChatException.Conflict usernameTaken() {
    return new ChatException.Conflict("username already taken");
  }

  /**
   * Another user has this id.
   *
   * @return a {@code Conflict}: "a user with this id already exists"
   */
  public static ChatException.Conflict userIdTaken() {
    return new ChatException.Conflict("a user with this id already exists");
  }

  /**
   * Another session has this id.
   *
   * @return a {@code Conflict}: "a session with this id already exists"
   */
  public static ChatException.Conflict sessionIdTaken() {
    return new ChatException.Conflict("a session with this id already exists");
  }

  /**
   * Another room has this id.
   *
   * @return a {@code Conflict}: "a room with this id already exists"
   */
  public static ChatException.Conflict roomIdTaken() {
    return new ChatException.Conflict("a room with this id already exists");
  }

  /**
   * The pair of users already has a direct message (another room with the same {@code dmKey}).
   *
   * @return a {@code Conflict}: "a direct message between these users already exists"
   */
  public static ChatException.Conflict directMessageExists() {
    return new ChatException.Conflict("a direct message between these users already exists");
  }

  /**
   * Another message (in any room) has this message id.
   *
   * @return a {@code Conflict}: "a message with this id already exists"
   */
  public static ChatException.Conflict messageIdTaken() {
    return new ChatException.Conflict("a message with this id already exists");
  }

  /**
   * An imported message's {@code (sender, clientMsgId)} is already stored.
   *
   * @return a {@code Conflict}: "the sender already sent a message with this client message id"
   */
  public static ChatException.Conflict clientMsgIdTaken() {
    return new ChatException.Conflict(
        "the sender already sent a message with this client message id");
  }

  /**
   * An imported message does not take its room's next seq.
   *
   * @param seq the seq the message has
   * @param next the room's next seq
   * @return a {@code Conflict}: "seq 7 is not the room's next seq (5)"
   */
  public static ChatException.Conflict seqNotNext(long seq, long next) {
    return new ChatException.Conflict("seq " + seq + " is not the room's next seq (" + next + ")");
  }

  /**
   * A user the call names (a member, a sender, a reacting user, a session's user) does not exist.
   *
   * @return a {@code NotFound}: "no such user"
   */
  public static ChatException.NotFound noSuchUser() {
    return new ChatException.NotFound("no such user");
  }

  /**
   * The room the call names does not exist.
   *
   * @return a {@code NotFound}: "no such room"
   */
  public static ChatException.NotFound noSuchRoom() {
    return new ChatException.NotFound("no such room");
  }

  /**
   * The room has no message with this id (also when there is no such room).
   *
   * @return a {@code NotFound}: "no such message"
   */
  public static ChatException.NotFound noSuchMessage() {
    return new ChatException.NotFound("no such message");
  }

  /**
   * The message was deleted, so it cannot be edited or reacted to.
   *
   * @return a {@code NotFound}: "the message was deleted"
   */
  public static ChatException.NotFound messageDeleted() {
    return new ChatException.NotFound("the message was deleted");
  }

  /**
   * The user is not a member of the room (which exists).
   *
   * @return a {@code NotFound}: "not a member of this room"
   */
  public static ChatException.NotFound notAMember() {
    return new ChatException.NotFound("not a member of this room");
  }

  /**
   * {@link RoomStore#findOrCreateDm} was given a room that is not a direct message.
   *
   * @return a {@code BadRequest}: "findOrCreateDm needs a direct message room"
   */
  public static ChatException.BadRequest notADirectMessage() {
    return new ChatException.BadRequest("findOrCreateDm needs a direct message room");
  }

  /**
   * Another file has this id.
   *
   * @return a {@code Conflict}: "a file with this id already exists"
   */
  public static ChatException.Conflict fileIdTaken() {
    return new ChatException.Conflict("a file with this id already exists");
  }

  /**
   * A message names a file that its sender did not upload to its room, or that was sent already.
   *
   * @param fileId the file's id
   * @return a {@code BadRequest}: "file ... was already sent or is not your upload to this room"
   */
  public static ChatException.BadRequest fileNotAttachable(String fileId) {
    return new ChatException.BadRequest(
        "file " + fileId + " was already sent or is not your upload to this room");
  }

  /**
   * The store was closed: every call fails afterwards.
   *
   * @return a {@code StoreFailure}: "the store is closed"
   */
  public static ChatException.StoreFailure closed() {
    return new ChatException.StoreFailure("the store is closed", null);
  }

  /**
   * The store itself failed (the database, the disk): nothing of the call was stored.
   *
   * @param cause what failed, for the server log
   * @return a {@code StoreFailure}: "the store failed", with {@code cause}
   */
  public static ChatException.StoreFailure failed(Throwable cause) {
    return new ChatException.StoreFailure("the store failed", cause);
  }

  /**
   * Keeps a store's own detail of a failure (a driver's exception, say) as its cause, where the
   * server log shows it and a client never does.
   *
   * @param <E> the failure's type
   * @param error a {@code Conflict}, {@code NotFound} or {@code BadRequest} made by one of these
   *     methods (a {@code StoreFailure} takes its cause when it is made: {@link #failed})
   * @param cause the store's own detail
   * @return {@code error}, with {@code cause} as its cause
   * @throws IllegalStateException if {@code error} was given a cause already
   */
  public static <E extends ChatException> E withCause(E error, Throwable cause) {
    error.initCause(cause);
    return error;
  }
}
