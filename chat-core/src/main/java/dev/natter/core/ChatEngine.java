package dev.natter.core;

import dev.natter.core.model.AuthSession;
import dev.natter.core.model.MessagePage;
import dev.natter.core.model.Presence;
import dev.natter.core.model.RoomSummary;
import dev.natter.core.model.SearchHit;
import dev.natter.core.model.User;
import dev.natter.core.model.Visibility;
import dev.natter.core.protocol.ClientCommand;
import dev.natter.core.protocol.CloseCode;
import dev.natter.core.protocol.ServerEvent;
import dev.natter.core.security.Pbkdf2PasswordHasher;
import dev.natter.core.spi.ChatStore;
import dev.natter.core.spi.Clock;
import dev.natter.core.spi.Connection;
import dev.natter.core.spi.EventBus;
import dev.natter.core.spi.HeartbeatPolicy;
import dev.natter.core.spi.IdGenerator;
import dev.natter.core.spi.PasswordHasher;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
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
  private final ChatStore store;
  private final Clock clock;
  private final HeartbeatPolicy heartbeat;
  private final Limits limits;
  private final LiveClients clients;
  private final TypingTracker typing;
  private final Accounts accounts;
  private final RoomOperations roomOps;
  private final Messaging messaging;
  private final ScheduledExecutorService timers;

  private ChatEngine(Builder b) {
    this.store = b.store;
    this.clock = b.clock;
    this.heartbeat = b.heartbeat;
    this.limits = b.limits;
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
    AccessPolicy access = new AccessPolicy(store);
    this.accounts = new Accounts(store, b.hasher, clock, b.ids, limits, clients);
    this.roomOps = new RoomOperations(store, clock, b.ids, access, clients, typing);
    this.messaging = new Messaging(store, clock, b.ids, limits, access, clients, typing);
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
    return accounts.register(username, password, displayName);
  }

  /** Creates an account without signing it in (for administrators). */
  public User createUser(String username, String password, String displayName) {
    return accounts.createUser(username, password, displayName);
  }

  /**
   * Signs in. Attempts are limited per username and per client address.
   *
   * @param clientAddress the client's address for rate limiting, or null
   */
  public AuthResult login(String username, String password, String clientAddress) {
    return accounts.login(username, password, clientAddress);
  }

  /** The user behind a session token; {@code Unauthorized} if it is unknown, revoked or expired. */
  public Authenticated authenticate(String token) {
    return accounts.authenticate(token);
  }

  /** Revokes a session and closes its connections with 4001. Unknown tokens are ignored. */
  public void logout(String token) {
    accounts.logout(token);
  }

  /** Sets a new password and ends every session of the user (for administrators). */
  public void resetPassword(String username, String newPassword) {
    accounts.resetPassword(username, newPassword);
  }

  // =====================================================================================
  // Users and rooms (the HTTP API's operations)

  /** Users matching {@code query} in username or display name, to start a DM with. */
  public List<User> searchUsers(User me, String query) {
    return roomOps.searchUsers(me, query);
  }

  /** My rooms, most recently active first. */
  public List<RoomSummary> rooms(User me) {
    return roomOps.rooms(me);
  }

  /** Public group rooms I could join. */
  public List<RoomSummary> publicRooms(User me) {
    return roomOps.publicRooms(me);
  }

  /** One of my rooms. */
  public RoomSummary room(User me, String roomId) {
    return roomOps.room(me, roomId);
  }

  /** Creates a group room with me as owner and the given users as members. */
  public RoomSummary createRoom(
      User me, String name, Visibility visibility, List<String> memberUsernames) {
    return roomOps.createRoom(me, name, visibility, memberUsernames);
  }

  /** The DM between me and another user, and whether this call created it. */
  public record DmOpened(RoomSummary room, boolean created) {}

  /** Finds or creates the DM between me and {@code username}. */
  public DmOpened openDm(User me, String username) {
    return roomOps.openDm(me, username);
  }

  /** Joins a public group room (a no-op if I am already a member). */
  public RoomSummary join(User me, String roomId) {
    return roomOps.join(me, roomId);
  }

  /** Leaves a group room. */
  public void leave(User me, String roomId) {
    roomOps.leave(me, roomId);
  }

  /** Adds a user to a group room (owners and admins). */
  public void invite(User me, String roomId, String username) {
    roomOps.invite(me, roomId, username);
  }

  /** Removes a member from a group room (owners and admins; only owners remove admins). */
  public void kick(User me, String roomId, String username) {
    roomOps.kick(me, roomId, username);
  }

  /**
   * A page of a room's messages in seq order: the newest before {@code before}, or the oldest after
   * {@code after}; not both.
   */
  public MessagePage messages(User me, String roomId, Long before, Long after, Integer limit) {
    return messaging.messages(me, roomId, before, after, limit);
  }

  /** Full-text search in my rooms (or one of them). */
  public List<SearchHit> search(User me, String query, String roomId) {
    return messaging.search(me, query, roomId);
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
    List<String> contacts = store.contactsOf(user.id());
    List<Presence> presence =
        contacts.isEmpty()
            ? List.of()
            : store.findUsers(contacts).stream().map(clients::presenceOf).toList();
    ServerEvent.Ready ready =
        new ServerEvent.Ready(
            user,
            new ServerEvent.HeartbeatSettings(heartbeat.intervalMs(), heartbeat.timeoutMs()),
            roomOps.rooms(user),
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
    messaging.execute(client, command);
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
    messaging.pruneRateLimiters();
    accounts.pruneRateLimiters();
  }

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
