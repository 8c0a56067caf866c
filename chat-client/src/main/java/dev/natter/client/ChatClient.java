package dev.natter.client;

import dev.natter.core.ChatException;
import dev.natter.core.model.FileInfo;
import dev.natter.core.model.MessagePage;
import dev.natter.core.model.NotifyLevel;
import dev.natter.core.model.RoomKind;
import dev.natter.core.model.RoomSummary;
import dev.natter.core.model.SearchHit;
import dev.natter.core.model.User;
import dev.natter.core.model.Visibility;
import dev.natter.core.protocol.ClientCommand;
import dev.natter.core.protocol.ServerEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A Natter client for Java programs: bots, integrations and the terminal client.
 *
 * <pre>{@code
 * ChatClient client = ChatClient.builder(URI.create("http://127.0.0.1:8080"))
 *     .loginOrRegister("greeter", "a long bot password")
 *     .build();
 * client.addListener((c, event) -> {
 *   if (event instanceof ServerEvent.MessageEvent e && e.message().body().equals("hi")) {
 *     c.send(e.message().room(), "hello, " + e.message().sender().displayName());
 *   }
 * });
 * client.joinByName("lobby").join();   // HTTP API
 * client.connect().join();             // completes on the server's ready
 * }</pre>
 *
 * <p><b>One call style.</b> Every operation returns a {@link CompletableFuture}: the WebSocket
 * requests complete with the server's answer, the HTTP ones with the response. A future fails with
 * a {@link ChatException} carrying the server's error code, with an {@link java.io.IOException}
 * when the server cannot be reached, or with a {@link CancellationException} when the client is
 * closed first. Call {@code join()} where blocking is fine, chain otherwise.
 *
 * <p><b>Delivery.</b> Listeners see each room's messages once and in {@code seq} order, from the
 * first {@code ready} on (older ones: {@link #history}). When the connection drops for any reason
 * but a close with 1000 or 4001, the client reconnects with exponential backoff and jitter, sends
 * {@code sync} with the last seq it delivered per room, holds messages that arrive ahead of a gap
 * until the gap is filled (paging back with {@code history} when the server's replay was {@code
 * limited}), and resends every unacknowledged message with its original {@code clientMsgId}, so
 * nothing is missed and nothing is stored twice. A close with 4001 (session revoked or expired)
 * ends in {@link ConnectionState#SIGNED_OUT}.
 *
 * <p><b>Threads.</b> All methods are thread-safe and none blocks (but {@link #close()}, briefly).
 * Listeners run on the client's single event thread, in the order events arrived, and every future
 * the client returns completes on that thread too; so keep listeners and continuations short, and
 * never wait for one of this client's futures on that thread (its {@code join()} and {@code get()}
 * throw {@link IllegalStateException} there rather than wait forever).
 */
public final class ChatClient implements AutoCloseable {
  private final EventLoop loop = new EventLoop();
  private final Listeners listeners = new Listeners();
  private final Lifecycle lifecycle;
  private final Auth auth;
  private final HttpApi http;
  private final Outbox outbox;
  private final Connector connector;
  private final Requests requests;
  private final PendingSends sends;
  private final RoomSequencer rooms;

  ChatClient(ChatClientBuilder b) {
    listeners.client(this);
    this.auth = new Auth(b.credentials, b.token);
    this.http = new HttpApi(b.server, b.connectTimeout, auth::token);
    auth.http(http);
    Transport transport =
        b.transport != null ? b.transport : new TyrusTransport(b.server, b.connectTimeout);
    this.outbox = b.outbox != null ? b.outbox : Outbox.inMemory();
    this.lifecycle = new Lifecycle(loop, listeners);
    this.connector =
        new Connector(
            loop,
            lifecycle,
            transport,
            auth,
            new Backoff(b.backoffInitial, b.backoffMax, b.jitter, b.random),
            b.answerTimeout,
            b.retryFirstConnect,
            listeners);
    this.requests = new Requests(connector);
    this.sends = new PendingSends(outbox, connector);
    this.rooms = new RoomSequencer(connector, b.resumeFrom, listeners::fire, listeners::fire);
    connector.handler(new EventRouter(lifecycle, connector, rooms, requests, sends, listeners));
  }

  /**
   * Starts building a client of a server.
   *
   * @param server the server's address, {@code http://host:port} (or {@code https://})
   * @return a builder
   */
  public static ChatClientBuilder builder(URI server) {
    return new ChatClientBuilder(Objects.requireNonNull(server, "server"));
  }

  // =====================================================================================
  // Listeners and the connection

  /**
   * Adds a listener; it hears what the client delivers from now on. Add listeners before {@link
   * #connect()} to hear everything from the first {@code ready} on.
   *
   * @param listener the listener
   * @return a handle that removes it again
   */
  public Registration addListener(ChatListener listener) {
    return listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Signs in (when the client has no token yet) and opens the WebSocket. Calling it again returns
   * the same future.
   *
   * @return completes with the server's first {@code ready}; fails when signing in or the first
   *     connection fails (the client is then {@link ConnectionState#CLOSED}, or {@link
   *     ConnectionState#SIGNED_OUT} for a refused password or token; with {@link
   *     ChatClientBuilder#retryFirstConnect} it keeps trying instead; a handshake the server
   *     refuses as busy, HTTP 503, is always tried again)
   */
  public CompletableFuture<ServerEvent.Ready> connect() {
    return connector.connect();
  }

  /**
   * Where the connection stands now.
   *
   * @return the state
   */
  public ConnectionState state() {
    return lifecycle.state();
  }

  /**
   * The session: the signed-in user and the token. Signs in over HTTP when the client has no token
   * yet (without opening the WebSocket), or asks the server whose token it has ({@code GET
   * /api/me}); afterwards it completes at once.
   *
   * @return completes with the session; fails with {@code unauthorized} for a wrong password or a
   *     revoked token
   */
  public CompletableFuture<Session> session() {
    return onLoop(auth::session);
  }

  /**
   * The highest seq delivered to the listeners per room. A program that saves it can pass it to
   * {@link ChatClientBuilder#resumeFrom(Map)} to get what it missed while it was not running.
   *
   * @return room id to seq, a snapshot
   */
  public Map<String, Long> lastSeen() {
    return rooms.lastSeen();
  }

  /**
   * The outbox: messages sent but not acknowledged yet.
   *
   * @return the outbox this client was built with
   */
  public Outbox outbox() {
    return outbox;
  }

  /**
   * Closes the connection cleanly (1000) and stops reconnecting. Futures still pending fail with
   * {@link CancellationException}; unacknowledged messages stay in the {@link Outbox}. Waits up to
   * a couple of seconds for a listener that is running.
   */
  @Override
  public void close() {
    loop.runAndWait(() -> connector.end(ConnectionState.CLOSED, null));
    loop.shutdown();
  }

  /**
   * Signs out: revokes the session on the server ({@code POST /api/logout}), which closes its
   * sockets everywhere, and ends in {@link ConnectionState#SIGNED_OUT}.
   *
   * @return completes once the server revoked the session
   */
  public CompletableFuture<Void> logout() {
    CompletableFuture<Void> done = loop.newFuture();
    call(http::logout)
        .whenComplete(
            (ok, error) ->
                loop.post(
                    () -> {
                      connector.end(ConnectionState.SIGNED_OUT, null);
                      if (error != null) {
                        done.completeExceptionally(EventLoop.unwrap(error));
                      } else {
                        done.complete(null);
                      }
                    },
                    done));
    return done;
  }

  // =====================================================================================
  // WebSocket requests

  /**
   * Sends a message; see {@link #send(Outbox.Entry)}.
   *
   * @param room the room id
   * @param body the text
   * @return completes with the server's {@code ack}
   */
  public CompletableFuture<ServerEvent.Ack> send(String room, String body) {
    return send(new Outbox.Entry(UUID.randomUUID().toString(), room, body, null));
  }

  /**
   * Sends a message that replies to another; see {@link #send(Outbox.Entry)}.
   *
   * @param room the room id
   * @param body the text
   * @param replyTo the {@code messageId} of the message it answers
   * @return completes with the server's {@code ack}
   */
  public CompletableFuture<ServerEvent.Ack> send(String room, String body, String replyTo) {
    Objects.requireNonNull(replyTo, "replyTo");
    return send(new Outbox.Entry(UUID.randomUUID().toString(), room, body, replyTo));
  }

  /**
   * Sends a message with files uploaded to the room before ({@link #upload}); see {@link
   * #send(Outbox.Entry)}. The server accepts only files I uploaded to that room and have not sent
   * yet.
   *
   * @param room the room id
   * @param body the text; may be empty when there are files
   * @param fileIds the ids of the uploaded files, in the order to show them
   * @return completes with the server's {@code ack}
   */
  public CompletableFuture<ServerEvent.Ack> sendWithFiles(
      String room, String body, List<String> fileIds) {
    List<String> files = List.copyOf(fileIds);
    return send(new Outbox.Entry(UUID.randomUUID().toString(), room, body, null, files));
  }

  /**
   * Sends a message with a {@code clientMsgId} of your choosing (at most 64 characters, unique per
   * user; the echo of the message to your connections carries it). The message waits in the {@link
   * Outbox} while the client is not connected and is resent after every reconnect until the server
   * acknowledges it; the server stores it once whatever the number of attempts.
   *
   * @param message the message
   * @return completes with the {@code ack} (the message is stored), or fails with a {@link
   *     ChatException} carrying the server's error code (nothing was stored), or with {@link
   *     CancellationException} if the client is closed first
   */
  public CompletableFuture<ServerEvent.Ack> send(Outbox.Entry message) {
    Objects.requireNonNull(message, "message");
    CompletableFuture<ServerEvent.Ack> future = loop.newFuture();
    lifecycle.whileRunning(future, () -> sends.send(message, future));
    return future;
  }

  /**
   * Replaces the text of one of my messages.
   *
   * @param room the room id
   * @param messageId the message's id
   * @param body the new text
   * @return completes when the server says {@code ok}
   */
  public CompletableFuture<Void> edit(String room, String messageId, String body) {
    return request(id -> new ClientCommand.Edit(id, room, messageId, body));
  }

  /**
   * Deletes a message (mine, or any as a room's owner or admin).
   *
   * @param room the room id
   * @param messageId the message's id
   * @return completes when the server says {@code ok}
   */
  public CompletableFuture<Void> delete(String room, String messageId) {
    return request(id -> new ClientCommand.Delete(id, room, messageId));
  }

  /**
   * Adds or removes my reaction on a message.
   *
   * @param room the room id
   * @param messageId the message's id
   * @param emoji the reaction
   * @param on true to add it, false to remove it
   * @return completes when the server says {@code ok}
   */
  public CompletableFuture<Void> react(String room, String messageId, String emoji, boolean on) {
    return request(id -> new ClientCommand.React(id, room, messageId, emoji, on));
  }

  /**
   * Tells the room's other members I am typing ({@code true}; repeat every few seconds while I am)
   * or stopped. A server error goes to the listeners.
   *
   * @param room the room id
   * @param active whether I am typing
   * @return completes once sent; fails with {@link IllegalStateException} while not connected (the
   *     frame is dropped)
   */
  public CompletableFuture<Void> typing(String room, boolean active) {
    Objects.requireNonNull(room, "room");
    CompletableFuture<Void> sent = loop.newFuture();
    connector.sendIfReady(new ClientCommand.Typing(room, active), sent);
    return sent;
  }

  /**
   * Moves my read marker in a room forward.
   *
   * @param room the room id
   * @param seq the seq read up to
   * @return completes once sent; fails with {@link IllegalStateException} while not connected (the
   *     frame is dropped)
   */
  public CompletableFuture<Void> markRead(String room, long seq) {
    Objects.requireNonNull(room, "room");
    CompletableFuture<Void> sent = loop.newFuture();
    connector.sendIfReady(new ClientCommand.Read(room, seq), sent);
    return sent;
  }

  private CompletableFuture<Void> request(Function<String, ClientCommand> command) {
    CompletableFuture<Void> future = loop.newFuture();
    ClientCommand cmd = command.apply(requests.nextId());
    lifecycle.whileRunning(future, () -> requests.add(cmd, future, ChatClient::ok));
    return future;
  }

  private static Void ok(ServerEvent event) {
    if (!(event instanceof ServerEvent.Ok)) {
      throw new IllegalStateException("unexpected answer " + event);
    }
    return null;
  }

  // =====================================================================================
  // HTTP API

  /**
   * {@code GET /api/rooms}: my rooms with their last message, unread count and members.
   *
   * @return the rooms
   */
  public CompletableFuture<List<RoomSummary>> rooms() {
    return onLoop(http::rooms);
  }

  /**
   * {@code GET /api/rooms/public}: public rooms I could join.
   *
   * @return the rooms
   */
  public CompletableFuture<List<RoomSummary>> publicRooms() {
    return onLoop(http::publicRooms);
  }

  /**
   * {@code GET /api/rooms/{id}}: one of my rooms.
   *
   * @param roomId the room id
   * @return the room
   */
  public CompletableFuture<RoomSummary> room(String roomId) {
    return onLoop(() -> http.room(roomId));
  }

  /**
   * {@code POST /api/rooms}: creates a group room with me as its owner.
   *
   * @param name its name
   * @param visibility public (anyone may join) or private (members add members)
   * @param memberUsernames who else is in it from the start (may be empty)
   * @return the new room
   */
  public CompletableFuture<RoomSummary> createRoom(
      String name, Visibility visibility, List<String> memberUsernames) {
    Objects.requireNonNull(visibility, "visibility");
    List<String> members = List.copyOf(memberUsernames);
    return tracked(() -> http.createRoom(name, visibility, members));
  }

  /**
   * {@code POST /api/dms}: finds or creates my direct conversation with a user.
   *
   * @param username the other user
   * @return the DM
   */
  public CompletableFuture<RoomSummary> openDm(String username) {
    return tracked(() -> http.openDm(username));
  }

  /**
   * {@code POST /api/rooms/{id}/join}: joins a public room (nothing changes if I am a member).
   *
   * @param roomId the room id
   * @return the room
   */
  public CompletableFuture<RoomSummary> join(String roomId) {
    return tracked(() -> http.join(roomId));
  }

  /**
   * Joins the group room called {@code name} (ignoring case): one of mine if I am in one of that
   * name, else the public room of that name.
   *
   * @param name the room's name
   * @return the room; fails with {@code not_found} when no public room has that name, {@code
   *     conflict} when several do
   */
  public CompletableFuture<RoomSummary> joinByName(String name) {
    Objects.requireNonNull(name, "name");
    return tracked(
        () ->
            http.rooms()
                .thenCompose(
                    mine -> {
                      List<RoomSummary> member = named(mine, name);
                      return member.size() == 1
                          ? CompletableFuture.completedFuture(member.get(0))
                          : http.publicRooms()
                              .thenCompose(open -> joinOne(named(open, name), name));
                    }));
  }

  private CompletableFuture<RoomSummary> joinOne(List<RoomSummary> candidates, String name) {
    if (candidates.isEmpty()) {
      return CompletableFuture.failedFuture(
          new ChatException.NotFound("no public room is called " + name));
    }
    if (candidates.size() > 1) {
      return CompletableFuture.failedFuture(
          new ChatException.Conflict(candidates.size() + " public rooms are called " + name));
    }
    return http.join(candidates.get(0).room().id());
  }

  private static List<RoomSummary> named(List<RoomSummary> rooms, String name) {
    return rooms.stream()
        .filter(s -> s.room().kind() == RoomKind.GROUP && s.room().name().equalsIgnoreCase(name))
        .toList();
  }

  /**
   * {@code POST /api/rooms/{id}/leave}.
   *
   * @param roomId the room id
   * @return completes once I left
   */
  public CompletableFuture<Void> leave(String roomId) {
    return onLoop(() -> http.leave(roomId));
  }

  /**
   * {@code POST /api/rooms/{id}/members}: adds a user to a room (owners and admins).
   *
   * @param roomId the room id
   * @param username who to add
   * @return the room as it is now
   */
  public CompletableFuture<RoomSummary> invite(String roomId, String username) {
    return onLoop(() -> http.invite(roomId, username));
  }

  /**
   * {@code DELETE /api/rooms/{id}/members/{username}}: removes a member (owners and admins).
   *
   * @param roomId the room id
   * @param username who to remove
   * @return completes once removed
   */
  public CompletableFuture<Void> kick(String roomId, String username) {
    return onLoop(() -> http.kick(roomId, username));
  }

  /**
   * {@code GET /api/users?q=}: users to start a DM with.
   *
   * @param query part of a username or display name
   * @return the users found
   */
  public CompletableFuture<List<User>> searchUsers(String query) {
    return onLoop(() -> http.searchUsers(query));
  }

  /**
   * {@code GET /api/search?q=}: messages from all my rooms, newest first, each with a snippet.
   *
   * @param text what to look for
   * @return the hits
   */
  public CompletableFuture<List<SearchHit>> search(String text) {
    return onLoop(() -> http.search(text, null));
  }

  /**
   * {@code GET /api/search?q=&room=}: messages from one of my rooms, newest first.
   *
   * @param text what to look for
   * @param room the room id
   * @return the hits
   */
  public CompletableFuture<List<SearchHit>> search(String text, String room) {
    Objects.requireNonNull(room, "room");
    return onLoop(() -> http.search(text, room));
  }

  /**
   * {@code GET /api/rooms/{id}/messages}: a page of a room's messages, in seq order.
   *
   * @param roomId the room id
   * @param query which page: {@link HistoryQuery#latest}, {@link HistoryQuery#before} or {@link
   *     HistoryQuery#after}
   * @return the page, and whether there are more beyond it
   */
  public CompletableFuture<MessagePage> history(String roomId, HistoryQuery query) {
    Objects.requireNonNull(query, "query");
    return onLoop(() -> http.messages(roomId, query));
  }

  /**
   * {@code PUT /api/rooms/{id}/notify}: sets my notification level for a room. My other devices
   * hear of it with a {@code room} event.
   *
   * @param roomId the room id
   * @param level {@code all}, {@code mentions} or {@code none}
   * @return the room as it is now, with the new level
   */
  public CompletableFuture<RoomSummary> setNotifyLevel(String roomId, NotifyLevel level) {
    Objects.requireNonNull(level, "level");
    return onLoop(() -> http.setNotifyLevel(roomId, level));
  }

  // =====================================================================================
  // Files

  /**
   * Uploads a file into a room; see {@link #upload(String, Path, TransferProgress)}.
   *
   * @param roomId the room id
   * @param file the file to upload
   * @return completes with the file as the server stored it
   */
  public CompletableFuture<FileInfo> upload(String roomId, Path file) {
    return upload(roomId, file, TransferProgress.NONE);
  }

  /**
   * {@code POST /api/rooms/{id}/files}: uploads a file into a room, streamed from disk (never read
   * into memory), under its own file name. The server sniffs its type from the bytes. Send it with
   * {@link #sendWithFiles}; until then nobody else sees it.
   *
   * @param roomId the room id (I must be a member)
   * @param file the file to upload
   * @param progress hears the file's bytes sent so far, of its size
   * @return completes with the file as the server stored it; fails with {@code too_large} over the
   *     server's size limit, {@code forbidden} or {@code not_found} when I am not a member, or an
   *     {@link IOException} when the file cannot be read
   */
  public CompletableFuture<FileInfo> upload(String roomId, Path file, TransferProgress progress) {
    Objects.requireNonNull(file, "file");
    TransferProgress onLoop = onLoop(progress);
    return onLoop(() -> http.upload(roomId, file, onLoop));
  }

  /**
   * {@code GET /api/files/{id}}: downloads a file into a new file at {@code target}, which must not
   * exist yet (it is never overwritten). A download that fails halfway leaves nothing behind.
   *
   * @param fileId the file's id
   * @param target where to write it; created by the download
   * @param progress hears the bytes received so far, of the size the server announced
   * @return completes with the file as the server described it (name, type, bytes written); fails
   *     with {@code not_found} when the file is unknown or in none of my rooms, with {@link
   *     java.nio.file.FileAlreadyExistsException} when {@code target} exists, or another {@link
   *     IOException} when it cannot be written
   */
  public CompletableFuture<FileInfo> download(
      String fileId, Path target, TransferProgress progress) {
    return toNewFile(target, progress, (open, onLoop) -> http.download(fileId, open, true, onLoop));
  }

  /**
   * {@code GET /api/files/{id}/thumbnail}: downloads the thumbnail of an image, a PNG (a JPEG for a
   * JPEG image) of at most 320 pixels a side, into a new file at {@code target}, as {@link
   * #download(String, Path, TransferProgress)} does the file itself: {@code target} must not exist
   * yet, and a download that fails halfway leaves nothing behind. The server makes thumbnails of
   * PNG, JPEG and GIF images within its pixel bound (40 million pixels); WebP images, larger images
   * and other files have none.
   *
   * @param fileId the image's id
   * @param target where to write the thumbnail; created by the download
   * @param progress hears the bytes received so far, of the size the server announced
   * @return completes with the thumbnail as the server described it (the image's name, the
   *     thumbnail's type, bytes written); fails with {@code not_found} when the file is unknown, in
   *     none of my rooms or has no thumbnail, with {@link java.nio.file.FileAlreadyExistsException}
   *     when {@code target} exists, or another {@link IOException} when it cannot be written
   */
  public CompletableFuture<FileInfo> downloadThumbnail(
      String fileId, Path target, TransferProgress progress) {
    return toNewFile(
        target, progress, (open, onLoop) -> http.downloadThumbnail(fileId, open, true, onLoop));
  }

  /** A {@code GET} of file bytes into a new file, which is only created once the server answers. */
  private interface FileGet {
    CompletableFuture<FileInfo> start(
        java.util.concurrent.Callable<OutputStream> open, TransferProgress progress);
  }

  /** Runs {@code get} into a new file at {@code target}; removes the file if the get fails. */
  private CompletableFuture<FileInfo> toNewFile(
      Path target, TransferProgress progress, FileGet get) {
    Objects.requireNonNull(target, "target");
    if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return loop.completeOnLoop(
          CompletableFuture.failedFuture(
              new java.nio.file.FileAlreadyExistsException(target.toString())),
          value -> {});
    }
    TransferProgress onLoop = onLoop(progress);
    java.util.concurrent.atomic.AtomicBoolean created =
        new java.util.concurrent.atomic.AtomicBoolean();
    CompletableFuture<FileInfo> done =
        call(
            () ->
                get.start(
                    () -> {
                      OutputStream out =
                          Files.newOutputStream(
                              target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                      created.set(true);
                      return out;
                    },
                    onLoop));
    CompletableFuture<FileInfo> cleaned =
        done.whenComplete(
            (file, error) -> {
              if (error != null && created.get()) {
                try {
                  Files.deleteIfExists(target);
                } catch (IOException e) {
                  error.addSuppressed(e);
                }
              }
            });
    return loop.completeOnLoop(cleaned, value -> {});
  }

  /**
   * {@code GET /api/files/{id}}: downloads a file into a stream, chunk by chunk as it arrives. The
   * stream is flushed, not closed.
   *
   * @param fileId the file's id
   * @param out where to write the bytes
   * @param progress hears the bytes received so far, of the size the server announced
   * @return completes with the file as the server described it (name, type, bytes written); fails
   *     with {@code not_found} when the file is unknown or in none of my rooms (nothing was
   *     written), or with the {@link IOException} of a write
   */
  public CompletableFuture<FileInfo> download(
      String fileId, OutputStream out, TransferProgress progress) {
    Objects.requireNonNull(out, "out");
    TransferProgress onLoop = onLoop(progress);
    return onLoop(() -> http.download(fileId, () -> out, false, onLoop));
  }

  /** Progress reported on the event thread, in order. */
  private TransferProgress onLoop(TransferProgress progress) {
    Objects.requireNonNull(progress, "progress");
    return (bytes, total) -> loop.post(() -> progress.onProgress(bytes, total));
  }

  /** Starts a call; one that cannot even start (a missing argument) fails its future. */
  private static <T> CompletableFuture<T> call(Supplier<CompletableFuture<T>> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** An HTTP call whose future completes on the event thread. */
  private <T> CompletableFuture<T> onLoop(Supplier<CompletableFuture<T>> call) {
    return loop.completeOnLoop(call(call), value -> {});
  }

  /** Like {@link #onLoop}; the room is followed (from its last seq) before the future completes. */
  private CompletableFuture<RoomSummary> tracked(Supplier<CompletableFuture<RoomSummary>> call) {
    return loop.completeOnLoop(
        call(call), summary -> rooms.track(summary.room().id(), summary.lastSeq()));
  }
}
