package dev.natter.core;

import dev.natter.core.model.Membership;
import dev.natter.core.model.Message;
import dev.natter.core.model.MessagePage;
import dev.natter.core.model.NewMessage;
import dev.natter.core.model.SearchHit;
import dev.natter.core.model.User;
import dev.natter.core.protocol.ClientCommand;
import dev.natter.core.protocol.ErrorCode;
import dev.natter.core.protocol.ServerEvent;
import dev.natter.core.spi.ChatStore;
import dev.natter.core.spi.Clock;
import dev.natter.core.spi.IdGenerator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The commands of a live connection (send, edit, delete, react, typing, read, sync, history) and
 * the history and search queries: validation, authorization through {@link AccessPolicy}, the
 * store, and fan-out.
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
  private final RateLimiter sendRate;
  private final Object[] updateLocks = new Object[64];

  Messaging(
      ChatStore store,
      Clock clock,
      IdGenerator ids,
      Limits limits,
      AccessPolicy access,
      LiveClients clients,
      TypingTracker typing) {
    this.store = store;
    this.clock = clock;
    this.ids = ids;
    this.limits = limits;
    this.access = access;
    this.clients = clients;
    this.typing = typing;
    this.sendRate = new RateLimiter(clock, limits.sendBurst(), limits.sendWindow());
    java.util.Arrays.setAll(updateLocks, i -> new Object());
  }

  void execute(ConnectedClient client, ClientCommand command) {
    if (command instanceof ClientCommand.Send c) {
      send(client, c);
    } else if (command instanceof ClientCommand.Edit c) {
      edit(client, c);
    } else if (command instanceof ClientCommand.Delete c) {
      delete(client, c);
    } else if (command instanceof ClientCommand.React c) {
      react(client, c);
    } else if (command instanceof ClientCommand.Typing c) {
      typing(client, c);
    } else if (command instanceof ClientCommand.Read c) {
      read(client, c);
    } else if (command instanceof ClientCommand.Sync c) {
      sync(client, c);
    } else if (command instanceof ClientCommand.History c) {
      history(client, c);
    } else {
      throw new ChatException.BadRequest("unknown command");
    }
  }

  /**
   * A page of a room's messages in seq order: the newest before {@code before}, or the oldest after
   * {@code after}; not both.
   */
  MessagePage messages(User me, String roomId, Long before, Long after, Integer limit) {
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

  private void send(ConnectedClient client, ClientCommand.Send c) {
    User me = client.user();
    String roomId = Validation.requireId(c.room(), "room");
    String clientMsgId = Validation.requireId(c.clientMsgId(), "clientMsgId");
    String body = Validation.body(c.body(), limits.maxBodyChars());
    access.requireMember(me.id(), roomId);
    if (c.replyTo() != null) {
      access.requireMessage(me.id(), roomId, Validation.requireId(c.replyTo(), "replyTo"));
    }
    // A resend of a stored clientMsgId costs a token like any send: the store still tries the
    // INSERT and reads the original back on its single writer, so a resend flood is rate limited.
    if (!sendRate.tryAcquire(me.id())) {
      throw new ChatException.RateLimited(
          "slow down: at most "
              + limits.sendBurst()
              + " messages per "
              + limits.sendWindow().toSeconds()
              + " s");
    }
    client.sendAccepted();
    NewMessage message =
        new NewMessage(roomId, ids.newId(), me, clientMsgId, body, c.replyTo(), clock.now());
    typing.stop(roomId, me);
    clients.membersOf(roomId); // load the members now: onCommitted must not block on the store
    store
        .append(
            message,
            stored -> {
              clients.toRoom(roomId, new ServerEvent.MessageEvent(stored, null), me.id());
              clients.toUser(me.id(), new ServerEvent.MessageEvent(stored, clientMsgId));
            })
        .whenComplete(
            (result, error) -> {
              if (error != null) {
                client.fail(
                    c.id(),
                    new ChatException(
                        ErrorCode.INTERNAL,
                        "message not stored; send it again with the same clientMsgId"));
              } else {
                Message m = result.message();
                client.deliver( // a resend gets the original ack, even from another room
                    new ServerEvent.Ack(
                        c.id(), clientMsgId, m.room(), m.seq(), m.messageId(), m.ts()));
              }
            });
  }

  private void edit(ConnectedClient client, ClientCommand.Edit c) {
    String roomId = Validation.requireId(c.room(), "room");
    String messageId = Validation.requireId(c.messageId(), "messageId");
    String body = Validation.body(c.body(), limits.maxBodyChars());
    access.requireEditable(client.user().id(), roomId, messageId);
    synchronized (updateLock(messageId)) {
      Message updated = store.editMessage(roomId, messageId, body, clock.now());
      clients.toRoom(roomId, ServerEvent.MessageUpdated.of(updated), null);
    }
    client.deliver(new ServerEvent.Ok(c.id()));
  }

  private void delete(ConnectedClient client, ClientCommand.Delete c) {
    String roomId = Validation.requireId(c.room(), "room");
    String messageId = Validation.requireId(c.messageId(), "messageId");
    Message message = access.requireDeletable(client.user().id(), roomId, messageId);
    if (!message.deleted()) {
      synchronized (updateLock(messageId)) {
        Message updated = store.deleteMessage(roomId, messageId);
        clients.toRoom(roomId, ServerEvent.MessageUpdated.of(updated), null);
      }
    }
    client.deliver(new ServerEvent.Ok(c.id()));
  }

  private void react(ConnectedClient client, ClientCommand.React c) {
    String roomId = Validation.requireId(c.room(), "room");
    String messageId = Validation.requireId(c.messageId(), "messageId");
    String emoji = Validation.emoji(c.emoji());
    access.requireReactable(client.user().id(), roomId, messageId);
    synchronized (updateLock(messageId)) {
      Message updated = store.react(roomId, messageId, client.user().id(), emoji, c.on());
      clients.toRoom(roomId, ServerEvent.MessageUpdated.of(updated), null);
    }
    client.deliver(new ServerEvent.Ok(c.id()));
  }

  /**
   * Serializes the changes of one message with the publication of their results, so members receive
   * a message's {@code messageUpdated} events in the order the store applied them.
   */
  private Object updateLock(String messageId) {
    return updateLocks[Math.floorMod(messageId.hashCode(), updateLocks.length)];
  }

  private void typing(ConnectedClient client, ClientCommand.Typing c) {
    String roomId = Validation.requireId(c.room(), "room");
    access.requireMember(client.user().id(), roomId);
    typing.typing(roomId, client.user(), c.active());
  }

  private void read(ConnectedClient client, ClientCommand.Read c) {
    String roomId = Validation.requireId(c.room(), "room");
    if (c.seq() < 0) {
      throw new ChatException.BadRequest("seq must not be negative");
    }
    Membership membership = access.requireMember(client.user().id(), roomId);
    long marker = store.markRead(roomId, client.user().id(), c.seq());
    if (marker > membership.lastReadSeq()) {
      clients.toRoom(roomId, new ServerEvent.ReadEvent(roomId, client.user(), marker), null);
    }
  }

  private void sync(ConnectedClient client, ClientCommand.Sync c) {
    if (c.rooms().size() > Validation.MAX_SYNC_ROOMS) {
      throw new ChatException.TooLarge("sync at most " + Validation.MAX_SYNC_ROOMS + " rooms");
    }
    if (c.rooms().isEmpty()) {
      client.deliver(new ServerEvent.Ok(c.id()));
      return;
    }
    for (Map.Entry<String, Long> entry : new TreeMap<>(c.rooms()).entrySet()) {
      try {
        syncRoom(client, c.id(), entry.getKey(), Validation.seq(entry.getValue(), "lastSeq"));
      } catch (ChatException e) {
        client.fail(c.id(), e);
      }
    }
  }

  private void syncRoom(ConnectedClient client, String requestId, String roomId, long after) {
    access.requireMember(client.user().id(), Validation.requireId(roomId, "room"));
    int max = limits.syncLimit();
    List<Message> missed = store.messagesAfter(roomId, after, max + 1);
    boolean limited = missed.size() > max;
    if (limited) {
      missed = store.messagesBefore(roomId, null, max); // the newest; the client pages back
    }
    for (Message m : missed) {
      client.deliver(new ServerEvent.MessageEvent(m, null));
    }
    long upTo = missed.isEmpty() ? store.lastSeq(roomId) : missed.get(missed.size() - 1).seq();
    client.deliver(new ServerEvent.Synced(requestId, roomId, upTo, limited));
  }

  private void history(ConnectedClient client, ClientCommand.History c) {
    String roomId = Validation.requireId(c.room(), "room");
    access.requireMember(client.user().id(), roomId);
    if (c.before() != null && c.before() < 1) {
      throw new ChatException.BadRequest("before must be at least 1");
    }
    int n = Validation.limit(c.limit(), DEFAULT_PAGE, limits.historyLimit());
    MessagePage page = pageBefore(roomId, c.before(), n);
    client.deliver(new ServerEvent.HistoryPage(c.id(), roomId, page.messages(), page.hasMore()));
  }

  private MessagePage pageBefore(String roomId, Long before, int n) {
    if (before != null && before < 0) {
      throw new ChatException.BadRequest("before must not be negative");
    }
    List<Message> page = store.messagesBefore(roomId, before, n + 1);
    boolean more = page.size() > n;
    return new MessagePage(more ? page.subList(1, page.size()) : page, more);
  }

  void pruneRateLimiters() {
    sendRate.prune();
  }
}
