package dev.natter.core;

import dev.natter.core.model.AuthSession;
import dev.natter.core.model.FileInfo;
import dev.natter.core.model.Message;
import dev.natter.core.model.MessagePage;
import dev.natter.core.model.Presence;
import dev.natter.core.model.RoomSummary;
import dev.natter.core.model.SearchHit;
import dev.natter.core.model.User;
import dev.natter.core.model.Visibility;
import dev.natter.core.protocol.CloseCode;
import dev.natter.core.protocol.ServerEvent;
import dev.natter.core.security.Pbkdf2PasswordHasher;
import dev.natter.core.spi.BlobStore;
import dev.natter.core.spi.ChatStore;
import dev.natter.core.spi.Clock;
import dev.natter.core.spi.Connection;
import dev.natter.core.spi.EventBus;
import dev.natter.core.spi.HeartbeatPolicy;
import dev.natter.core.spi.IdGenerator;
import dev.natter.core.spi.PasswordHasher;
import dev.natter.core.store.blob.InMemoryBlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The chat engine: the one place where Natter's rules live. Transports authenticate through it,
 * attach connections to it and hand it commands; it validates, authorizes (through one access
 * policy), stores through the {@link ChatStore} and fans events out to every connection of every
 * recipient.
 *
 * <p>Methods that take a {@code User me} act for that user, who is trusted to be who they are
 * (authenticated by a transport through {@link #authenticate}, or chosen by the embedding
 * application); they throw a {@link ChatException} subclass when the request is invalid or not
 * allowed, and nothing changes in that case.
 *
 * <p>In-process use needs no transport: {@link #send(User, String, String)} and its siblings act
 * for a user, and {@link #listen} delivers a user's events to a {@link UserListener}:
 *
 * <pre>{@code
 * try (ChatEngine engine = ChatEngine.builder(new InMemoryChatStore()).build()) {
 *   User alice = engine.createUser("alice", "correct horse battery", "Alice");
 *   User bob = engine.createUser("bob", "correct horse battery", "Bob");
 *   String dm = engine.openDm(alice, "bob").room().room().id();
 *   try (ConnectedClient inbox = engine.listen(bob, event -> System.out.println(event))) {
 *     Message stored = engine.send(alice, dm, "hello").join(); // completes once committed
 *   }
 * }
 * }</pre>
 *
 * <p>Thread-safe. The engine owns two small thread pools (timers, and the delivery to in-process
 * listeners); {@link #close} stops them. It does not own the store.
 */
public final class ChatEngine implements AutoCloseable {
  /** Events an in-process listener may fall behind by before it is closed as a slow consumer. */
  static final int LISTENER_MAX_QUEUED = 10_000;

  /** How long {@link #close} waits for in-process listeners to hear that they are closed. */
  private static final long LISTENER_CLOSE_WAIT_MS = 1_000;

  private final ChatStore store;
  private final Clock clock;
  private final HeartbeatPolicy heartbeat;
  private final Limits limits;
  private final LiveClients clients;
  private final TypingTracker typing;
  private final Accounts accounts;
  private final RoomOperations roomOps;
  private final Messaging messaging;
  private final FileOperations files;
  private final CommandHandler commands;
  private final ScheduledExecutorService timers;
  private final PresenceDebounce presenceDebounce;
  private final ExecutorService listenerThreads;

  private ChatEngine(Builder b) {
    this.store = b.store;
    this.clock = b.clock;
    this.heartbeat = b.heartbeat;
    this.limits = b.limits;
    this.clients = new LiveClients(store, clock, b.bus);
    this.timers = Executors.newSingleThreadScheduledExecutor(daemon("natter-engine-timers"));
    this.listenerThreads = Executors.newCachedThreadPool(daemon("natter-listener"));
    this.presenceDebounce =
        new PresenceDebounce(
            clock, limits.presenceDebounce(), timers, clients::isOnline, this::tellPresence);
    this.typing =
        new TypingTracker(clients, timers, clock, limits.typingExpiry(), limits.typingThrottle());
    // memberships changed on another node would not reach this node's cache: with a bus that
    // spans nodes, every check reads the store (rooms themselves never change and stay cached)
    MembershipCache memberships = new MembershipCache(store, !b.bus.spansNodes());
    AccessPolicy access = new AccessPolicy(store, memberships);
    this.accounts = new Accounts(store, b.hasher, clock, b.ids, limits, clients);
    this.roomOps = new RoomOperations(store, clock, b.ids, access, memberships, clients, typing);
    this.files = new FileOperations(store, b.blobs, clock, b.ids, access);
    this.messaging = new Messaging(store, clock, b.ids, limits, access, clients, typing, files);
    this.commands = new CommandDispatcher(messaging, clients);
    // Off the caller's thread: a connection may end on the store's committing thread (a slow
    // consumer closed during fan-out), and going offline writes to the store.
    clients.onLastDisconnect(client -> runLater(() -> wentOffline(client)));
    timers.scheduleWithFixedDelay(this::pruneRateLimiters, 1, 1, TimeUnit.MINUTES);
    timers.scheduleWithFixedDelay(this::closeExpiredSessions, 1, 1, TimeUnit.MINUTES);
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * Starts building an engine on a store; every other part has a sensible default.
   *
   * @param store where everything is kept; the engine does not close it
   * @return a new builder
   */
  public static Builder builder(ChatStore store) {
    return new Builder(store);
  }

  /**
   * When transports ping their connections and give up on silent ones.
   *
   * @return the heartbeat policy this engine was built with
   */
  public HeartbeatPolicy heartbeat() {
    return heartbeat;
  }

  /**
   * The limits this engine enforces.
   *
   * @return the limits this engine was built with
   */
  public Limits limits() {
    return limits;
  }

  /**
   * Live connections on this node, in-process listeners included.
   *
   * @return the number of attached clients
   */
  public int connectionCount() {
    return clients.connectionCount();
  }

  // =====================================================================================
  // Accounts and sessions

  /**
   * Creates an account and signs it in.
   *
   * @param username 3 to 32 letters, digits, {@code _}, {@code .} or {@code -}; unique ignoring
   *     case
   * @param password at least 8 characters
   * @param displayName the name others see, or null for the username
   * @return the new user and session
   * @throws ChatException.BadRequest for an invalid username, password or display name
   * @throws ChatException.Conflict if the username is taken
   * @throws ChatException.RateLimited when {@link Limits#registrationsGlobal()} is reached
   */
  public AuthResult register(String username, String password, String displayName) {
    return accounts.register(username, password, displayName, null);
  }

  /**
   * Creates an account for a client at a network address and signs it in. Registrations are limited
   * per address ({@link Limits#registrationsPerAddress()}) and in all ({@link
   * Limits#registrationsGlobal()}).
   *
   * @param username 3 to 32 letters, digits, {@code _}, {@code .} or {@code -}; unique ignoring
   *     case
   * @param password at least 8 characters
   * @param displayName the name others see, or null for the username
   * @param clientAddress the client's address, or null for no limit per address
   * @return the new user and session
   * @throws ChatException.BadRequest for an invalid username, password or display name
   * @throws ChatException.Conflict if the username is taken
   * @throws ChatException.RateLimited when a registration limit is reached
   */
  public AuthResult register(
      String username, String password, String displayName, String clientAddress) {
    return accounts.register(username, password, displayName, clientAddress);
  }

  /**
   * Creates an account without signing it in (for administrators and in-process users).
   *
   * @param username 3 to 32 letters, digits, {@code _}, {@code .} or {@code -}; unique ignoring
   *     case
   * @param password at least 8 characters
   * @param displayName the name others see, or null for the username
   * @return the new user
   * @throws ChatException.BadRequest for an invalid username, password or display name
   * @throws ChatException.Conflict if the username is taken
   */
  public User createUser(String username, String password, String displayName) {
    return accounts.createUser(username, password, displayName);
  }

  /**
   * Finds a user by username, for in-process callers that know a user by name.
   *
   * @param username the username, in any case
   * @return the user
   * @throws ChatException.NotFound if there is no such user
   */
  public User user(String username) {
    return roomOps.requireUser(username);
  }

  /**
   * Signs in. Attempts are limited per (username, address) ({@link Limits#loginAttempts()}), per
   * address ({@link Limits#loginAttemptsPerAddress()}) and in all ({@link
   * Limits#loginAttemptsGlobal()}), so that wrong passwords sent from elsewhere never lock the
   * owner out.
   *
   * @param username the username, in any case
   * @param password the password
   * @param clientAddress the client's address for rate limiting, or null
   * @return the user and the new session
   * @throws ChatException.Unauthorized for a wrong username or password
   * @throws ChatException.RateLimited after too many attempts
   */
  public AuthResult login(String username, String password, String clientAddress) {
    return accounts.login(username, password, clientAddress);
  }

  /**
   * The user behind a session token.
   *
   * @param token the token from {@link #register} or {@link #login}
   * @return the user and the session
   * @throws ChatException.Unauthorized if the token is missing, unknown, revoked or expired
   */
  public Authenticated authenticate(String token) {
    return accounts.authenticate(token);
  }

  /**
   * Revokes a session and closes its connections with {@link CloseCode#SESSION_REVOKED}. Unknown
   * tokens are ignored.
   *
   * @param token the session's token, or null (ignored)
   */
  public void logout(String token) {
    accounts.logout(token);
  }

  /**
   * Sets a new password and ends every session of the user, closing their connections (for
   * administrators). In-process listeners stay.
   *
   * @param username the user's username
   * @param newPassword at least 8 characters
   * @throws ChatException.NotFound if there is no such user
   * @throws ChatException.BadRequest for an invalid password
   */
  public void resetPassword(String username, String newPassword) {
    accounts.resetPassword(username, newPassword);
  }

  // =====================================================================================
  // Users and rooms (the HTTP API's operations)

  /**
   * Users matching {@code query} in username or display name, to start a DM with.
   *
   * @param me who asks
   * @param query part of a username or display name; null or blank finds everyone (up to the limit)
   * @return at most 20 users, by username
   * @throws ChatException.BadRequest for a query over 200 characters
   */
  public List<User> searchUsers(User me, String query) {
    return roomOps.searchUsers(me, query);
  }

  /**
   * My rooms, most recently active first.
   *
   * @param me whose rooms
   * @return each room as I see it (DMs named after the other member)
   */
  public List<RoomSummary> rooms(User me) {
    return roomOps.rooms(me);
  }

  /**
   * Public group rooms I could join.
   *
   * @param me who asks
   * @return the public groups I am not a member of
   */
  public List<RoomSummary> publicRooms(User me) {
    return roomOps.publicRooms(me);
  }

  /**
   * One of my rooms.
   *
   * @param me who asks
   * @param roomId the room
   * @return the room as I see it
   * @throws ChatException.NotFound if there is no such room
   * @throws ChatException.Forbidden if I am not a member
   */
  public RoomSummary room(User me, String roomId) {
    return roomOps.room(me, roomId);
  }

  /**
   * Creates a group room with me as owner and the given users as members; every member's
   * connections get a {@code room} event.
   *
   * @param me the owner
   * @param name 1 to 80 characters
   * @param visibility public (anyone may join) or private (by invitation)
   * @param memberUsernames the other members, or null for none
   * @return the new room as I see it
   * @throws ChatException.BadRequest for an invalid name or a missing visibility
   * @throws ChatException.NotFound for an unknown member
   */
  public RoomSummary createRoom(
      User me, String name, Visibility visibility, List<String> memberUsernames) {
    return roomOps.createRoom(me, name, visibility, memberUsernames);
  }

  /**
   * Finds or creates the DM between me and {@code username}.
   *
   * @param me one member
   * @param username the other member
   * @return the DM as I see it, and whether this call created it
   * @throws ChatException.NotFound for an unknown user
   * @throws ChatException.BadRequest for a DM with myself
   */
  public DmOpened openDm(User me, String username) {
    return roomOps.openDm(me, username);
  }

  /**
   * Joins a public group room (a no-op if I am already a member).
   *
   * @param me who joins
   * @param roomId the room
   * @return the room as I see it now
   * @throws ChatException.NotFound if there is no such room
   * @throws ChatException.Forbidden if the room is private or a DM
   */
  public RoomSummary join(User me, String roomId) {
    return roomOps.join(me, roomId);
  }

  /**
   * Leaves a group room; when its last owner leaves, the longest-standing admin (else member)
   * becomes owner.
   *
   * @param me who leaves
   * @param roomId the room
   * @throws ChatException.NotFound if there is no such room
   * @throws ChatException.Forbidden if I am not a member
   * @throws ChatException.BadRequest for a DM
   */
  public void leave(User me, String roomId) {
    roomOps.leave(me, roomId);
  }

  /**
   * Adds a user to a group room (owners and admins).
   *
   * @param me the moderator
   * @param roomId the room
   * @param username who to add
   * @throws ChatException.Forbidden if I may not moderate the room
   * @throws ChatException.NotFound for an unknown room or user
   * @throws ChatException.Conflict if the user is already a member
   */
  public void invite(User me, String roomId, String username) {
    roomOps.invite(me, roomId, username);
  }

  /**
   * Removes a member from a group room: owners remove admins and members, admins remove members,
   * nobody removes an owner.
   *
   * @param me the moderator
   * @param roomId the room
   * @param username who to remove
   * @throws ChatException.Forbidden if I may not remove them
   * @throws ChatException.NotFound for an unknown room or user, or one who is not a member
   * @throws ChatException.BadRequest for myself (leave instead) or a DM
   */
  public void kick(User me, String roomId, String username) {
    roomOps.kick(me, roomId, username);
  }

  /**
   * A page of a room's messages in seq order: the newest before {@code before}, or the oldest after
   * {@code after}; not both.
   *
   * @param me a member of the room
   * @param roomId the room
   * @param before only messages with a smaller seq, or null
   * @param after only messages with a greater seq, or null
   * @param limit most messages in the page (capped by {@link Limits#historyLimit()}), or null for
   *     50
   * @return the page and whether more messages lie beyond it
   * @throws ChatException.Forbidden if I am not a member
   * @throws ChatException.BadRequest for both {@code before} and {@code after}, or a bad number
   */
  public MessagePage messages(User me, String roomId, Long before, Long after, Integer limit) {
    return messaging.messages(me, roomId, before, after, limit);
  }

  /**
   * Full-text search in my rooms (or one of them), newest first.
   *
   * @param me who searches
   * @param query the words to find
   * @param roomId only this room, or null for all of mine
   * @return at most 50 hits
   * @throws ChatException.BadRequest for a blank or over-long query
   * @throws ChatException.Forbidden if I am not a member of {@code roomId}
   */
  public List<SearchHit> search(User me, String query, String roomId) {
    return messaging.search(me, query, roomId);
  }

  // =====================================================================================
  // Messages, for in-process callers (a connection sends the same through ClientCommands)

  /**
   * Sends a message with a new client message id; see {@link #send(User, String, String, String,
   * String)}.
   *
   * @param me the sender, a member of the room
   * @param roomId the room
   * @param body the text, trimmed; 1 to {@link Limits#maxBodyChars()} characters
   * @return the stored message, once committed
   */
  public CompletableFuture<Message> send(User me, String roomId, String body) {
    return send(me, roomId, UUID.randomUUID().toString(), body, null);
  }

  /**
   * Sends a message: the room's members get it as a {@code message} event once the store has
   * committed it, exactly as if {@code me} had sent it over a connection (the same checks and the
   * same send rate). A resend with a {@code clientMsgId} already stored creates nothing and yields
   * the original message.
   *
   * <p>Never throws for a rejected send: the returned future fails with the {@link ChatException}
   * ({@code bad_request}, {@code forbidden}, {@code not_found}, {@code rate_limited}, or {@code
   * internal} when the store could not commit).
   *
   * @param me the sender, a member of the room
   * @param roomId the room
   * @param clientMsgId the sender's idempotency key (at most 64 characters)
   * @param body the text, trimmed; 1 to {@link Limits#maxBodyChars()} characters
   * @param replyTo the id of a message of the same room this one answers, or null
   * @return the stored message (with its seq, id and time), once committed
   */
  public CompletableFuture<Message> send(
      User me, String roomId, String clientMsgId, String body, String replyTo) {
    return send(me, roomId, clientMsgId, body, replyTo, List.of());
  }

  /**
   * Sends a message with files I uploaded to the room ({@link #uploadFile}) and have not sent yet;
   * otherwise as {@link #send(User, String, String, String, String)}. With files the body may be
   * empty. A file of someone else, of another room or unknown fails the send with {@code
   * not_found}, one sent already with {@code bad_request}; nothing is stored then. A resend of the
   * same {@code clientMsgId} yields the original message.
   *
   * @param me the sender, a member of the room
   * @param roomId the room
   * @param clientMsgId the sender's idempotency key (at most 64 characters)
   * @param body the text, trimmed; up to {@link Limits#maxBodyChars()} characters (at least 1
   *     without files)
   * @param replyTo the id of a message of the same room this one answers, or null
   * @param fileIds the ids of the files to send with it (at most 10), in order; empty for none
   * @return the stored message (with its seq, id, time and files), once committed
   */
  public CompletableFuture<Message> send(
      User me,
      String roomId,
      String clientMsgId,
      String body,
      String replyTo,
      List<String> fileIds) {
    try {
      return messaging.send(me, roomId, clientMsgId, body, replyTo, fileIds);
    } catch (ChatException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  // =====================================================================================
  // Files

  /**
   * Stores a file that a member uploads into a room, to be sent with a message ({@link #send(User,
   * String, String, String, String, List)}). Membership is checked before any byte is read. The
   * bytes go to the engine's {@link BlobStore} as they arrive; the type is sniffed from them (the
   * uploader's claim is not asked for); images get their dimensions and, when within the pixel
   * bound, a thumbnail. A file not sent within 24 hours is removed ({@link #removeStaleUploads}).
   * When this fails, nothing of the upload is left behind.
   *
   * @param me the uploader, a member of the room
   * @param roomId the room
   * @param name the file name as the uploader gave it (its path is dropped)
   * @param content the bytes; read to the end, not closed
   * @param maxBytes the largest file accepted
   * @return the file as messages will carry it
   * @throws ChatException.Forbidden if {@code me} is not a member of the room
   * @throws ChatException.NotFound if there is no such room
   * @throws ChatException.TooLarge if the file is over {@code maxBytes}
   * @throws ChatException.BadRequest if the file is empty or its name is refused
   * @throws IOException if reading {@code content} or storing the bytes fails
   */
  public FileInfo uploadFile(
      User me, String roomId, String name, InputStream content, long maxBytes) throws IOException {
    return files.upload(me, roomId, name, content, maxBytes);
  }

  /**
   * A file to serve to a member of the room it was sent into (or to its uploader before it is
   * sent). Anyone else, and anyone after its message was deleted, gets the same {@code not_found}
   * as for an unknown id.
   *
   * @param me who asks
   * @param fileId the file's id
   * @return the file's bytes and how to serve them
   * @throws ChatException.NotFound if there is no such file that {@code me} may read
   */
  public FileDownload downloadFile(User me, String fileId) {
    return files.download(me, fileId);
  }

  /**
   * The thumbnail of an image, to whoever may read the image ({@link #downloadFile}).
   *
   * @param me who asks
   * @param fileId the image's id
   * @return the thumbnail (PNG, or JPEG for a JPEG image)
   * @throws ChatException.NotFound if there is no such file that {@code me} may read, or it has no
   *     thumbnail
   */
  public FileDownload thumbnail(User me, String fileId) {
    return files.thumbnail(me, fileId);
  }

  /**
   * Removes the uploads that were not sent within 24 hours (by the engine's clock) and the blobs no
   * file refers to any more. A server calls it periodically.
   *
   * @return how many files were removed
   */
  public int removeStaleUploads() {
    return files.removeStaleUploads();
  }

  /**
   * Edits my message; the room's members get {@code messageUpdated}.
   *
   * @param me the author
   * @param roomId the message's room
   * @param messageId the message
   * @param body the new text
   * @return the message as edited
   * @throws ChatException.Forbidden if it is not my message or I am not a member
   * @throws ChatException.Conflict if it was deleted
   */
  public Message edit(User me, String roomId, String messageId, String body) {
    return messaging.edit(me, roomId, messageId, body);
  }

  /**
   * Deletes a message (mine, or any as an owner or admin): it keeps its seq with an empty body, and
   * the room's members get {@code messageUpdated}. Deleting a deleted message changes nothing.
   *
   * @param me the author or a moderator
   * @param roomId the message's room
   * @param messageId the message
   * @return the message as deleted
   * @throws ChatException.Forbidden if I may not delete it
   * @throws ChatException.NotFound if there is no such message
   */
  public Message delete(User me, String roomId, String messageId) {
    return messaging.delete(me, roomId, messageId);
  }

  /**
   * Adds or removes my reaction to a message; the room's members get {@code messageUpdated}.
   *
   * @param me a member of the room
   * @param roomId the message's room
   * @param messageId the message
   * @param emoji the reaction, 1 to 32 characters without spaces
   * @param on true to add, false to remove
   * @return the message with its reactions now
   * @throws ChatException.Conflict if the message was deleted
   */
  public Message react(User me, String roomId, String messageId, String emoji, boolean on) {
    return messaging.react(me, roomId, messageId, emoji, on);
  }

  /**
   * Starts or stops my typing indicator in a room; it expires by itself after {@link
   * Limits#typingExpiry()}.
   *
   * @param me a member of the room
   * @param roomId the room
   * @param active true while typing
   * @throws ChatException.Forbidden if I am not a member
   */
  public void typing(User me, String roomId, boolean active) {
    messaging.typing(me, roomId, active);
  }

  /**
   * Moves my read marker forward to {@code seq} (never back); the room's members get {@code read}.
   *
   * @param me a member of the room
   * @param roomId the room
   * @param seq the highest seq I have read
   * @throws ChatException.Forbidden if I am not a member
   */
  public void markRead(User me, String roomId, long seq) {
    messaging.markRead(me, roomId, seq);
  }

  // =====================================================================================
  // Live connections

  /**
   * Attaches a transport's authenticated connection. Its first event is {@code ready}; events for
   * the user that happen meanwhile follow it, never precede it. The user comes online with their
   * first connection.
   *
   * @param auth the user and session, from {@link #authenticate}
   * @param connection where the client's events go
   * @return the client, to hand commands to and to tell when the socket ends
   */
  public ConnectedClient connect(Authenticated auth, Connection connection) {
    return attach(auth.user(), auth.session(), connection);
  }

  /**
   * Delivers a user's events to an in-process listener, as if the user had a connection: {@code
   * ready} first, then everything the user's WebSocket clients would get. While it is attached the
   * user counts as online. No logout or password reset ends it; closing the returned client (or the
   * engine) does.
   *
   * @param user the user to listen as
   * @param listener receives the events, in order, on an engine thread
   * @return the attached client: {@link ConnectedClient#handle} sends commands as the user (their
   *     answers reach the listener), {@link ConnectedClient#close} detaches the listener
   * @throws ChatException.NotFound if the user does not exist
   */
  public ConnectedClient listen(User user, UserListener listener) {
    Objects.requireNonNull(listener, "listener");
    User known =
        store
            .findUser(Objects.requireNonNull(user, "user").id())
            .orElseThrow(() -> new ChatException.NotFound("no user " + user.username()));
    return attach(
        known, null, new ListenerConnection(listener, listenerThreads, LISTENER_MAX_QUEUED));
  }

  private ConnectedClient attach(User user, AuthSession session, Connection connection) {
    ConnectedClient client =
        new ConnectedClient(commands, clock, limits.rateLimitStrikes(), user, session, connection);
    boolean cameOnline = clients.add(client);
    List<String> contacts = store.contactsOf(user.id());
    List<Presence> presence =
        contacts.isEmpty() ? List.of() : clients.presenceOf(store.findUsers(contacts));
    ServerEvent.Ready ready =
        new ServerEvent.Ready(
            user,
            new ServerEvent.HeartbeatSettings(heartbeat.intervalMs(), heartbeat.timeoutMs()),
            roomOps.rooms(user),
            presence);
    client.start(ready);
    if (cameOnline && clients.isOnline(user.id())) { // not if ready already closed it
      presenceDebounce.changed(user.id());
    }
    return client;
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
    presenceDebounce.changed(user.id());
  }

  /** Tells a user's contacts the user's status (through {@link PresenceDebounce}). */
  private void tellPresence(String userId, boolean online) {
    User user = store.findUser(userId).orElse(null);
    if (user == null) {
      return;
    }
    Instant now = clock.now();
    Presence p =
        online
            ? new Presence(user, Presence.Status.ONLINE, now)
            : new Presence(user, Presence.Status.OFFLINE, store.lastSeen(userId).orElse(now));
    ServerEvent event = new ServerEvent.PresenceEvent(p);
    for (String contactId : store.contactsOf(userId)) {
      clients.toUser(contactId, event);
    }
  }

  private void runLater(Runnable task) {
    try {
      timers.execute(task);
    } catch (RejectedExecutionException e) {
      // the engine is closing: nobody is left to tell
    }
  }

  /**
   * Sessions end on time even for connections that stay open: those are closed with {@link
   * CloseCode#SESSION_REVOKED}.
   */
  void closeExpiredSessions() {
    clients.closeExpired(clock.now());
  }

  private void pruneRateLimiters() {
    messaging.pruneRateLimiters();
    accounts.pruneRateLimiters();
    presenceDebounce.prune();
  }

  /**
   * Closes every connection and listener with {@link CloseCode#GOING_AWAY} and stops the engine's
   * threads. In-process listeners get the events queued for them and then {@link
   * UserListener#onClosed}; this waits for that, up to a second. The store stays open: it belongs
   * to whoever gave it to the builder, who may close it once this returns.
   */
  @Override
  public void close() {
    clients.closeAll(CloseCode.GOING_AWAY);
    timers.shutdownNow();
    listenerThreads.shutdown(); // what is queued (the onClosed calls) still runs
    try {
      listenerThreads.awaitTermination(LISTENER_CLOSE_WAIT_MS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
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
    private BlobStore blobs;

    private Builder(ChatStore store) {
      this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * How passwords are hashed. Default: PBKDF2-HMAC-SHA256 with 600,000 iterations.
     *
     * @param hasher the hasher
     * @return this builder
     */
    public Builder passwordHasher(PasswordHasher hasher) {
      this.hasher = Objects.requireNonNull(hasher);
      return this;
    }

    /**
     * The source of time. Default: the system clock.
     *
     * @param clock the clock (tests use one they can move)
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    /**
     * Where ids of users, rooms and messages come from. Default: {@link IdGenerator#random()}.
     *
     * @param ids the generator
     * @return this builder
     */
    public Builder idGenerator(IdGenerator ids) {
      this.ids = Objects.requireNonNull(ids);
      return this;
    }

    /**
     * How events reach the other nodes of a cluster. Default: {@link EventBus#inProcess()}.
     *
     * @param bus the bus
     * @return this builder
     */
    public Builder eventBus(EventBus bus) {
      this.bus = Objects.requireNonNull(bus);
      return this;
    }

    /**
     * When transports ping connections and close silent ones. Default: {@link
     * HeartbeatPolicy#defaults()}.
     *
     * @param heartbeat the policy
     * @return this builder
     */
    public Builder heartbeat(HeartbeatPolicy heartbeat) {
      this.heartbeat = Objects.requireNonNull(heartbeat);
      return this;
    }

    /**
     * The limits to enforce. Default: {@link Limits#defaults()}.
     *
     * @param limits the limits
     * @return this builder
     */
    public Builder limits(Limits limits) {
      this.limits = Objects.requireNonNull(limits);
      return this;
    }

    /**
     * Where the bytes of uploaded files are kept (their metadata is the store's). Default: an
     * {@link InMemoryBlobStore}, lost with the process: give a durable one (such as {@code
     * FileSystemBlobStore}) beside a durable store.
     *
     * @param blobs the blob store
     * @return this builder
     */
    public Builder blobStore(BlobStore blobs) {
      this.blobs = Objects.requireNonNull(blobs);
      return this;
    }

    /**
     * Builds the engine and starts its timers.
     *
     * @return a new engine
     */
    public ChatEngine build() {
      if (hasher == null) {
        hasher = new Pbkdf2PasswordHasher();
      }
      if (blobs == null) {
        blobs = new InMemoryBlobStore();
      }
      return new ChatEngine(this);
    }
  }
}
