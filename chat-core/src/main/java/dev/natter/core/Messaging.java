package dev.natter.core;

import dev.natter.core.model.FileInfo;
import dev.natter.core.model.Message;
import dev.natter.core.model.MessagePage;
import dev.natter.core.model.NewMessage;
import dev.natter.core.model.SearchHit;
import dev.natter.core.model.StoredFile;
import dev.natter.core.model.User;
import dev.natter.core.protocol.ServerEvent;
import dev.natter.core.spi.ChatStore;
import dev.natter.core.spi.Clock;
import dev.natter.core.spi.IdGenerator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Messages: send, edit, delete, react, typing, read markers, replay and history, search, each for
 * one user: validation, authorization through {@link AccessPolicy}, the store, and fan-out. The
 * {@link CommandDispatcher} answers a connection's commands with these; {@link ChatEngine} offers
 * them to in-process callers.
 */
final class Messaging {
  private static final int DEFAULT_PAGE = 50;
  private static final int MESSAGE_SEARCH_LIMIT = 50;
  private static final int MAX_QUERY_CHARS = 200;

  private final ChatStore store;
  private final Clock clock;
  private final IdGenerator ids;
  private final Limits limits;
  private final AccessPolicy access;
  private final LiveClients clients;
  private final TypingTracker typing;
  private final FileOperations files;
  private final RateLimiter sendRate;
  private final RateLimiter readRate;
  private final Object[] updateLocks = new Object[64];

  Messaging(
      ChatStore store,
      Clock clock,
      IdGenerator ids,
      Limits limits,
      AccessPolicy access,
      LiveClients clients,
      TypingTracker typing,
      FileOperations files) {
    this.store = store;
    this.files = files;
    this.clock = clock;
    this.ids = ids;
    this.limits = limits;
    this.access = access;
    this.clients = clients;
    this.typing = typing;
    this.sendRate = new RateLimiter(clock, limits.sendBurst(), limits.sendWindow());
    this.readRate = new RateLimiter(clock, limits.readBurst(), limits.readWindow());
    java.util.Arrays.setAll(updateLocks, i -> new Object());
  }

  /**
   * A page of a room's messages in seq order: the newest before {@code before}, or the oldest after
   * {@code after}; not both.
   */
  MessagePage messages(User me, String roomId, Long before, Long after, Integer limit) {
    requireReadBudget(me);
    access.requireMember(me.id(), Validation.requireId(roomId, "room"));
    if (before != null && after != null) {
      throw new ChatException.BadRequest("give before or after, not both");
    }
    int n = Validation.limit(limit, DEFAULT_PAGE, limits.historyLimit());
    if (after != null) {
      List<Message> page = store.messagesAfter(roomId, Validation.seq(after, "after"), n + 1);
      boolean more = page.size() > n;
      return new MessagePage(more ? page.subList(0, n) : page, more);
    }
    return pageBefore(roomId, before, n);
  }

  /** Full-text search in my rooms (or one of them). */
  List<SearchHit> search(User me, String query, String roomId) {
    requireReadBudget(me);
    if (query == null || query.isBlank()) {
      throw new ChatException.BadRequest("q is required");
    }
    if (query.length() > MAX_QUERY_CHARS) {
      throw new ChatException.BadRequest("query is too long");
    }
    List<String> rooms;
    if (roomId != null && !roomId.isBlank()) {
      access.requireMember(me.id(), roomId);
      rooms = List.of(roomId);
    } else {
      rooms = store.roomIdsOf(me.id());
    }
    return rooms.isEmpty() ? List.of() : store.search(rooms, query.strip(), MESSAGE_SEARCH_LIMIT);
  }

  /**
   * Sends a message as {@code me}. Checks (validation, the send rate, membership, the files and the
   * message replied to) happen before this returns; the future completes once the store has
   * committed the message, with the stored message (the original one for a resend of a stored
   * {@code clientMsgId}), or exceptionally with a {@link ChatException.StoreFailure} when the
   * commit failed.
   *
   * @throws ChatException when the send is invalid, not allowed or rate limited
   */
  CompletableFuture<Message> send(
      User me,
      String roomId,
      String clientMsgId,
      String body,
      String replyTo,
      List<String> fileIds) {
    Validation.requireId(roomId, "room");
    Validation.requireId(clientMsgId, "clientMsgId");
    List<String> listed = fileIds == null ? List.of() : fileIds;
    String text =
        listed.isEmpty()
            ? Validation.body(body, limits.maxBodyChars())
            : Validation.bodyOrEmpty(body, limits.maxBodyChars());
    // The send rate before anything that may read the store (a membership not cached, the files,
    // the message replied to): a sender over the limit costs the store nothing. A resend of a
    // stored clientMsgId costs a token like any send: the store still tries the INSERT and reads
    // the original back on its single writer, so a resend flood is rate limited.
    if (!sendRate.tryAcquire(me.id())) {
      throw new ChatException.RateLimited(
          "slow down: at most "
              + limits.sendBurst()
              + " messages per "
              + limits.sendWindow().toSeconds()
              + " s");
    }
    access.requireMember(me.id(), roomId);
    List<FileInfo> attached = files.forSend(me, roomId, listed);
    if (replyTo != null) {
      access.requireMessage(me.id(), roomId, Validation.requireId(replyTo, "replyTo"));
    }
    NewMessage message =
        new NewMessage(
            roomId,
            ids.newId(),
            me,
            clientMsgId,
            text,
            replyTo,
            clock.now(),
            attached,
            mentionsIn(text, roomId, me));
    typing.stop(roomId, me);
    clients.membersOf(roomId); // load the members now: onCommitted must not block on the store
    return store
        .append(
            message,
            stored -> {
              clients.toRoom(roomId, new ServerEvent.MessageEvent(stored, null), me.id());
              clients.toUser(me.id(), new ServerEvent.MessageEvent(stored, clientMsgId));
            })
        .handle(
            (result, error) -> {
              if (error != null) {
                if (ChatException.from(error) instanceof ChatException.BadRequest refused) {
                  throw refused; // a file that cannot be attached: nothing was stored
                }
                throw new ChatException.StoreFailure(
                    "message not stored; send it again with the same clientMsgId", error);
              }
              return result.message();
            });
  }

  /** Edits my message; the room's members get {@code messageUpdated}. */
  Message edit(User me, String roomId, String messageId, String body) {
    Validation.requireId(roomId, "room");
    Validation.requireId(messageId, "messageId");
    String text = Validation.body(body, limits.maxBodyChars());
    access.requireEditable(me.id(), roomId, messageId);
    synchronized (updateLock(messageId)) {
      List<String> mentions = mentionsIn(text, roomId, me);
      Message updated = store.editMessage(roomId, messageId, text, mentions, clock.now());
      clients.toRoom(roomId, ServerEvent.MessageUpdated.of(updated), null);
      return updated;
    }
  }

  /** The members of the room that {@code text} mentions ({@link Mentions}). */
  private List<String> mentionsIn(String text, String roomId, User me) {
    return Mentions.mayMention(text)
        ? Mentions.resolve(text, store.members(roomId), me.id())
        : List.of();
  }

  /** Deletes a message (a no-op if it is deleted already). */
  Message delete(User me, String roomId, String messageId) {
    Validation.requireId(roomId, "room");
    Validation.requireId(messageId, "messageId");
    Message message = access.requireDeletable(me.id(), roomId, messageId);
    if (message.deleted()) {
      return message;
    }
    synchronized (updateLock(messageId)) {
      List<StoredFile> attached = files.filesOf(message.files());
      Message updated = store.deleteMessage(roomId, messageId);
      clients.toRoom(roomId, ServerEvent.MessageUpdated.of(updated), null);
      files.release(attached); // its files went with it: free the blobs nothing else uses
      return updated;
    }
  }

  /** Adds ({@code on}) or removes my reaction to a message. */
  Message react(User me, String roomId, String messageId, String emoji, boolean on) {
    Validation.requireId(roomId, "room");
    Validation.requireId(messageId, "messageId");
    String cleanEmoji = Validation.emoji(emoji);
    access.requireReactable(me.id(), roomId, messageId);
    synchronized (updateLock(messageId)) {
      Message updated = store.react(roomId, messageId, me.id(), cleanEmoji, on);
      clients.toRoom(roomId, ServerEvent.MessageUpdated.of(updated), null);
      return updated;
    }
  }

  /**
   * Serializes the changes of one message with the publication of their results, so members receive
   * a message's {@code messageUpdated} events in the order the store applied them.
   */
  private Object updateLock(String messageId) {
    return updateLocks[Math.floorMod(messageId.hashCode(), updateLocks.length)];
  }

  /** Starts or stops my typing indicator in a room. */
  void typing(User me, String roomId, boolean active) {
    Validation.requireId(roomId, "room");
    access.requireMember(me.id(), roomId);
    typing.typing(roomId, me, active);
  }

  /** Moves my read marker forward; the room's members get {@code read} when it moved. */
  void markRead(User me, String roomId, long seq) {
    Validation.requireId(roomId, "room");
    if (seq < 0) {
      throw new ChatException.BadRequest("seq must not be negative");
    }
    MembershipCache.Member member = access.requireCachedMember(me.id(), roomId);
    long marker = store.markRead(roomId, me.id(), seq);
    if (member.advanceRead(marker)) {
      clients.toRoom(roomId, new ServerEvent.ReadEvent(roomId, me, marker), null);
    }
  }

  /**
   * What I missed in a room after {@code after}: at most {@link Limits#syncLimit()} messages, or
   * the newest ones when more were missed ({@code limited}; the client pages back).
   *
   * @param messages the missed messages in seq order
   * @param upToSeq the seq the replay reaches (the room's last when nothing was missed)
   * @param limited whether more were missed than replayed
   */
  record Replay(List<Message> messages, long upToSeq, boolean limited) {}

  /** The replay of one room for {@code sync}. */
  Replay replay(User me, String roomId, long after) {
    access.requireMember(me.id(), Validation.requireId(roomId, "room"));
    int max = limits.syncLimit();
    List<Message> missed = store.messagesAfter(roomId, after, max + 1);
    boolean limited = missed.size() > max;
    if (limited) {
      missed = store.messagesBefore(roomId, null, max); // the newest; the client pages back
    }
    long upTo = missed.isEmpty() ? store.lastSeq(roomId) : missed.get(missed.size() - 1).seq();
    return new Replay(missed, upTo, limited);
  }

  /** A page of history for the {@code history} command: the newest before {@code before}. */
  MessagePage history(User me, String roomId, Long before, Integer limit) {
    requireReadBudget(me);
    Validation.requireId(roomId, "room");
    access.requireMember(me.id(), roomId);
    if (before != null && before < 1) {
      throw new ChatException.BadRequest("before must be at least 1");
    }
    return pageBefore(roomId, before, Validation.limit(limit, DEFAULT_PAGE, limits.historyLimit()));
  }

  private MessagePage pageBefore(String roomId, Long before, int n) {
    if (before != null && before < 0) {
      throw new ChatException.BadRequest("before must not be negative");
    }
    List<Message> page = store.messagesBefore(roomId, before, n + 1);
    boolean more = page.size() > n;
    return new MessagePage(more ? page.subList(1, page.size()) : page, more);
  }

  /**
   * Takes one read (a history page, a sync, a search; over HTTP or WebSocket) from the user's
   * budget ({@link Limits#readBurst()} per {@link Limits#readWindow()}), so that one account cannot
   * pull pages in a loop at everyone else's cost.
   *
   * @throws ChatException.RateLimited when the budget is spent
   */
  void requireReadBudget(User me) {
    if (!readRate.tryAcquire(me.id())) {
      throw new ChatException.RateLimited(
          "slow down: at most "
              + limits.readBurst()
              + " history, sync or search requests per "
              + limits.readWindow().toSeconds()
              + " s");
    }
  }

  void pruneRateLimiters() {
    sendRate.prune();
    readRate.prune();
  }
}
