package dev.natter.core;

import dev.natter.core.model.AuthSession;
import dev.natter.core.model.Credentials;
import dev.natter.core.model.Membership;
import dev.natter.core.model.Message;
import dev.natter.core.model.MessagePage;
import dev.natter.core.model.NewMessage;
import dev.natter.core.model.NewRoom;
import dev.natter.core.model.Presence;
import dev.natter.core.model.Role;
import dev.natter.core.model.Room;
import dev.natter.core.model.RoomKind;
import dev.natter.core.model.RoomSummary;
import dev.natter.core.model.User;
import dev.natter.core.model.Visibility;
import dev.natter.core.protocol.ClientCommand;
import dev.natter.core.protocol.CloseCode;
import dev.natter.core.protocol.ErrorCode;
import dev.natter.core.protocol.ServerEvent;
import dev.natter.core.security.Pbkdf2PasswordHasher;
import dev.natter.core.security.Tokens;
import dev.natter.core.spi.ChatStore;
import dev.natter.core.spi.Clock;
import dev.natter.core.spi.Connection;
import dev.natter.core.spi.EventBus;
import dev.natter.core.spi.HeartbeatPolicy;
import dev.natter.core.spi.IdGenerator;
import dev.natter.core.spi.PasswordHasher;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The chat engine: the one place where Natter's rules live. Transports authenticate through it,
 * attach connections to it and hand it commands; it validates, authorizes (through one access
 * policy), stores through the {@link ChatStore} and fans events out to every connection of every
 * recipient.
 *
 * <p>Methods that take a {@code User me} act for an authenticated user (see {@link #authenticate})
 * and throw a {@link ChatException} subclass when the request is invalid or not allowed; nothing
 * changes in that case.
 */
public final class ChatEngine implements AutoCloseable {
  private static final int DEFAULT_PAGE = 50;
  private static final int USER_SEARCH_LIMIT = 20;
  private static final int MESSAGE_SEARCH_LIMIT = 50;
  private static final int MAX_QUERY_CHARS = 200;

  private final ChatStore store;
  private final PasswordHasher hasher;
  private final Clock clock;
  private final IdGenerator ids;
  private final HeartbeatPolicy heartbeat;
  private final Limits limits;
  private final AccessPolicy access;
  private final LiveClients clients;
  private final TypingTracker typing;
  private final RateLimiter sendRate;
  private final RateLimiter loginByUsername;
  private final RateLimiter loginByAddress;
  private final ScheduledExecutorService timers;
  private final Object[] updateLocks = new Object[64];
  private volatile String dummyHash;

  private ChatEngine(Builder b) {
    this.store = b.store;
    this.hasher = b.hasher;
    this.clock = b.clock;
    this.ids = b.ids;
    this.heartbeat = b.heartbeat;
    this.limits = b.limits;
    this.access = new AccessPolicy(store);
    java.util.Arrays.setAll(updateLocks, i -> new Object());
    this.clients = new LiveClients(store, clock, b.bus);
    this.timers =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "natter-engine-timers");
              t.setDaemon(true);
              return t;
            });
    this.typing =
        new TypingTracker(clients, timers, clock, limits.typingExpiry(), limits.typingThrottle());
    this.sendRate = new RateLimiter(clock, limits.sendBurst(), limits.sendWindow());
    this.loginByUsername = new RateLimiter(clock, limits.loginAttempts(), limits.loginWindow());
    this.loginByAddress = new RateLimiter(clock, limits.loginAttempts(), limits.loginWindow());
    // Off the caller's thread: a connection may end on the store's committing thread (a slow
    // consumer closed during fan-out), and going offline writes to the store.
    clients.onLastDisconnect(client -> runLater(() -> wentOffline(client)));
    timers.scheduleWithFixedDelay(this::pruneRateLimiters, 1, 1, TimeUnit.MINUTES);
    timers.scheduleWithFixedDelay(this::closeExpiredSessions, 1, 1, TimeUnit.MINUTES);
  }

  /** Starts building an engine on a store; every other part has a sensible default. */
  public static Builder builder(ChatStore store) {
    return new Builder(store);
  }

  public HeartbeatPolicy heartbeat() {
    return heartbeat;
  }

  public Limits limits() {
    return limits;
  }

  /** Live connections on this node. */
  public int connectionCount() {
    return clients.connectionCount();
  }

  // =====================================================================================
  // Accounts and sessions

  /** A signed-in user and the token that proves it (shown to the client once). */
  public record AuthResult(User user, String token, AuthSession session) {}

  /** The user and session behind a valid token. */
  public record Authenticated(User user, AuthSession session) {}

  /** Creates an account and signs it in. */
  public AuthResult register(String username, String password, String displayName) {
    User user = createUser(username, password, displayName);
    return newSession(user);
  }

  /** Creates an account without signing it in (for administrators). */
  public User createUser(String username, String password, String displayName) {
    Validation.username(username);
    char[] pw = Validation.password(password);
    User user = new User(ids.newId(), username, Validation.displayName(displayName, username));
    store.createUser(user, hasher.hash(pw), clock.now());
    return user;
  }

  /**
   * Signs in. Attempts are limited per username and per client address.
   *
   * @param clientAddress the client's address for rate limiting, or null
   */
  public AuthResult login(String username, String password, String clientAddress) {
    if (username == null || password == null) {
      throw new ChatException.BadRequest("username and password are required");
    }
    boolean allowed = loginByUsername.tryAcquire(username.toLowerCase(Locale.ROOT));
    if (clientAddress != null) {
      allowed &= loginByAddress.tryAcquire(clientAddress);
    }
    if (!allowed) {
      throw new ChatException.RateLimited("too many login attempts; try again in a minute");
    }
    Credentials credentials = store.findCredentials(username).orElse(null);
    if (credentials == null) {
      hasher.verify(password.toCharArray(), dummyHash()); // same cost as a real check
      throw new ChatException.Unauthorized("wrong username or password");
    }
    if (!hasher.verify(password.toCharArray(), credentials.passwordHash())) {
      throw new ChatException.Unauthorized("wrong username or password");
    }
    if (hasher.needsRehash(credentials.passwordHash())) {
      store.updatePasswordHash(credentials.user().id(), hasher.hash(password.toCharArray()));
    }
    return newSession(credentials.user());
  }

  /** The user behind a session token; {@code Unauthorized} if it is unknown, revoked or expired. */
  public Authenticated authenticate(String token) {
    if (token == null || token.isBlank()) {
      throw new ChatException.Unauthorized("not signed in");
    }
    String sessionId = Tokens.sessionId(token);
    AuthSession session =
        store
            .findSession(sessionId)
            .orElseThrow(() -> new ChatException.Unauthorized("session expired or revoked"));
    if (session.isExpired(clock.now())) {
      store.deleteSession(sessionId);
      throw new ChatException.Unauthorized("session expired or revoked");
    }
    User user =
        store
            .findUser(session.userId())
            .orElseThrow(() -> new ChatException.Unauthorized("session expired or revoked"));
    return new Authenticated(user, session);
  }

  /** Revokes a session and closes its connections with 4001. Unknown tokens are ignored. */
  public void logout(String token) {
    if (token == null || token.isBlank()) {
      return;
    }
    String sessionId = Tokens.sessionId(token);
    store
        .findSession(sessionId)
        .ifPresent(
            session -> {
              store.deleteSession(sessionId);
              clients.closeSession(session.userId(), sessionId, CloseCode.SESSION_REVOKED);
            });
  }

  /** Sets a new password and ends every session of the user (for administrators). */
  public void resetPassword(String username, String newPassword) {
    Credentials credentials =
        store
            .findCredentials(username)
            .orElseThrow(() -> new ChatException.NotFound("no user " + username));
    char[] pw = Validation.password(newPassword);
    store.updatePasswordHash(credentials.user().id(), hasher.hash(pw));
    store.deleteSessionsOf(credentials.user().id());
    clients.closeUser(credentials.user().id(), CloseCode.SESSION_REVOKED);
  }

  private AuthResult newSession(User user) {
    String token = Tokens.newToken();
    Instant now = clock.now();
    AuthSession session =
        new AuthSession(Tokens.sessionId(token), user.id(), now, now.plus(limits.sessionTtl()));
    store.createSession(session);
    return new AuthResult(user, token, session);
  }

  private String dummyHash() {
    String h = dummyHash;
    if (h == null) {
      h = hasher.hash("not-a-real-password".toCharArray());
      dummyHash = h;
    }
    return h;
  }

  // =====================================================================================
  // Users and rooms (the HTTP API's operations)

  /** Users matching {@code query} in username or display name, to start a DM with. */
  public List<User> searchUsers(User me, String query) {
    Objects.requireNonNull(me, "me");
    String q = query == null ? "" : query.strip();
    if (q.length() > MAX_QUERY_CHARS) {
      throw new ChatException.BadRequest("query is too long");
    }
    return store.searchUsers(q, USER_SEARCH_LIMIT);
  }

  /** My rooms, most recently active first. */
  public List<RoomSummary> rooms(User me) {
    return store.roomSummaries(me.id()).stream().map(s -> forViewer(s, me.id())).toList();
  }

  /** Public group rooms I could join. */
  public List<RoomSummary> publicRooms(User me) {
    return store.publicRoomsNotJoinedBy(me.id());
  }

  /** One of my rooms. */
  public RoomSummary room(User me, String roomId) {
    access.requireMember(me.id(), Validation.requireId(roomId, "room"));
    return summary(roomId, me.id());
  }

  /** Creates a group room with me as owner and the given users as members. */
  public RoomSummary createRoom(
      User me, String name, Visibility visibility, List<String> memberUsernames) {
    String cleanName = Validation.roomName(name);
    if (visibility == null) {
      throw new ChatException.BadRequest("visibility must be \"public\" or \"private\"");
    }
    Map<String, Role> members = new LinkedHashMap<>();
    members.put(me.id(), Role.OWNER);
    for (String username : memberUsernames == null ? List.<String>of() : memberUsernames) {
      members.putIfAbsent(requireUser(username).id(), Role.MEMBER);
    }
    Room room = new Room(ids.newId(), RoomKind.GROUP, cleanName, visibility, null, clock.now());
    store.createRoom(new NewRoom(room, members));
    for (String userId : members.keySet()) {
      clients.toUser(userId, new ServerEvent.RoomEvent(summary(room.id(), userId)));
      introduce(room.id(), userId);
    }
    return summary(room.id(), me.id());
  }

  /** The DM between me and another user, and whether this call created it. */
  public record DmOpened(RoomSummary room, boolean created) {}

  /** Finds or creates the DM between me and {@code username}. */
  public DmOpened openDm(User me, String username) {
    User other = requireUser(username);
    if (other.id().equals(me.id())) {
      throw new ChatException.BadRequest("you cannot start a DM with yourself");
    }
    Room room =
        new Room(
            ids.newId(),
            RoomKind.DM,
            "",
            Visibility.PRIVATE,
            Room.dmKey(me.id(), other.id()),
            clock.now());
    ChatStore.DmResult result =
        store.findOrCreateDm(
            new NewRoom(room, Map.of(me.id(), Role.MEMBER, other.id(), Role.MEMBER)));
    String roomId = result.room().id();
    if (result.created()) {
      for (String userId : List.of(me.id(), other.id())) {
        clients.toUser(userId, new ServerEvent.RoomEvent(summary(roomId, userId)));
      }
      introduce(roomId, me.id());
    }
    return new DmOpened(summary(roomId, me.id()), result.created());
  }

  /** Joins a public group room (a no-op if I am already a member). */
  public RoomSummary join(User me, String roomId) {
    access.requireJoinable(Validation.requireId(roomId, "room"));
    if (store.addMember(roomId, me.id(), Role.MEMBER, clock.now())) {
      clients.memberAdded(roomId, me.id());
      clients.toUser(me.id(), new ServerEvent.RoomEvent(summary(roomId, me.id())));
      roomChanged(roomId, me.id());
      introduce(roomId, me.id());
    }
    return summary(roomId, me.id());
  }

  /** Leaves a group room. */
  public void leave(User me, String roomId) {
    access.requireLeavable(me.id(), Validation.requireId(roomId, "room"));
    typing.stop(roomId, me);
    store.removeMember(roomId, me.id());
    clients.memberRemoved(roomId, me.id());
    clients.toUser(me.id(), new ServerEvent.RoomLeft(roomId));
    roomChanged(roomId, null);
  }

  /** Adds a user to a group room (owners and admins). */
  public void invite(User me, String roomId, String username) {
    access.requireModerator(me.id(), Validation.requireId(roomId, "room"));
    User target = requireUser(username);
    if (!store.addMember(roomId, target.id(), Role.MEMBER, clock.now())) {
      throw new ChatException.Conflict(username + " is already a member");
    }
    clients.memberAdded(roomId, target.id());
    clients.toUser(target.id(), new ServerEvent.RoomEvent(summary(roomId, target.id())));
    roomChanged(roomId, target.id());
    introduce(roomId, target.id());
  }

  /** Removes a member from a group room (owners and admins; only owners remove admins). */
  public void kick(User me, String roomId, String username) {
    Membership mine = access.requireModerator(me.id(), Validation.requireId(roomId, "room"));
    User target = requireUser(username);
    if (target.id().equals(me.id())) {
      throw new ChatException.BadRequest("to remove yourself, leave the room");
    }
    Membership theirs =
        store
            .findMembership(roomId, target.id())
            .orElseThrow(() -> new ChatException.NotFound(username + " is not a member"));
    if (theirs.role() == Role.OWNER || (theirs.role() == Role.ADMIN && mine.role() != Role.OWNER)) {
      throw new ChatException.Forbidden("you cannot remove " + username);
    }
    typing.stop(roomId, target);
    store.removeMember(roomId, target.id());
    clients.memberRemoved(roomId, target.id());
    clients.toUser(target.id(), new ServerEvent.RoomLeft(roomId));
    roomChanged(roomId, null);
  }

  /**
   * A page of a room's messages in seq order: the newest before {@code before}, or the oldest after
   * {@code after}; not both.
   */
  public MessagePage messages(User me, String roomId, Long before, Long after, Integer limit) {
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
  public List<ChatStore.SearchHit> search(User me, String query, String roomId) {
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

  private User requireUser(String username) {
    if (username == null || username.isBlank()) {
      throw new ChatException.BadRequest("username is required");
    }
    return store
        .findCredentials(username)
        .map(Credentials::user)
        .orElseThrow(() -> new ChatException.NotFound("no user " + username));
  }

  private RoomSummary summary(String roomId, String userId) {
    return store
        .roomSummary(roomId, userId)
        .map(s -> forViewer(s, userId))
        .orElseThrow(() -> new ChatException.NotFound("no room " + roomId));
  }

  /** A DM is named after the other member, as the viewer sees it. */
  private static RoomSummary forViewer(RoomSummary s, String viewerId) {
    if (s.room().kind() != RoomKind.DM) {
      return s;
    }
    String name =
        s.members().stream()
            .filter(u -> !u.id().equals(viewerId))
            .map(User::displayName)
            .findFirst()
            .orElse("");
    Room r = s.room();
    Room named = new Room(r.id(), r.kind(), name, r.visibility(), r.dmKey(), r.createdAt());
    return new RoomSummary(
        named, s.members(), s.myRole(), s.lastSeq(), s.lastMessage(), s.unread(), s.lastReadSeq());
  }

  /** Tells the room's online members (but {@code exceptUserId}) its new summary. */
  private void roomChanged(String roomId, String exceptUserId) {
    for (String userId : clients.membersOf(roomId)) {
      if (!userId.equals(exceptUserId) && clients.isOnline(userId)) {
        store
            .roomSummary(roomId, userId)
            .ifPresent(
                s -> clients.toUser(userId, new ServerEvent.RoomEvent(forViewer(s, userId))));
      }
    }
  }

  /** Tells a newcomer who of the room is online, and the room's members about the newcomer. */
  private void introduce(String roomId, String newcomerId) {
    User newcomer = store.findUser(newcomerId).orElse(null);
    if (newcomer == null) {
      return;
    }
    boolean newcomerOnline = clients.isOnline(newcomerId);
    for (User member : store.members(roomId)) {
      if (member.id().equals(newcomerId)) {
        continue;
      }
      if (newcomerOnline && clients.isOnline(member.id())) {
        clients.toUser(member.id(), new ServerEvent.PresenceEvent(clients.presenceOf(newcomer)));
      }
      if (newcomerOnline) {
        clients.toUser(newcomerId, new ServerEvent.PresenceEvent(clients.presenceOf(member)));
      }
    }
  }

  // =====================================================================================
  // Live connections

  /**
   * Attaches an authenticated connection. Its first event is {@code ready}; events for the user
   * that happen meanwhile follow it, never precede it.
   */
  public ConnectedClient connect(Authenticated auth, Connection connection) {
    User user = auth.user();
    ConnectedClient client = new ConnectedClient(this, user, auth.session(), connection);
    boolean cameOnline = clients.add(client);
    List<Presence> presence = new ArrayList<>();
    List<String> contacts = store.contactsOf(user.id());
    for (String contactId : contacts) {
      store.findUser(contactId).ifPresent(u -> presence.add(clients.presenceOf(u)));
    }
    ServerEvent.Ready ready =
        new ServerEvent.Ready(
            user,
            new ServerEvent.HeartbeatSettings(heartbeat.intervalMs(), heartbeat.timeoutMs()),
            rooms(user),
            presence);
    client.start(ready);
    if (cameOnline && clients.isOnline(user.id())) { // not if ready already closed it
      ServerEvent online =
          new ServerEvent.PresenceEvent(new Presence(user, Presence.Status.ONLINE, clock.now()));
      contacts.forEach(id -> clients.toUser(id, online));
    }
    return client;
  }

  Instant now() {
    return clock.now();
  }

  void detach(ConnectedClient client) {
    clients.remove(client);
  }

  private void wentOffline(ConnectedClient last) {
    User user = last.user();
    if (clients.isOnline(user.id())) {
      return; // came back meanwhile
    }
    Instant now = clock.now();
    typing.stopAll(user);
    try {
      store.updateLastSeen(user.id(), now);
    } catch (ChatException e) {
      // presence is best effort; the user is offline either way
    }
    ServerEvent offline =
        new ServerEvent.PresenceEvent(new Presence(user, Presence.Status.OFFLINE, now));
    for (String contactId : store.contactsOf(user.id())) {
      clients.toUser(contactId, offline);
    }
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

  private void send(ConnectedClient client, ClientCommand.Send c) {
    User me = client.user();
    String roomId = Validation.requireId(c.room(), "room");
    String clientMsgId = Validation.requireId(c.clientMsgId(), "clientMsgId");
    String body = Validation.body(c.body(), limits.maxBodyChars());
    access.requireMember(me.id(), roomId);
    if (c.replyTo() != null) {
      access.requireMessage(me.id(), roomId, Validation.requireId(c.replyTo(), "replyTo"));
    }
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

  private void runLater(Runnable task) {
    try {
      timers.execute(task);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // the engine is closing: nobody is left to tell
    }
  }

  /** Sessions end on time even for connections that stay open: those are closed with 4001. */
  void closeExpiredSessions() {
    clients.closeExpired(clock.now());
  }

  private void pruneRateLimiters() {
    sendRate.prune();
    loginByUsername.prune();
    loginByAddress.prune();
  }

  /** Closes every connection with 1001 (going away) and stops the engine's timers. */
  @Override
  public void close() {
    clients.closeAll(CloseCode.GOING_AWAY);
    timers.shutdownNow();
  }

  /** Builds a {@link ChatEngine}. */
  public static final class Builder {
    private final ChatStore store;
    private PasswordHasher hasher;
    private Clock clock = Clock.system();
    private IdGenerator ids = IdGenerator.random();
    private EventBus bus = EventBus.inProcess();
    private HeartbeatPolicy heartbeat = HeartbeatPolicy.defaults();
    private Limits limits = Limits.defaults();

    private Builder(ChatStore store) {
      this.store = Objects.requireNonNull(store, "store");
    }

    /** Default: PBKDF2-HMAC-SHA256 with 600,000 iterations. */
    public Builder passwordHasher(PasswordHasher hasher) {
      this.hasher = Objects.requireNonNull(hasher);
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    public Builder idGenerator(IdGenerator ids) {
      this.ids = Objects.requireNonNull(ids);
      return this;
    }

    /** Default: in-process. */
    public Builder eventBus(EventBus bus) {
      this.bus = Objects.requireNonNull(bus);
      return this;
    }

    public Builder heartbeat(HeartbeatPolicy heartbeat) {
      this.heartbeat = Objects.requireNonNull(heartbeat);
      return this;
    }

    public Builder limits(Limits limits) {
      this.limits = Objects.requireNonNull(limits);
      return this;
    }

    public ChatEngine build() {
      if (hasher == null) {
        hasher = new Pbkdf2PasswordHasher();
      }
      return new ChatEngine(this);
    }
  }
}
