package dev.natter.client;

import dev.natter.core.ChatException;
import dev.natter.core.model.Message;
import dev.natter.core.model.MessagePage;
import dev.natter.core.model.RoomSummary;
import dev.natter.core.model.User;
import dev.natter.core.model.Visibility;
import dev.natter.core.protocol.ClientCommand;
import dev.natter.core.protocol.ErrorCode;
import dev.natter.core.protocol.ServerEvent;
import dev.natter.core.spi.ChatStore;
import dev.natter.transport.codec.JsonCodec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A Natter client for Java programs: bots, integrations and the terminal client.
 *
 * <pre>{@code
 * ChatClient client = ChatClient.builder(URI.create("http://127.0.0.1:8080"))
 *     .login("alice", "correct horse battery")
 *     .onMessage(e -> System.out.println(e.message().sender().username() + ": " + e.message().body()))
 *     .build();
 * client.connect().join();                       // completes on the server's ready
 * String dm = client.openDm("bob").room().id();  // HTTP API
 * client.send(dm, "hi bob").join();              // completes with the server's ack
 * client.close();
 * }</pre>
 *
 * <p><b>Delivery.</b> Listeners see each room's messages once and in {@code seq} order, from the
 * first {@code ready} on (older ones: {@link #history} or {@link #messages}). When the connection
 * drops for any reason but a close with 1000 or 4001, the client reconnects with exponential
 * backoff and jitter, sends {@code sync} with the last seq it delivered per room, holds messages
 * that arrive ahead of a gap until the gap is filled (paging back with {@code history} when the
 * server's replay was {@code limited}), and resends every unacknowledged message with its original
 * {@code clientMsgId}, so nothing is missed and nothing is stored twice. A close with 4001 (session
 * revoked or expired) ends in {@link ConnectionState#SIGNED_OUT}.
 *
 * <p><b>Threads.</b> All methods are thread-safe. Listeners and the completion of the futures
 * returned by WebSocket requests run on the client's single event thread, in the order the events
 * arrived: keep them short, and never block on one of this client's futures inside a listener
 * (chain with {@code thenAccept} instead). The HTTP helpers ({@link #rooms()} and the like) block
 * the calling thread and throw {@link ChatException} with the server's error code.
 */
public final class ChatClient implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ChatClient.class.getName());
  private static final int SYNC_CHUNK = 1_000;
  private static final long READY_DEADLINE_MS = 30_000;
  private static final long CLOSE_WAIT_MS = 2_000;
  private static final long WATCHDOG_PERIOD_MS = 250;

  private final Transport transport;
  private final HttpApi http;
  private final Listeners listeners;
  private final Outbox outbox;
  private final Backoff backoff;
  private final Map<String, Long> resumeFrom;
  private final Credentials credentials;
  private final ScheduledThreadPoolExecutor loop;
  private volatile Thread loopThread;
  private final AtomicLong requestIds = new AtomicLong();

  private volatile ConnectionState state = ConnectionState.NEW;
  private volatile String token;
  private volatile User user;
  private final CompletableFuture<ServerEvent.Ready> connected = new CompletableFuture<>();
  private final Map<String, Long> seen = new ConcurrentHashMap<>();

  // Event-thread state.
  private Transport.Link link;
  private int generation;
  private boolean linkReady;
  private boolean everReady;
  private long lastActivityNanos;
  private long awaitingSinceNanos;
  private long silenceLimitMs = READY_DEADLINE_MS;
  private final long answerTimeoutMs;
  private ScheduledFuture<?> watchdog;
  private ScheduledFuture<?> retry;
  private final Map<String, RoomCursor> cursors = new HashMap<>();
  private final Map<String, CompletableFuture<ServerEvent.Ack>> sendFutures = new HashMap<>();
  private final Map<String, Pending<?>> requests = new LinkedHashMap<>();
  private final Map<String, Set<String>> syncRequests = new HashMap<>();
  private final Map<String, String> pagingRequests = new HashMap<>();

  private ChatClient(Builder b) {
    HttpClient httpClient =
        b.server == null
            ? null
            : HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(JdkWebSocketTransport.CONNECT_TIMEOUT)
                .build();
    this.http = httpClient == null ? null : new HttpApi(httpClient, b.server, this::token);
    this.transport =
        b.transport != null ? b.transport : new JdkWebSocketTransport(httpClient, b.server);
    this.listeners = b.listeners;
    this.outbox = b.outbox != null ? b.outbox : Outbox.inMemory();
    this.backoff = new Backoff(b.backoffInitial, b.backoffMax, b.jitter, b.random);
    this.resumeFrom = Map.copyOf(b.resumeFrom);
    this.answerTimeoutMs = b.answerTimeout.toMillis();
    this.credentials = b.credentials;
    this.token = b.token;
    this.loop =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "natter-client");
              t.setDaemon(true);
              loopThread = t;
              return t;
            });
    loop.setRemoveOnCancelPolicy(true);
  }

  /** Starts building a client of the server at {@code server} ({@code http://host:port}). */
  public static Builder builder(URI server) {
    return new Builder(Objects.requireNonNull(server, "server"));
  }

  // =====================================================================================
  // Connection

  /**
   * Signs in (when built with credentials) and opens the WebSocket. The future completes with the
   * server's first {@code ready}, or fails when signing in or the first connection fails (the
   * client is then {@link ConnectionState#CLOSED}, or {@link ConnectionState#SIGNED_OUT} for a
   * refused token). Calling it again returns the same future.
   */
  public CompletableFuture<ServerEvent.Ready> connect() {
    synchronized (this) {
      if (state != ConnectionState.NEW) {
        return connected;
      }
      state = ConnectionState.CONNECTING;
    }
    post(() -> listeners.stateChanged.forEach(l -> call(l, ConnectionState.CONNECTING)));
    CompletableFuture<String> signedIn;
    if (token != null) {
      signedIn = CompletableFuture.completedFuture(token);
    } else {
      signedIn = CompletableFuture.supplyAsync(this::signIn);
    }
    signedIn.whenComplete(
        (t, error) ->
            post(
                () -> {
                  if (state.isTerminal()) {
                    return;
                  }
                  if (error != null) {
                    Throwable cause = unwrap(error);
                    if (cause instanceof ChatException ce && ce.code() == ErrorCode.UNAUTHORIZED) {
                      enterTerminal(ConnectionState.SIGNED_OUT, cause);
                    } else {
                      enterTerminal(ConnectionState.CLOSED, cause);
                    }
                    return;
                  }
                  token = t;
                  attempt();
                }));
    return connected;
  }

  private String signIn() {
    JsonCodec.Auth result =
        credentials.register()
            ? http.register(
                credentials.username(), credentials.password(), credentials.displayName())
            : http.login(credentials.username(), credentials.password());
    user = result.user();
    return result.token();
  }

  /** The connection's state now. */
  public ConnectionState state() {
    return state;
  }

  /** The signed-in user, once known (after signing in or the first {@code ready}), else null. */
  public User user() {
    return user;
  }

  /** The session token, once known; keep it to build a later client with {@code token(..)}. */
  public String token() {
    return token;
  }

  /**
   * The highest seq delivered to the listeners per room. A program that saves it can pass it to
   * {@link Builder#resumeFrom(Map)} to get what it missed while it was not running.
   */
  public Map<String, Long> lastSeen() {
    return Map.copyOf(seen);
  }

  /** The outbox: messages sent but not acknowledged yet. */
  public Outbox outbox() {
    return outbox;
  }

  /**
   * Closes the connection cleanly (1000) and stops reconnecting. Futures still pending fail with
   * {@link CancellationException}; unacknowledged messages stay in the {@link Outbox}.
   */
  @Override
  public void close() {
    runOnLoopAndWait(() -> enterTerminal(ConnectionState.CLOSED, null));
    loop.shutdown();
    try {
      if (Thread.currentThread() != loopThread) {
        loop.awaitTermination(CLOSE_WAIT_MS, TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Signs out: revokes the session on the server ({@code POST /api/logout}), which closes its
   * sockets everywhere, and ends in {@link ConnectionState#SIGNED_OUT}.
   */
  public void logout() {
    try {
      http().logout();
    } finally {
      runOnLoopAndWait(() -> enterTerminal(ConnectionState.SIGNED_OUT, null));
    }
  }

  // =====================================================================================
  // WebSocket requests

  /** Sends a message; see {@link #send(Outbox.Entry)}. */
  public CompletableFuture<ServerEvent.Ack> send(String room, String body) {
    return send(room, body, null);
  }

  /** Sends a message that replies to message {@code replyTo} (may be null). */
  public CompletableFuture<ServerEvent.Ack> send(String room, String body, String replyTo) {
    return send(new Outbox.Entry(UUID.randomUUID().toString(), room, body, replyTo));
  }

  /**
   * Sends a message with a {@code clientMsgId} of your choosing (at most 64 characters, unique per
   * user; the echo of the message to your connections carries it). The message waits in the {@link
   * Outbox} while the client is not connected and is resent after every reconnect until the server
   * acknowledges it; the server stores it once whatever the number of attempts.
   *
   * @return completes with the {@code ack} (the message is stored), or fails with a {@link
   *     ChatException} carrying the server's error code (nothing was stored), or with {@link
   *     CancellationException} if the client is closed first
   */
  public CompletableFuture<ServerEvent.Ack> send(Outbox.Entry message) {
    Objects.requireNonNull(message, "message");
    CompletableFuture<ServerEvent.Ack> future = new CompletableFuture<>();
    post(
        () -> {
          if (state.isTerminal()) {
            future.completeExceptionally(stopped());
            return;
          }
          CompletableFuture<ServerEvent.Ack> earlier =
              sendFutures.put(message.clientMsgId(), future);
          if (earlier != null) {
            earlier.whenComplete(
                (ack, error) -> {
                  if (error != null) {
                    future.completeExceptionally(error);
                  } else {
                    future.complete(ack);
                  }
                });
          }
          outbox.add(message);
          if (linkReady) {
            transmit(sendCommand(message), true);
          }
        },
        future);
    return future;
  }

  /** Replaces the text of one of my messages. Completes when the server says {@code ok}. */
  public CompletableFuture<Void> edit(String room, String messageId, String body) {
    return request(id -> new ClientCommand.Edit(id, room, messageId, body), ChatClient::ok);
  }

  /** Deletes a message (mine, or any as a room's owner or admin). */
  public CompletableFuture<Void> delete(String room, String messageId) {
    return request(id -> new ClientCommand.Delete(id, room, messageId), ChatClient::ok);
  }

  /** Adds ({@code on}) or removes my reaction {@code emoji} on a message. */
  public CompletableFuture<Void> react(String room, String messageId, String emoji, boolean on) {
    return request(id -> new ClientCommand.React(id, room, messageId, emoji, on), ChatClient::ok);
  }

  /**
   * A page of a room's history over the WebSocket: the newest messages before seq {@code before}
   * (the newest of all when null), at most {@code limit} (server default when null).
   */
  public CompletableFuture<MessagePage> history(String room, Long before, Integer limit) {
    return request(
        id -> new ClientCommand.History(id, room, before, limit),
        event -> {
          ServerEvent.HistoryPage page = (ServerEvent.HistoryPage) event;
          return new MessagePage(page.messages(), page.hasMore());
        });
  }

  /**
   * Tells the room's other members I am typing ({@code true}; repeat every few seconds while I am)
   * or stopped. Dropped while not connected; a server error goes to {@code onError}.
   */
  public void typing(String room, boolean active) {
    Objects.requireNonNull(room, "room");
    post(
        () -> {
          if (linkReady) {
            transmit(new ClientCommand.Typing(room, active), false);
          }
        });
  }

  /** Moves my read marker in a room forward to {@code seq}. Dropped while not connected. */
  public void markRead(String room, long seq) {
    Objects.requireNonNull(room, "room");
    post(
        () -> {
          if (linkReady) {
            transmit(new ClientCommand.Read(room, seq), false);
          }
        });
  }

  // =====================================================================================
  // HTTP API (blocking; ChatException on an error answer)

  /** {@code GET /api/me}: the signed-in user. */
  public User me() {
    return http().me();
  }

  /** {@code GET /api/rooms}: my rooms with their last message, unread count and members. */
  public List<RoomSummary> rooms() {
    return http().rooms();
  }

  /** {@code GET /api/rooms/public}: public rooms I could join. */
  public List<RoomSummary> publicRooms() {
    return http().publicRooms();
  }

  /** {@code GET /api/rooms/{id}}: one of my rooms. */
  public RoomSummary room(String roomId) {
    return http().room(roomId);
  }

  /** {@code POST /api/rooms}: creates a group room with me as its owner. */
  public RoomSummary createRoom(String name, Visibility visibility, List<String> memberUsernames) {
    return tracked(http().createRoom(name, visibility, memberUsernames));
  }

  /** {@code POST /api/dms}: finds or creates my DM with {@code username}. */
  public RoomSummary openDm(String username) {
    return tracked(http().openDm(username));
  }

  /** {@code POST /api/rooms/{id}/join}: joins a public room. */
  public RoomSummary join(String roomId) {
    return tracked(http().join(roomId));
  }

  /** {@code POST /api/rooms/{id}/leave}. */
  public void leave(String roomId) {
    http().leave(roomId);
  }

  /**
   * {@code POST /api/rooms/{id}/members}: adds a user to a room (owners and admins); returns the
   * room as it is now.
   */
  public RoomSummary invite(String roomId, String username) {
    return http().invite(roomId, username);
  }

  /** {@code DELETE /api/rooms/{id}/members/{username}}: removes a member (owners and admins). */
  public void kick(String roomId, String username) {
    http().kick(roomId, username);
  }

  /** {@code GET /api/users?q=}: users to start a DM with. */
  public List<User> searchUsers(String query) {
    return http().searchUsers(query);
  }

  /**
   * {@code GET /api/search?q=&room=}: messages from my rooms ({@code room} may be null), each with
   * a snippet.
   */
  public List<ChatStore.SearchHit> search(String query, String room) {
    return http().search(query, room);
  }

  /**
   * {@code GET /api/rooms/{id}/messages}: the newest messages before {@code before}, or the oldest
   * after {@code after} (not both; each may be null), at most {@code limit}.
   */
  public MessagePage messages(String roomId, Long before, Long after, Integer limit) {
    return http().messages(roomId, before, after, limit);
  }

  private HttpApi http() {
    if (http == null) {
      throw new IllegalStateException("this client has no HTTP API");
    }
    return http;
  }

  /** Starts following a room the HTTP API told us about, from its current last seq. */
  private RoomSummary tracked(RoomSummary summary) {
    post(() -> ensureCursor(summary.room().id(), summary.lastSeq()));
    return summary;
  }

  // =====================================================================================
  // The event loop: everything below runs on the event thread.

  private void attempt() {
    retry = null;
    if (state.isTerminal()) {
      return;
    }
    int gen = ++generation;
    Transport.Listener listener = new LinkListener(gen);
    CompletableFuture<?> opening;
    try {
      opening = transport.open(token, listener);
    } catch (RuntimeException e) {
      opening = CompletableFuture.failedFuture(e);
    }
    opening.whenComplete(
        (ignored, error) -> {
          if (error != null) {
            post(() -> openFailed(gen, error));
          }
        });
  }

  private void openFailed(int gen, Throwable error) {
    if (gen != generation || state.isTerminal()) {
      return;
    }
    Throwable cause = unwrap(error);
    if (cause instanceof ChatException ce && ce.code() == ErrorCode.UNAUTHORIZED) {
      enterTerminal(ConnectionState.SIGNED_OUT, cause);
    } else if (!everReady) {
      enterTerminal(ConnectionState.CLOSED, cause);
    } else {
      LOG.log(Level.FINE, "reconnect failed: {0}", cause.toString());
      scheduleRetry();
    }
  }

  private void opened(int gen, Transport.Link l) {
    if (gen != generation || state.isTerminal()) {
      l.close(1000, "not needed");
      return;
    }
    LOG.log(Level.FINE, "connection {0} open", gen);
    link = l;
    linkReady = false;
    lastActivityNanos = System.nanoTime();
    awaitingSinceNanos = 0;
    silenceLimitMs = READY_DEADLINE_MS;
    startWatchdog(WATCHDOG_PERIOD_MS);
  }

  private void scheduleRetry() {
    long delay = backoff.nextDelayMillis();
    retry = loop.schedule(guarded(this::attempt), delay, TimeUnit.MILLISECONDS);
  }

  private void linkLost(int gen, int code, String reason) {
    if (gen != generation || link == null) {
      return;
    }
    LOG.log(Level.FINE, "connection {0} lost: {1} {2}", new Object[] {gen, code, reason});
    generation++;
    link = null;
    linkReady = false;
    stopWatchdog();
    for (RoomCursor cursor : cursors.values()) {
      cursor.syncId = null;
      cursor.pagingId = null;
    }
    syncRequests.clear();
    pagingRequests.clear();
    if (state.isTerminal()) {
      return;
    }
    if (code == 4001) {
      enterTerminal(
          ConnectionState.SIGNED_OUT,
          new ChatException.Unauthorized(
              reason == null || reason.isBlank() ? "session revoked or expired" : reason));
    } else if (code == 1000 || !everReady) {
      enterTerminal(
          ConnectionState.CLOSED, new IOException("connection closed: " + code + " " + reason));
    } else {
      setState(ConnectionState.RECONNECTING);
      scheduleRetry();
    }
  }

  private void handle(ServerEvent event) {
    if (event instanceof ServerEvent.Ready e) {
      onReady(e);
    } else if (event instanceof ServerEvent.MessageEvent e) {
      onMessage(e);
    } else if (event instanceof ServerEvent.Ack e) {
      onAck(e);
    } else if (event instanceof ServerEvent.Ok e) {
      answer(e.id(), e);
    } else if (event instanceof ServerEvent.MessageUpdated e) {
      RoomCursor cursor = cursors.get(e.room());
      if (cursor == null || !cursor.absorbUpdate(e)) {
        listeners.messageUpdated.forEach(l -> call(l, e));
      }
    } else if (event instanceof ServerEvent.TypingEvent e) {
      listeners.typing.forEach(l -> call(l, e));
    } else if (event instanceof ServerEvent.PresenceEvent e) {
      listeners.presence.forEach(l -> call(l, e));
    } else if (event instanceof ServerEvent.ReadEvent e) {
      listeners.read.forEach(l -> call(l, e));
    } else if (event instanceof ServerEvent.RoomEvent e) {
      ensureCursor(e.room().room().id(), e.room().lastSeq());
      listeners.room.forEach(l -> call(l, e));
    } else if (event instanceof ServerEvent.RoomLeft e) {
      dropCursor(e.room());
      listeners.roomLeft.forEach(l -> call(l, e));
    } else if (event instanceof ServerEvent.Synced e) {
      onSynced(e);
    } else if (event instanceof ServerEvent.HistoryPage e) {
      String room = pagingRequests.remove(e.id());
      if (room != null) {
        onGapPage(room, e);
      } else {
        answer(e.id(), e);
      }
    } else if (event instanceof ServerEvent.Error e) {
      onError(e);
    }
  }

  private void onReady(ServerEvent.Ready ready) {
    boolean first = !everReady;
    everReady = true;
    linkReady = true;
    user = ready.user();
    backoff.reset();
    // The server pings every intervalMs; silence for longer than its own timeout means the
    // connection is dead even if the socket has not said so.
    ServerEvent.HeartbeatSettings hb = ready.heartbeat();
    silenceLimitMs =
        hb != null && hb.intervalMs() > 0
            ? Math.max(hb.timeoutMs(), hb.intervalMs()) + hb.intervalMs() / 2
            : 0;

    Set<String> present = new HashSet<>();
    List<ServerEvent.RoomEvent> appeared = new ArrayList<>();
    Map<String, Long> toSync = new LinkedHashMap<>();
    for (RoomSummary summary : ready.rooms()) {
      String id = summary.room().id();
      present.add(id);
      RoomCursor cursor = cursors.get(id);
      if (cursor == null) {
        Long resume = first ? resumeFrom.get(id) : null;
        cursor = ensureCursor(id, resume != null ? resume : summary.lastSeq());
        if (resume != null) {
          toSync.put(id, cursor.delivered());
        }
        if (!first) {
          appeared.add(new ServerEvent.RoomEvent(summary));
        }
      } else {
        toSync.put(id, cursor.delivered());
      }
    }
    List<String> gone = new ArrayList<>();
    for (String id : cursors.keySet()) {
      if (!present.contains(id)) {
        gone.add(id);
      }
    }
    gone.forEach(this::dropCursor);

    setState(ConnectionState.CONNECTED);
    listeners.ready.forEach(l -> call(l, ready));
    for (String id : gone) {
      ServerEvent.RoomLeft left = new ServerEvent.RoomLeft(id);
      listeners.roomLeft.forEach(l -> call(l, left));
    }
    for (ServerEvent.RoomEvent e : appeared) {
      listeners.room.forEach(l -> call(l, e));
    }
    if (!linkReady) {
      return; // a listener closed the client
    }

    LOG.log(
        Level.FINE,
        "ready on connection {0}: syncing {1} rooms, resending {2} messages and {3} requests",
        new Object[] {generation, toSync.size(), outbox.entries().size(), requests.size()});
    sync(toSync);
    for (Outbox.Entry entry : outbox.entries()) {
      transmit(sendCommand(entry), true);
    }
    for (Pending<?> pending : requests.values()) {
      transmit(pending.command, true);
    }
    connected.complete(ready);
  }

  private void sync(Map<String, Long> rooms) {
    Map<String, Long> chunk = new LinkedHashMap<>();
    Iterator<Map.Entry<String, Long>> it = rooms.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, Long> entry = it.next();
      chunk.put(entry.getKey(), entry.getValue());
      if (chunk.size() == SYNC_CHUNK || !it.hasNext()) {
        String id = nextId("sync");
        syncRequests.put(id, new HashSet<>(chunk.keySet()));
        for (String room : chunk.keySet()) {
          cursors.get(room).syncId = id;
        }
        transmit(new ClientCommand.Sync(id, chunk), true);
        chunk = new LinkedHashMap<>();
      }
    }
  }

  private void onMessage(ServerEvent.MessageEvent event) {
    Message m = event.message();
    RoomCursor cursor = ensureCursor(m.room(), m.seq() - 1);
    deliver(m.room(), cursor, cursor.offer(event));
    if (cursor.hasGap() && cursor.syncId == null && cursor.pagingId == null && linkReady) {
      // A message went missing on a live connection: ask for what follows our position.
      sync(Map.of(m.room(), cursor.delivered()));
    }
  }

  private void onSynced(ServerEvent.Synced synced) {
    Set<String> rooms = syncRequests.get(synced.id());
    if (rooms != null) {
      rooms.remove(synced.room());
      if (rooms.isEmpty()) {
        syncRequests.remove(synced.id());
      }
    }
    RoomCursor cursor = cursors.get(synced.room());
    if (cursor == null) {
      return;
    }
    if (Objects.equals(cursor.syncId, synced.id())) {
      cursor.syncId = null;
    }
    fillGap(synced.room(), cursor);
  }

  /**
   * Fills the gap after the last delivered message with {@code history} pages: each asks for the
   * {@code pageSize} messages that follow the last delivered one (history pages end just before
   * {@code before}), so the gap closes from its start and messages are delivered as pages arrive.
   */
  private void fillGap(String room, RoomCursor cursor) {
    if (!cursor.hasGap() || cursor.pagingId != null || !linkReady) {
      return;
    }
    String id = nextId("page");
    long before = Math.min(cursor.firstAhead(), cursor.delivered() + 1 + cursor.pageSize);
    cursor.pagingId = id;
    cursor.pagingBefore = before;
    pagingRequests.put(id, room);
    transmit(new ClientCommand.History(id, room, before, cursor.pageSize), true);
  }

  private void onGapPage(String room, ServerEvent.HistoryPage page) {
    RoomCursor cursor = cursors.get(room);
    if (cursor == null) {
      return;
    }
    cursor.pagingId = null;
    long before = cursor.pagingBefore;
    int n = page.messages().size();
    if (page.hasMore() && n > 0 && n < cursor.pageSize) {
      cursor.pageSize = n; // the server's page limit is lower than ours
    }
    boolean missingInWindow = true;
    for (Message m : page.messages()) {
      if (m.seq() > cursor.delivered() && m.seq() < before) {
        missingInWindow = false;
      }
      deliver(room, cursor, cursor.offer(new ServerEvent.MessageEvent(m, null)));
    }
    if (missingInWindow && cursor.delivered() < before - 1) {
      // The server has none of the messages we asked for: they are gone (never silently: log).
      LOG.log(
          Level.WARNING,
          "room {0}: messages {1}..{2} are not on the server; skipping them",
          new Object[] {room, cursor.delivered() + 1, before - 1});
      deliver(room, cursor, cursor.skipTo(before - 1));
    }
    fillGap(room, cursor);
  }

  private void deliver(String room, RoomCursor cursor, List<ServerEvent.MessageEvent> events) {
    if (events.isEmpty()) {
      return;
    }
    seen.put(room, cursor.delivered());
    for (ServerEvent.MessageEvent e : events) {
      listeners.message.forEach(l -> call(l, e));
    }
  }

  private void onAck(ServerEvent.Ack ack) {
    outbox.remove(ack.clientMsgId());
    CompletableFuture<ServerEvent.Ack> future = sendFutures.remove(ack.clientMsgId());
    if (future != null) {
      future.complete(ack);
    }
  }

  private void onError(ServerEvent.Error error) {
    String id = error.id();
    if (id != null) {
      if (sendFutures.containsKey(id) || containsEntry(id)) {
        outbox.remove(id);
        CompletableFuture<ServerEvent.Ack> future = sendFutures.remove(id);
        if (future != null) {
          future.completeExceptionally(new ChatException(error.code(), error.message()));
          return;
        }
      } else if (requests.containsKey(id)) {
        requests.remove(id).fail(new ChatException(error.code(), error.message()));
        return;
      } else if (pagingRequests.containsKey(id)) {
        String room = pagingRequests.remove(id);
        RoomCursor cursor = cursors.get(room);
        if (cursor != null) {
          cursor.pagingId = null; // retried on the next gap or reconnect
        }
      } else if (syncRequests.containsKey(id)) {
        for (String room : syncRequests.remove(id)) {
          RoomCursor cursor = cursors.get(room);
          if (cursor != null && id.equals(cursor.syncId)) {
            cursor.syncId = null;
          }
        }
      }
    }
    listeners.error.forEach(l -> call(l, error));
  }

  private boolean containsEntry(String clientMsgId) {
    for (Outbox.Entry e : outbox.entries()) {
      if (e.clientMsgId().equals(clientMsgId)) {
        return true;
      }
    }
    return false;
  }

  private void answer(String id, ServerEvent event) {
    Pending<?> pending = id == null ? null : requests.remove(id);
    if (pending != null) {
      pending.complete(event);
    }
  }

  private RoomCursor ensureCursor(String room, long lastSeq) {
    RoomCursor cursor = cursors.get(room);
    if (cursor == null) {
      cursor = new RoomCursor(lastSeq);
      cursors.put(room, cursor);
      seen.put(room, cursor.delivered());
    }
    return cursor;
  }

  private void dropCursor(String room) {
    RoomCursor cursor = cursors.remove(room);
    seen.remove(room);
    if (cursor != null) {
      if (cursor.pagingId != null) {
        pagingRequests.remove(cursor.pagingId);
      }
    }
  }

  private <T> CompletableFuture<T> request(
      Function<String, ClientCommand> command, Function<ServerEvent, T> answer) {
    CompletableFuture<T> future = new CompletableFuture<>();
    String id = nextId("r");
    ClientCommand cmd = command.apply(id);
    post(
        () -> {
          if (state.isTerminal()) {
            future.completeExceptionally(stopped());
            return;
          }
          requests.put(id, new Pending<>(cmd, future, answer));
          if (linkReady) {
            transmit(cmd, true);
          }
        },
        future);
    return future;
  }

  private static Void ok(ServerEvent event) {
    if (!(event instanceof ServerEvent.Ok)) {
      throw new IllegalStateException("unexpected answer " + event);
    }
    return null;
  }

  private static ClientCommand.Send sendCommand(Outbox.Entry e) {
    return new ClientCommand.Send(
        e.clientMsgId(), e.room(), e.clientMsgId(), e.body(), e.replyTo());
  }

  private void enterTerminal(ConnectionState terminal, Throwable cause) {
    if (state.isTerminal()) {
      return;
    }
    if (retry != null) {
      retry.cancel(false);
      retry = null;
    }
    stopWatchdog();
    generation++;
    if (link != null) {
      link.close(1000, terminal == ConnectionState.SIGNED_OUT ? "signed out" : "bye");
      link = null;
    }
    linkReady = false;
    setState(terminal);
    Throwable failure = cause;
    if (failure == null) {
      failure =
          terminal == ConnectionState.SIGNED_OUT
              ? new ChatException.Unauthorized("signed out")
              : new CancellationException("client closed");
    }
    connected.completeExceptionally(failure);
    Throwable pendingFailure =
        terminal == ConnectionState.SIGNED_OUT ? failure : new CancellationException("closed");
    for (CompletableFuture<ServerEvent.Ack> f : List.copyOf(sendFutures.values())) {
      f.completeExceptionally(pendingFailure);
    }
    sendFutures.clear();
    for (Pending<?> p : List.copyOf(requests.values())) {
      p.fail(pendingFailure);
    }
    requests.clear();
  }

  private Throwable stopped() {
    return state == ConnectionState.SIGNED_OUT
        ? new ChatException.Unauthorized("signed out")
        : new CancellationException("client closed");
  }

  private void setState(ConnectionState next) {
    if (state == next) {
      return;
    }
    synchronized (this) {
      state = next;
    }
    listeners.stateChanged.forEach(l -> call(l, next));
  }

  private void startWatchdog(long periodMs) {
    stopWatchdog();
    watchdog =
        loop.scheduleWithFixedDelay(
            guarded(this::checkAlive), periodMs, periodMs, TimeUnit.MILLISECONDS);
  }

  private void stopWatchdog() {
    if (watchdog != null) {
      watchdog.cancel(false);
      watchdog = null;
    }
  }

  /** Sends on the current link; a request that expects an answer starts the answer deadline. */
  private void transmit(ClientCommand command, boolean expectsAnswer) {
    if (expectsAnswer && awaitingSinceNanos == 0) {
      awaitingSinceNanos = System.nanoTime();
    }
    link.send(command);
  }

  /** Something arrived: the deadline for what is still unanswered starts again from now. */
  private void heardFromServer() {
    lastActivityNanos = System.nanoTime();
    awaitingSinceNanos = awaitingAnswers() ? lastActivityNanos : 0;
  }

  private boolean awaitingAnswers() {
    return linkReady
        && (!requests.isEmpty()
            || !syncRequests.isEmpty()
            || !pagingRequests.isEmpty()
            || !outbox.entries().isEmpty());
  }

  /**
   * Replaces a connection that went silent: no frame or ping for longer than the heartbeat allows,
   * or nothing at all within the answer timeout after a request. Sockets do not always report a
   * broken TCP connection (the JDK's WebSocket sometimes misses one), so silence is the test.
   */
  private void checkAlive() {
    if (link == null) {
      return;
    }
    long now = System.nanoTime();
    String why = null;
    long silentMs = TimeUnit.NANOSECONDS.toMillis(now - lastActivityNanos);
    if (silenceLimitMs > 0 && silentMs > silenceLimitMs) {
      why = "no heartbeat for " + silentMs + " ms";
    } else if (awaitingSinceNanos != 0
        && awaitingAnswers()
        && TimeUnit.NANOSECONDS.toMillis(now - awaitingSinceNanos) > answerTimeoutMs) {
      why = "no answer for " + TimeUnit.NANOSECONDS.toMillis(now - awaitingSinceNanos) + " ms";
    }
    if (why != null) {
      LOG.log(
          Level.FINE,
          "connection {0} is silent ({1}): reconnecting",
          new Object[] {generation, why});
      Transport.Link dead = link;
      linkLost(generation, 1006, why);
      dead.abort();
    }
  }

  private String nextId(String prefix) {
    return prefix + "-" + requestIds.incrementAndGet();
  }

  private final class LinkListener implements Transport.Listener {
    private final int gen;

    LinkListener(int gen) {
      this.gen = gen;
    }

    @Override
    public void onOpen(Transport.Link l) {
      post(() -> opened(gen, l));
    }

    @Override
    public void onEvent(ServerEvent event) {
      post(
          () -> {
            if (gen == generation && link != null) {
              LOG.log(Level.FINEST, "connection {0} got {1}", new Object[] {gen, event});
              handle(event);
              heardFromServer();
            }
          });
    }

    @Override
    public void onActivity() {
      post(
          () -> {
            if (gen == generation) {
              heardFromServer();
            }
          });
    }

    @Override
    public void onClosed(int code, String reason) {
      post(() -> linkLost(gen, code, reason));
    }
  }

  // =====================================================================================
  // Plumbing

  private void post(Runnable task) {
    post(task, null);
  }

  private void post(Runnable task, CompletableFuture<?> failOnReject) {
    try {
      loop.execute(guarded(task));
    } catch (RejectedExecutionException e) {
      if (failOnReject != null) {
        failOnReject.completeExceptionally(new CancellationException("client closed"));
      }
    }
  }

  private Runnable guarded(Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "natter client: internal error", e);
      }
    };
  }

  private void runOnLoopAndWait(Runnable task) {
    if (Thread.currentThread() == loopThread) {
      task.run();
      return;
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      loop.execute(
          () -> {
            try {
              task.run();
            } finally {
              done.complete(null);
            }
          });
      done.get(CLOSE_WAIT_MS, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException | TimeoutException | ExecutionException e) {
      // already shut down, or the loop is stuck in a listener: nothing more to wait for
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static <T> void call(Consumer<T> listener, T event) {
    try {
      listener.accept(event);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "a ChatClient listener threw", e);
    }
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** A request waiting for its answer; resent after a reconnect (all are idempotent). */
  private static final class Pending<T> {
    final ClientCommand command;
    final CompletableFuture<T> future;
    final Function<ServerEvent, T> answer;

    Pending(ClientCommand command, CompletableFuture<T> future, Function<ServerEvent, T> answer) {
      this.command = command;
      this.future = future;
      this.answer = answer;
    }

    void complete(ServerEvent event) {
      try {
        future.complete(answer.apply(event));
      } catch (RuntimeException e) {
        future.completeExceptionally(e);
      }
    }

    void fail(Throwable t) {
      future.completeExceptionally(t);
    }
  }

  private record Credentials(
      String username, String password, String displayName, boolean register) {}

  /** The listeners, by event type. */
  private static final class Listeners {
    final List<Consumer<ServerEvent.Ready>> ready = new CopyOnWriteArrayList<>();
    final List<Consumer<ServerEvent.MessageEvent>> message = new CopyOnWriteArrayList<>();
    final List<Consumer<ServerEvent.MessageUpdated>> messageUpdated = new CopyOnWriteArrayList<>();
    final List<Consumer<ServerEvent.TypingEvent>> typing = new CopyOnWriteArrayList<>();
    final List<Consumer<ServerEvent.PresenceEvent>> presence = new CopyOnWriteArrayList<>();
    final List<Consumer<ServerEvent.ReadEvent>> read = new CopyOnWriteArrayList<>();
    final List<Consumer<ServerEvent.RoomEvent>> room = new CopyOnWriteArrayList<>();
    final List<Consumer<ServerEvent.RoomLeft>> roomLeft = new CopyOnWriteArrayList<>();
    final List<Consumer<ServerEvent.Error>> error = new CopyOnWriteArrayList<>();
    final List<Consumer<ConnectionState>> stateChanged = new CopyOnWriteArrayList<>();
  }

  /** Configures a {@link ChatClient}. */
  public static final class Builder {
    private final URI server;
    private Credentials credentials;
    private String token;
    private final Listeners listeners = new Listeners();
    private Outbox outbox;
    private Duration backoffInitial = Duration.ofMillis(250);
    private Duration backoffMax = Duration.ofSeconds(15);
    private double jitter = 0.5;
    private java.util.function.DoubleSupplier random =
        () -> ThreadLocalRandom.current().nextDouble();
    private Map<String, Long> resumeFrom = Map.of();
    private Duration answerTimeout = Duration.ofSeconds(15);
    private Transport transport;

    private Builder(URI server) {
      this.server = server;
    }

    /** Package-private: a client on another transport (tests), with no HTTP API. */
    static Builder withTransport(Transport transport) {
      Builder b = new Builder(null);
      b.transport = transport;
      return b;
    }

    /** Signs in with {@code POST /api/login} when connecting. */
    public Builder login(String username, String password) {
      this.credentials =
          new Credentials(
              Objects.requireNonNull(username, "username"),
              Objects.requireNonNull(password, "password"),
              null,
              false);
      this.token = null;
      return this;
    }

    /**
     * Creates an account with {@code POST /api/register} when connecting ({@code displayName} may
     * be null).
     */
    public Builder register(String username, String password, String displayName) {
      this.credentials =
          new Credentials(
              Objects.requireNonNull(username, "username"),
              Objects.requireNonNull(password, "password"),
              displayName,
              true);
      this.token = null;
      return this;
    }

    /** Uses an existing session token (from an earlier login) instead of credentials. */
    public Builder token(String token) {
      this.token = Objects.requireNonNull(token, "token");
      this.credentials = null;
      return this;
    }

    /** Where unacknowledged messages wait; {@link Outbox#inMemory()} by default. */
    public Builder outbox(Outbox outbox) {
      this.outbox = Objects.requireNonNull(outbox, "outbox");
      return this;
    }

    /**
     * The last seq seen per room by an earlier run (see {@link ChatClient#lastSeen()}): on the
     * first {@code ready}, these rooms are synced from there instead of starting at their newest
     * message.
     */
    public Builder resumeFrom(Map<String, Long> lastSeen) {
      this.resumeFrom = Map.copyOf(lastSeen);
      return this;
    }

    /**
     * The reconnect delays: the first one, doubling up to {@code max}, each varied by ±50 %.
     * Defaults: 250 ms and 15 s.
     */
    public Builder reconnectBackoff(Duration initial, Duration max) {
      this.backoffInitial = Objects.requireNonNull(initial, "initial");
      this.backoffMax = Objects.requireNonNull(max, "max");
      return this;
    }

    /**
     * How long the client waits for anything from the server after a request before it takes the
     * connection for dead and reconnects (a broken TCP connection is not always reported). Default
     * 15 s.
     */
    public Builder answerTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("answerTimeout must be positive");
      }
      this.answerTimeout = timeout;
      return this;
    }

    Builder jitter(double jitter, java.util.function.DoubleSupplier random) {
      this.jitter = jitter;
      this.random = random;
      return this;
    }

    /** Every {@code ready} (the first one and the one after each reconnect). */
    public Builder onReady(Consumer<ServerEvent.Ready> listener) {
      listeners.ready.add(Objects.requireNonNull(listener));
      return this;
    }

    /** New messages, each room's once and in seq order (my own included, with clientMsgId). */
    public Builder onMessage(Consumer<ServerEvent.MessageEvent> listener) {
      listeners.message.add(Objects.requireNonNull(listener));
      return this;
    }

    /** A message was edited, deleted or reacted to. */
    public Builder onMessageUpdated(Consumer<ServerEvent.MessageUpdated> listener) {
      listeners.messageUpdated.add(Objects.requireNonNull(listener));
      return this;
    }

    /** Someone started or stopped typing in one of my rooms. */
    public Builder onTyping(Consumer<ServerEvent.TypingEvent> listener) {
      listeners.typing.add(Objects.requireNonNull(listener));
      return this;
    }

    /** Someone who shares a room with me came online or went offline. */
    public Builder onPresence(Consumer<ServerEvent.PresenceEvent> listener) {
      listeners.presence.add(Objects.requireNonNull(listener));
      return this;
    }

    /** A member's read marker moved. */
    public Builder onRead(Consumer<ServerEvent.ReadEvent> listener) {
      listeners.read.add(Objects.requireNonNull(listener));
      return this;
    }

    /** I joined or was added to a room, or one of my rooms changed. */
    public Builder onRoom(Consumer<ServerEvent.RoomEvent> listener) {
      listeners.room.add(Objects.requireNonNull(listener));
      return this;
    }

    /** I left or was removed from a room (also reported after a reconnect). */
    public Builder onRoomLeft(Consumer<ServerEvent.RoomLeft> listener) {
      listeners.roomLeft.add(Objects.requireNonNull(listener));
      return this;
    }

    /**
     * Errors that no future received: answers to {@link ChatClient#typing} and {@link
     * ChatClient#markRead} and other requests without an id, malformed frames, failed replays.
     */
    public Builder onError(Consumer<ServerEvent.Error> listener) {
      listeners.error.add(Objects.requireNonNull(listener));
      return this;
    }

    /** Every change of {@link ConnectionState}. */
    public Builder onConnectionState(Consumer<ConnectionState> listener) {
      listeners.stateChanged.add(Objects.requireNonNull(listener));
      return this;
    }

    /** Builds the client; nothing happens on the network before {@link ChatClient#connect()}. */
    public ChatClient build() {
      if (token == null && credentials == null) {
        throw new IllegalStateException("give login(..), register(..) or token(..)");
      }
      return new ChatClient(this);
    }
  }
}
