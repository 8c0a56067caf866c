package dev.natter.cli.chat;

import dev.natter.cli.ExitCodes;
import dev.natter.cli.term.Sanitizer;
import dev.natter.client.ChatClient;
import dev.natter.client.ChatListener;
import dev.natter.client.ConnectionEvent;
import dev.natter.client.ConnectionState;
import dev.natter.core.ChatException;
import dev.natter.core.model.Message;
import dev.natter.core.model.Presence;
import dev.natter.core.model.RoomSummary;
import dev.natter.core.model.User;
import dev.natter.core.protocol.ErrorCode;
import dev.natter.core.protocol.ServerEvent;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * What the {@link ChatClient} reports, recorded in the {@link RoomBook} and shown on the {@link
 * Screen}: the connection's state and failures to connect, {@code ready}, what a reconnect caught
 * up, messages and their updates, typing, presence, read markers, rooms joined and left, errors.
 * Runs on the client's event thread.
 */
final class IncomingEvents implements ChatListener {
  private static final long TYPING_TTL_MS = 8_000;

  private final SessionState session;
  private final Connection connection;
  private final RoomBook book;
  private final CurrentRoom currentRoom;
  private final PublicRooms publicRooms;
  private final Set<String> online;
  private final Screen screen;
  private final Lines lines;
  private final Bell bell;
  private final URI server;
  private final String startRoom;

  IncomingEvents(
      SessionState session,
      Connection connection,
      RoomBook book,
      CurrentRoom currentRoom,
      PublicRooms publicRooms,
      Set<String> online,
      Screen screen,
      Lines lines,
      Bell bell,
      URI server,
      String startRoom) {
    this.session = session;
    this.connection = connection;
    this.book = book;
    this.currentRoom = currentRoom;
    this.publicRooms = publicRooms;
    this.online = online;
    this.screen = screen;
    this.lines = lines;
    this.bell = bell;
    this.server = server;
    this.startRoom = startRoom;
  }

  @Override
  public void onEvent(ChatClient client, ServerEvent event) {
    if (event instanceof ServerEvent.Ready e) {
      onReady(e);
    } else if (event instanceof ServerEvent.MessageEvent e) {
      onMessage(e);
    } else if (event instanceof ServerEvent.MessageUpdated e) {
      onMessageUpdated(e);
    } else if (event instanceof ServerEvent.TypingEvent e) {
      onTyping(e);
    } else if (event instanceof ServerEvent.PresenceEvent e) {
      onPresence(e);
    } else if (event instanceof ServerEvent.ReadEvent e) {
      onRead(e);
    } else if (event instanceof ServerEvent.RoomEvent e) {
      onRoom(e.room());
    } else if (event instanceof ServerEvent.RoomLeft e) {
      onRoomLeft(e.room());
    } else if (event instanceof ServerEvent.Error e) {
      screen.print(lines.error(e.code().wireName() + ": " + Sanitizer.line(e.message())));
    }
  }

  @Override
  public void onConnectionEvent(ChatClient client, ConnectionEvent event) {
    if (event instanceof ConnectionEvent.StateChanged e) {
      onState(e.state());
    } else if (event instanceof ConnectionEvent.ConnectFailed e) {
      onConnectFailed(e.cause());
    } else if (event instanceof ConnectionEvent.Resumed e) {
      onResumed(e);
    }
  }

  /** The session ended on the server: the user must sign in again. */
  void signedOut() {
    session.needLogin = true;
    screen.print(lines.error("your session expired or was revoked: type /login to sign in again"));
    screen.refreshStatus();
  }

  private void onState(ConnectionState s) {
    ConnectionState before = session.connection;
    session.connection = s;
    if (s == ConnectionState.RECONNECTING && before == ConnectionState.CONNECTED) {
      screen.print(lines.error("connection lost; reconnecting (messages you send are kept)"));
    } else if (s == ConnectionState.CONNECTED && before == ConnectionState.RECONNECTING) {
      screen.print(lines.ok("reconnected; catching up"));
    } else if (s == ConnectionState.SIGNED_OUT) {
      signedOut();
    }
    screen.refreshStatus();
  }

  /** Before the first {@code ready}: says once that the server cannot be reached (yet). */
  private void onConnectFailed(Throwable cause) {
    if (session.everConnected
        || (cause instanceof ChatException ce && ce.code() == ErrorCode.UNAUTHORIZED)) {
      return; // reconnecting shows in the status line; a refused token signs out
    }
    if (session.connectFailures++ == 0) {
      screen.print(
          lines.error(
              "cannot reach "
                  + server
                  + " ("
                  + ExitCodes.messageOf(cause)
                  + "); retrying in the background"));
    }
    screen.refreshStatus();
  }

  /** After a reconnect, once every room caught up: how many messages it missed. */
  private void onResumed(ConnectionEvent.Resumed resumed) {
    int n = resumed.total();
    screen.print(
        lines.ok(
            n == 0 ? "no missed messages" : n == 1 ? "1 missed message" : n + " missed messages"));
  }

  private void onReady(ServerEvent.Ready ready) {
    session.connectFailures = 0;
    book.me(ready.user());
    book.reset(ready.rooms());
    online.clear();
    for (Presence p : ready.presence()) {
      book.knowUser(p.user());
      if (p.status() == Presence.Status.ONLINE) {
        online.add(p.user().id());
      }
    }
    online.add(ready.user().id());
    boolean first = !session.everConnected;
    session.everConnected = true;
    if (first) {
      screen.print(
          lines.ok(
              "connected to "
                  + server
                  + " as "
                  + Sanitizer.line(ready.user().username())
                  + "; /help for commands, Alt-A or Ctrl-N for the next unread room"));
      enterStartRoom();
      CompletableFuture.runAsync(() -> publicRooms.load(connection.client()));
    }
    int queued = session.queued();
    if (queued > 0) {
      screen.print(lines.notice("sending " + queued + " queued message(s)"));
    }
    screen.refreshStatus();
  }

  /** After the first {@code ready}: the room asked for with --room, else the first one. */
  private void enterStartRoom() {
    RoomBook.Entry start = null;
    if (startRoom != null) {
      start = book.find(startRoom).orElse(null);
      if (start == null) {
        screen.print(lines.error("you are not in a room called " + startRoom));
      }
    }
    if (start == null && !book.all().isEmpty()) {
      start = book.all().get(0);
    }
    if (start != null) {
      String id = start.id();
      CompletableFuture.runAsync(() -> currentRoom.switchTo(id, true));
    } else {
      screen.print(lines.notice("you are in no room yet: /rooms lists public rooms, /join one"));
    }
  }

  private void onMessage(ServerEvent.MessageEvent e) {
    Message m = e.message();
    book.knowUser(m.sender());
    if (book.record(m)) {
      screen.print(lines.message(m, book.label(m.room()), book.me()));
      if (!m.deleted() && !book.isMe(m.sender())) {
        bell.onMessage(book.notifyLevel(m.room()), book.mentionsMe(m));
      }
      ChatClient c = connection.client();
      if (c != null && m.room().equals(book.current())) {
        c.markRead(m.room(), m.seq());
      }
    }
    screen.refreshStatus();
  }

  private void onMessageUpdated(ServerEvent.MessageUpdated u) {
    Optional<Message> before = book.message(u.room(), u.seq());
    Message after;
    if (before.isPresent()) {
      Message b = before.get();
      after =
          new Message(
              b.room(),
              b.seq(),
              b.messageId(),
              b.sender(),
              u.body(),
              b.ts(),
              b.replyTo(),
              u.editedAt(),
              u.deleted(),
              u.reactions(),
              u.deleted() ? List.of() : b.files(),
              u.mentions());
      book.update(after);
    } else {
      after =
          new Message(
              u.room(),
              u.seq(),
              u.messageId(),
              new User("?", "someone", "someone"),
              u.body(),
              Instant.now(),
              null,
              u.editedAt(),
              u.deleted(),
              u.reactions(),
              null,
              u.mentions());
    }
    screen.print(
        lines.updated(
            before.orElse(null), after, book.label(u.room()), book.me(), this::usernameOf));
  }

  private void onTyping(ServerEvent.TypingEvent e) {
    book.typing(e.room(), e.user(), e.active(), System.currentTimeMillis(), TYPING_TTL_MS);
    screen.refreshStatus();
  }

  private void onPresence(ServerEvent.PresenceEvent e) {
    Presence p = e.presence();
    book.knowUser(p.user());
    if (p.status() == Presence.Status.ONLINE) {
      online.add(p.user().id());
    } else {
      online.remove(p.user().id());
    }
  }

  private void onRead(ServerEvent.ReadEvent e) {
    if (book.isMe(e.user())) {
      book.get(e.room())
          .ifPresent(
              entry -> {
                synchronized (book) {
                  if (e.seq() >= entry.lastSeq) {
                    entry.unread = 0;
                    entry.mentions = 0;
                  }
                }
              });
      screen.refreshStatus();
    }
  }

  private void onRoom(RoomSummary s) {
    boolean known = book.get(s.room().id()).isPresent();
    RoomBook.Entry e = book.upsert(s);
    publicRooms.remove(s.room().id());
    if (!known) {
      screen.print(
          lines.notice(
              e.isDm()
                  ? "direct conversation with " + e.label
                  : e.label + ": you are a member now"));
    }
    screen.refreshStatus();
  }

  private void onRoomLeft(String roomId) {
    String label = book.label(roomId);
    boolean wasCurrent = roomId.equals(book.current());
    book.remove(roomId);
    screen.print(lines.notice("you are no longer in " + label));
    if (wasCurrent) {
      screen.refreshPrompt();
    }
    screen.refreshStatus();
  }

  private String usernameOf(String userId) {
    for (RoomBook.Entry e : book.all()) {
      for (User u : e.summary.members()) {
        if (u.id().equals(userId)) {
          return u.username();
        }
      }
    }
    return userId;
  }
}
