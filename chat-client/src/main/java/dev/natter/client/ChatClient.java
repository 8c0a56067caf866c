package dev.natter.client;

import dev.natter.core.ChatException;
import dev.natter.core.model.MessagePage;
import dev.natter.core.model.RoomSummary;
import dev.natter.core.model.SearchHit;
import dev.natter.core.model.User;
import dev.natter.core.model.Visibility;
import dev.natter.core.protocol.ClientCommand;
import dev.natter.core.protocol.ServerEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

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
  private final EventLoop loop = new EventLoop();
  private final Lifecycle lifecycle;
  private final HttpApi http;
  private final Outbox outbox;
  private final Connector connector;
  private final Requests requests;
  private final PendingSends sends;
  private final RoomSequencer rooms;

  ChatClient(ChatClientBuilder b) {
    HttpClient httpClient = b.server == null ? null : HttpApi.newHttpClient();
    this.http = httpClient == null ? null : new HttpApi(httpClient, b.server, this::token);
    Transport transport =
        b.transport != null ? b.transport : new JdkWebSocketTransport(httpClient, b.server);
    this.outbox = b.outbox != null ? b.outbox : Outbox.inMemory();
    Credentials credentials = b.credentials;
    this.lifecycle = new Lifecycle(loop, b.listeners);
    this.connector =
        new Connector(
            loop,
            lifecycle,
            transport,
            b.token,
            credentials == null ? null : () -> credentials.signIn(http),
            new Backoff(b.backoffInitial, b.backoffMax, b.jitter, b.random),
            b.answerTimeout.toMillis(),
            b.retryFirstConnect,
            b.listeners);
    this.requests = new Requests(connector);
    this.sends = new PendingSends(outbox, connector);
    Listeners listeners = b.listeners;
    this.rooms =
        new RoomSequencer(
            connector,
            b.resumeFrom,
            e -> Listeners.fire(listeners.message, e),
            r -> Listeners.fire(listeners.resumed, r));
    connector.handler(new EventRouter(lifecycle, connector, rooms, requests, sends, listeners));
  }

  /** Starts building a client of the server at {@code server} ({@code http://host:port}). */
  public static ChatClientBuilder builder(URI server) {
    return new ChatClientBuilder(Objects.requireNonNull(server, "server"));
  }

  /**
   * Signs in with {@code POST /api/login} and nothing else (no WebSocket): for a program that saves
   * the token and connects later with {@link ChatClientBuilder#token}.
   *
   * @throws ChatException with {@code UNAUTHORIZED} for a wrong username or password, or with the
   *     server's error code
   * @throws java.io.UncheckedIOException when the server cannot be reached
   */
  public static SignedIn signIn(URI server, String username, String password) {
    return signIn(server, new Credentials(username, password, null, false));
  }

  /**
   * Creates an account with {@code POST /api/register} and nothing else (no WebSocket); {@code
   * displayName} may be null. Fails like {@link #signIn(URI, String, String)}, with {@code
   * CONFLICT} for a taken username.
   */
  public static SignedIn register(
      URI server, String username, String password, String displayName) {
    return signIn(server, new Credentials(username, password, displayName, true));
  }

  private static SignedIn signIn(URI server, Credentials credentials) {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(credentials.username(), "username");
    Objects.requireNonNull(credentials.password(), "password");
    return credentials.signIn(new HttpApi(HttpApi.newHttpClient(), server, () -> null));
  }

  // =====================================================================================
  // Connection

  /**
   * Signs in (when built with credentials) and opens the WebSocket. The future completes with the
   * server's first {@code ready}, or fails when signing in or the first connection fails (the
   * client is then {@link ConnectionState#CLOSED}, or {@link ConnectionState#SIGNED_OUT} for a
   * refused token; with {@link ChatClientBuilder#retryFirstConnect} it keeps trying instead).
   * Calling it again returns the same future.
   */
  public CompletableFuture<ServerEvent.Ready> connect() {
    return connector.connect();
  }

  /** The connection's state now. */
  public ConnectionState state() {
    return lifecycle.state();
  }

  /** The signed-in user, once known (after signing in or the first {@code ready}), else null. */
  public User user() {
    return connector.user();
  }

  /** The session token, once known; keep it to build a later client with {@code token(..)}. */
  public String token() {
    return connector.token();
  }

  /**
   * The highest seq delivered to the listeners per room. A program that saves it can pass it to
   * {@link ChatClientBuilder#resumeFrom(Map)} to get what it missed while it was not running.
   */
  public Map<String, Long> lastSeen() {
    return rooms.lastSeen();
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
    loop.runAndWait(() -> connector.end(ConnectionState.CLOSED, null));
    loop.shutdown();
  }

  /**
   * Signs out: revokes the session on the server ({@code POST /api/logout}), which closes its
   * sockets everywhere, and ends in {@link ConnectionState#SIGNED_OUT}.
   */
  public void logout() {
    try {
      http().logout();
    } finally {
      loop.runAndWait(() -> connector.end(ConnectionState.SIGNED_OUT, null));
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
    lifecycle.whileRunning(future, () -> sends.send(message, future));
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
    connector.sendIfReady(new ClientCommand.Typing(room, active));
  }

  /** Moves my read marker in a room forward to {@code seq}. Dropped while not connected. */
  public void markRead(String room, long seq) {
    Objects.requireNonNull(room, "room");
    connector.sendIfReady(new ClientCommand.Read(room, seq));
  }

  private <T> CompletableFuture<T> request(
      Function<String, ClientCommand> command, Function<ServerEvent, T> answer) {
    CompletableFuture<T> future = new CompletableFuture<>();
    ClientCommand cmd = command.apply(requests.nextId());
    lifecycle.whileRunning(future, () -> requests.add(cmd, future, answer));
    return future;
  }

  private static Void ok(ServerEvent event) {
    if (!(event instanceof ServerEvent.Ok)) {
      throw new IllegalStateException("unexpected answer " + event);
    }
    return null;
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
  public List<SearchHit> search(String query, String room) {
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
    loop.post(() -> rooms.track(summary.room().id(), summary.lastSeq()));
    return summary;
  }
}
