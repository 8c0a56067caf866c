package dev.natter.cli.chat;

import dev.natter.cli.Account;
import dev.natter.cli.CliException;
import dev.natter.cli.ExitCodes;
import dev.natter.cli.config.PrivateFileOutbox;
import dev.natter.cli.term.Sanitizer;
import dev.natter.client.ChatClient;
import dev.natter.client.ConnectionState;
import dev.natter.client.Outbox;
import dev.natter.core.ChatException;
import dev.natter.core.model.Message;
import dev.natter.core.model.MessagePage;
import dev.natter.core.model.Presence;
import dev.natter.core.model.RoomKind;
import dev.natter.core.model.RoomSummary;
import dev.natter.core.model.User;
import dev.natter.core.model.Visibility;
import dev.natter.core.protocol.ErrorCode;
import dev.natter.core.protocol.ServerEvent;
import dev.natter.core.spi.ChatStore;
import java.io.IOException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jline.keymap.KeyMap;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.Reference;
import org.jline.reader.UserInterruptException;
import org.jline.reader.Widget;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;
import org.jline.utils.Status;

/**
 * One run of the terminal client: signs in, connects, prints incoming messages above the prompt,
 * keeps a status line, and executes what the user types. Messages from every room are printed as
 * they arrive, each tagged with its room; what is typed goes to the current room.
 */
final class ChatSession {
  private static final int SCROLLBACK = 20;
  private static final long TYPING_TTL_MS = 8_000;
  private static final long TYPING_RESEND_MS = 3_000;
  private static final String NEXT_UNREAD = "natter-next-unread";

  private final Terminal terminal;
  private final java.util.function.Consumer<String> statusListener;
  private final Account account;
  private final String startRoom;
  private final RoomBook book = new RoomBook();
  private final Lines lines = new Lines(ZoneId.systemDefault());
  private final Set<String> online = ConcurrentHashMap.newKeySet();
  private final List<RoomSummary> publicRooms = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService timers =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "natter-chat-timers");
            t.setDaemon(true);
            return t;
          });

  private NatterReader reader;
  private Status status;
  private PrivateFileOutbox outbox;
  private volatile ChatClient client;
  private volatile ConnectionState state = ConnectionState.NEW;
  private volatile boolean everConnected;
  private volatile boolean running = true;
  private volatile boolean needLogin;
  private volatile long lastTypingSent;
  private volatile String lastTypingRoom;
  private volatile int connectFailures;

  ChatSession(
      Terminal terminal,
      Account account,
      String startRoom,
      java.util.function.Consumer<String> statusListener) {
    this.statusListener = statusListener;
    this.terminal = terminal;
    this.account = account;
    this.startRoom = startRoom;
  }

  /** Runs until {@code /quit}, Ctrl-D or an unrecoverable failure; returns the exit code. */
  int run() throws IOException {
    reader = new NatterReader(terminal);
    configureReader();
    status = Status.getStatus(terminal, true);
    try {
      if (!account.hasToken()) {
        print(lines.notice("not logged in to " + account.server() + ": sign in or register"));
        if (!interactiveLogin()) {
          return ExitCodes.FAILURE;
        }
      }
      outbox = account.outbox();
      if (!outbox.entries().isEmpty()) {
        print(
            lines.notice(
                outbox.entries().size()
                    + " unsent message(s) from last time will go out once connected"));
      }
      connect();
      timers.scheduleWithFixedDelay(this::tick, 1, 1, TimeUnit.SECONDS);
      loop();
      return ExitCodes.OK;
    } finally {
      running = false;
      timers.shutdownNow();
      ChatClient c = client;
      if (c != null) {
        c.close();
      }
      if (status != null) {
        status.update(List.of());
        status.close();
      }
      terminal.writer().flush();
    }
  }

  // =====================================================================================
  // The reader

  private void configureReader() {
    DefaultParser parser = new DefaultParser();
    parser.setQuoteChars(new char[0]);
    parser.setEscapeChars(new char[0]);
    reader.setParser(parser);
    reader.setCompleter(new ChatCompleter(book, () -> publicRooms));
    reader.setOpt(LineReader.Option.DISABLE_EVENT_EXPANSION);
    reader.setOpt(LineReader.Option.CASE_INSENSITIVE);
    reader.setOpt(LineReader.Option.ERASE_LINE_ON_FINISH); // what was sent comes back as a message
    reader.unsetOpt(LineReader.Option.INSERT_TAB);
    reader.setVariable(LineReader.HISTORY_SIZE, 500);
    reader.setVariable(LineReader.ERRORS, 0);

    Widget next =
        () -> {
          nextUnread(true);
          return true;
        };
    reader.getWidgets().put(NEXT_UNREAD, next);
    KeyMap<org.jline.reader.Binding> main = reader.getKeyMaps().get(LineReader.MAIN);
    main.bind(new Reference(NEXT_UNREAD), KeyMap.alt('a'));
    main.bind(new Reference(NEXT_UNREAD), KeyMap.ctrl('N'));
    for (String name : List.of(LineReader.EMACS, LineReader.VIINS)) {
      KeyMap<org.jline.reader.Binding> km = reader.getKeyMaps().get(name);
      if (km != null) {
        km.bind(new Reference(NEXT_UNREAD), KeyMap.alt('a'));
        km.bind(new Reference(NEXT_UNREAD), KeyMap.ctrl('N'));
      }
    }

    Widget selfInsert = reader.getBuiltinWidgets().get(LineReader.SELF_INSERT);
    reader
        .getWidgets()
        .put(
            LineReader.SELF_INSERT,
            () -> {
              boolean r = selfInsert.apply();
              maybeSendTyping();
              return r;
            });
  }

  private void loop() {
    while (running) {
      String line;
      try {
        line = reader.readLine(prompt());
      } catch (UserInterruptException e) {
        if (e.getPartialLine() == null || e.getPartialLine().isEmpty()) {
          break;
        }
        continue;
      } catch (EndOfFileException e) {
        break;
      }
      try {
        handleLine(line);
      } catch (ChatException e) {
        print(lines.error(ExitCodes.messageOf(e)));
      } catch (CliException e) {
        print(lines.error(e.getMessage()));
      } catch (RuntimeException e) {
        print(lines.error(ExitCodes.messageOf(e)));
      }
    }
  }

  private String prompt() {
    String label = book.currentEntry().map(e -> e.label).orElse("(no room)");
    return new AttributedStringBuilder()
        .styled(Palette.ROOM, "[" + label + "]")
        .append(" ")
        .toAnsi(terminal);
  }

  private void refreshPrompt() {
    if (reader.isReading()) {
      reader.locked(
          () -> {
            reader.setPrompt(prompt());
            reader.callWidget(LineReader.REDRAW_LINE);
            reader.callWidget(LineReader.REDISPLAY);
          });
    }
  }

  /** Prints a line above the prompt (or plainly when no prompt is shown). */
  void print(AttributedString line) {
    reader.printAbove(line);
  }

  // =====================================================================================
  // Signing in and connecting

  private boolean interactiveLogin() {
    try {
      String username = reader.readLine("username: ").strip();
      if (username.isEmpty()) {
        return false;
      }
      String password = reader.readLine("password: ", '*');
      try {
        Account.SignedIn in = account.signIn(username, password, false, null);
        print(lines.ok("signed in as " + in.username() + "; token saved"));
        return true;
      } catch (CliException e) {
        if (!e.getMessage().contains("not signed in")) {
          throw e;
        }
      }
      String answer =
          reader
              .readLine("wrong password, or no such user. Register '" + username + "'? [y/N] ")
              .strip();
      if (!answer.toLowerCase(Locale.ROOT).startsWith("y")) {
        return false;
      }
      String again = reader.readLine("repeat password: ", '*');
      if (!again.equals(password)) {
        print(lines.error("the passwords differ"));
        return false;
      }
      Account.SignedIn in = account.signIn(username, password, true, null);
      print(lines.ok("registered and signed in as " + in.username() + "; token saved"));
      return true;
    } catch (UserInterruptException | EndOfFileException e) {
      return false;
    } catch (RuntimeException e) {
      print(lines.error(ExitCodes.messageOf(e)));
      return false;
    }
  }

  private void connect() {
    ChatClient c =
        account
            .clientBuilder()
            .outbox(outbox)
            .onReady(this::onReady)
            .onMessage(this::onMessage)
            .onMessageUpdated(this::onMessageUpdated)
            .onTyping(this::onTyping)
            .onPresence(this::onPresence)
            .onRead(this::onRead)
            .onRoom(e -> onRoom(e.room()))
            .onRoomLeft(e -> onRoomLeft(e.room()))
            .onError(e -> print(lines.error(describe(e.code(), e.message()))))
            .onConnectionState(this::onState)
            .build();
    client = c;
    c.connect()
        .whenComplete(
            (ready, error) -> {
              if (error == null || !running) {
                return;
              }
              Throwable cause = error.getCause() != null ? error.getCause() : error;
              timers.execute(c::close); // this client is done; a new one retries
              if (c.state() == ConnectionState.SIGNED_OUT
                  || (cause instanceof ChatException ce && ce.code() == ErrorCode.UNAUTHORIZED)) {
                signedOut();
                return;
              }
              long delay = Math.min(30, 1L << Math.min(connectFailures, 5));
              if (connectFailures++ == 0) {
                print(
                    lines.error(
                        "cannot reach "
                            + account.server()
                            + " ("
                            + ExitCodes.messageOf(cause)
                            + "); retrying in the background"));
              }
              timers.schedule(
                  () -> {
                    if (running && client == c) {
                      connect();
                    }
                  },
                  delay,
                  TimeUnit.SECONDS);
            });
  }

  private void signedOut() {
    needLogin = true;
    print(lines.error("your session expired or was revoked: type /login to sign in again"));
    refreshStatus();
  }

  // =====================================================================================
  // Events (on the client's event thread)

  private void onState(ConnectionState s) {
    ConnectionState before = state;
    state = s;
    if (s == ConnectionState.RECONNECTING && before == ConnectionState.CONNECTED) {
      print(lines.error("connection lost; reconnecting (messages you send are kept)"));
    } else if (s == ConnectionState.CONNECTED && before == ConnectionState.RECONNECTING) {
      print(lines.ok("reconnected; what you missed follows"));
    } else if (s == ConnectionState.SIGNED_OUT) {
      signedOut();
    }
    refreshStatus();
  }

  private void onReady(ServerEvent.Ready ready) {
    connectFailures = 0;
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
    boolean first = !everConnected;
    everConnected = true;
    if (first) {
      print(
          lines.ok(
              "connected to "
                  + account.server()
                  + " as "
                  + Sanitizer.line(ready.user().username())
                  + "; /help for commands, Alt-A or Ctrl-N for the next unread room"));
      RoomBook.Entry start = null;
      if (startRoom != null) {
        start = book.find(startRoom).orElse(null);
        if (start == null) {
          print(lines.error("you are not in a room called " + startRoom));
        }
      }
      if (start == null && !book.all().isEmpty()) {
        start = book.all().get(0);
      }
      if (start != null) {
        String id = start.id();
        CompletableFuture.runAsync(() -> switchTo(id, true));
      } else {
        print(lines.notice("you are in no room yet: /rooms lists public rooms, /join one"));
      }
      CompletableFuture.runAsync(this::loadPublicRooms);
    }
    if (!outbox.entries().isEmpty()) {
      print(lines.notice("sending " + outbox.entries().size() + " queued message(s)"));
    }
    refreshStatus();
  }

  private void onMessage(ServerEvent.MessageEvent e) {
    Message m = e.message();
    book.knowUser(m.sender());
    if (book.record(m)) {
      print(lines.message(m, book.label(m.room()), isMe(m.sender())));
      ChatClient c = client;
      if (c != null && m.room().equals(book.current())) {
        c.markRead(m.room(), m.seq());
      }
    }
    refreshStatus();
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
              u.reactions());
      book.update(after);
    } else {
      after =
          new Message(
              u.room(),
              u.seq(),
              u.messageId(),
              new User("?", "someone", "someone"),
              u.body(),
              java.time.Instant.now(),
              null,
              u.editedAt(),
              u.deleted(),
              u.reactions());
    }
    print(lines.updated(before.orElse(null), after, book.label(u.room()), this::usernameOf));
  }

  private void onTyping(ServerEvent.TypingEvent e) {
    book.typing(e.room(), e.user(), e.active(), System.currentTimeMillis(), TYPING_TTL_MS);
    refreshStatus();
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
    if (isMe(e.user())) {
      book.get(e.room())
          .ifPresent(
              entry -> {
                synchronized (book) {
                  if (e.seq() >= entry.lastSeq) {
                    entry.unread = 0;
                  }
                }
              });
      refreshStatus();
    }
  }

  private void onRoom(RoomSummary s) {
    boolean known = book.get(s.room().id()).isPresent();
    RoomBook.Entry e = book.upsert(s);
    publicRooms.removeIf(r -> r.room().id().equals(s.room().id()));
    if (!known) {
      print(
          lines.notice(
              e.isDm()
                  ? "direct conversation with " + e.label
                  : e.label + ": you are a member now"));
    }
    refreshStatus();
  }

  private void onRoomLeft(String roomId) {
    String label = book.label(roomId);
    boolean wasCurrent = roomId.equals(book.current());
    book.remove(roomId);
    print(lines.notice("you are no longer in " + label));
    if (wasCurrent) {
      refreshPrompt();
    }
    refreshStatus();
  }

  private void tick() {
    try {
      refreshStatus();
    } catch (RuntimeException e) {
      // the screen is best effort
    }
  }

  // =====================================================================================
  // Status line

  private void refreshStatus() {
    if (reader == null) {
      return;
    }
    AttributedString line = statusLine();
    statusListener.accept(line.toString());
    if (status != null) {
      reader.locked(() -> status.update(List.of(line)));
    }
  }

  AttributedString statusLine() {
    AttributedStringBuilder b = new AttributedStringBuilder();
    ConnectionState s = state;
    if (needLogin) {
      b.styled(Palette.ERROR, "[signed out: /login]");
    } else if (s == ConnectionState.CONNECTED) {
      b.styled(Palette.OK, "[online]");
    } else if (s == ConnectionState.RECONNECTING) {
      b.styled(Palette.WARN, "[reconnecting]");
    } else {
      String what =
          everConnected ? "offline" : connectFailures > 0 ? "offline: retrying" : "connecting";
      b.styled(Palette.WARN, "[" + what + "]");
    }
    User me = book.me();
    if (me != null) {
      b.append(' ').append(Sanitizer.line(me.username()));
    }
    String current = book.current();
    b.append(" | ").styled(Palette.ROOM, current == null ? "(no room)" : book.label(current));
    StringBuilder unread = new StringBuilder();
    for (RoomBook.Entry e : book.all()) {
      if (e.unread > 0 && !e.id().equals(current)) {
        unread.append(unread.length() == 0 ? "" : " ").append(e.label).append('(');
        unread.append(e.unread).append(')');
      }
    }
    if (unread.length() > 0) {
      b.append(" | unread: ").styled(AttributedStyle.BOLD, unread.toString());
    }
    if (current != null) {
      List<String> typing = book.typingIn(current, System.currentTimeMillis());
      if (!typing.isEmpty()) {
        b.append(" | ")
            .styled(
                Palette.DIM,
                String.join(", ", typing) + (typing.size() == 1 ? " is typing…" : " are typing…"));
      }
    }
    int pending = outbox == null ? 0 : outbox.entries().size();
    if (pending > 0) {
      b.append(" | ").styled(Palette.WARN, pending + " queued");
    }
    AttributedString full = b.toAttributedString();
    int width = terminal.getWidth();
    return width > 1 && full.columnLength() > width - 1
        ? full.columnSubSequence(0, width - 1)
        : full;
  }

  // =====================================================================================
  // What the user types

  private void handleLine(String raw) {
    String line = raw.strip();
    if (line.isEmpty()) {
      return;
    }
    if (line.startsWith("//")) {
      sendToCurrent(line.substring(1));
      return;
    }
    if (!line.startsWith("/")) {
      sendToCurrent(raw.stripTrailing());
      return;
    }
    String[] parts = line.split("\\s+", 2);
    String arg = parts.length > 1 ? parts[1].strip() : "";
    SlashCommand cmd = SlashCommand.find(parts[0]);
    if (cmd == null) {
      print(lines.error("unknown command " + parts[0] + " (/help lists them; // sends a /)"));
      return;
    }
    if (needLogin
        && cmd != SlashCommand.LOGIN
        && cmd != SlashCommand.QUIT
        && cmd != SlashCommand.HELP) {
      print(lines.error("signed out: /login first"));
      return;
    }
    switch (cmd) {
      case JOIN:
        join(requireArg(arg, cmd));
        break;
      case LEAVE:
        leave(arg);
        break;
      case ROOMS:
        listRooms();
        break;
      case DM:
        openDm(requireArg(arg, cmd));
        break;
      case MSG:
        directMessage(requireArg(arg, cmd));
        break;
      case WHO:
        who();
        break;
      case ME:
        sendToCurrent("/me " + requireArg(arg, cmd));
        break;
      case HISTORY:
        history(arg);
        break;
      case SEARCH:
        search(requireArg(arg, cmd));
        break;
      case EDIT:
        edit(requireArg(arg, cmd));
        break;
      case DELETE:
        delete(requireArg(arg, cmd));
        break;
      case REACT:
        react(requireArg(arg, cmd));
        break;
      case CREATE:
        create(requireArg(arg, cmd));
        break;
      case INVITE:
        invite(requireArg(arg, cmd), true);
        break;
      case KICK:
        invite(requireArg(arg, cmd), false);
        break;
      case READ:
        markRead(arg);
        break;
      case NEXT:
        nextUnread(false);
        break;
      case LOGIN:
        relogin();
        break;
      case HELP:
        help(arg);
        break;
      case QUIT:
        running = false;
        break;
      default:
        break;
    }
  }

  private static String requireArg(String arg, SlashCommand cmd) {
    if (arg.isEmpty()) {
      throw CliException.usage("usage: " + cmd.syntax);
    }
    return arg;
  }

  private RoomBook.Entry currentRoom() {
    return book.currentEntry()
        .orElseThrow(() -> CliException.usage("no current room: /join one first"));
  }

  private void sendToCurrent(String body) {
    RoomBook.Entry room = currentRoom();
    send(room.id(), room.label, body);
  }

  private void send(String roomId, String label, String body) {
    ChatClient c = client;
    if (c == null) {
      throw CliException.failure("not connected yet");
    }
    Outbox.Entry entry = new Outbox.Entry(UUID.randomUUID().toString(), roomId, body, null);
    lastTypingSent = 0;
    if (state != ConnectionState.CONNECTED) {
      print(lines.queued(label, book.me() != null ? book.me() : new User("?", "me", "me"), body));
    }
    c.send(entry)
        .whenComplete(
            (ack, error) -> {
              if (error != null && running) {
                Throwable cause = error.getCause() != null ? error.getCause() : error;
                if (!(cause instanceof java.util.concurrent.CancellationException)) {
                  print(lines.error("not sent to " + label + ": " + ExitCodes.messageOf(cause)));
                }
              }
              refreshStatus();
            });
    refreshStatus();
  }

  private void maybeSendTyping() {
    String buf = reader.getBuffer().toString();
    ChatClient c = client;
    String room = book.current();
    if (c == null || room == null || buf.startsWith("/") || buf.isBlank()) {
      return;
    }
    long now = System.currentTimeMillis();
    if (now - lastTypingSent > TYPING_RESEND_MS || !room.equals(lastTypingRoom)) {
      lastTypingSent = now;
      lastTypingRoom = room;
      c.typing(room, true);
    }
  }

  private void join(String ref) {
    Optional<RoomBook.Entry> mine = book.find(ref);
    if (mine.isPresent()) {
      switchTo(mine.get().id(), true);
      return;
    }
    String wanted = ref.startsWith("#") ? ref.substring(1) : ref;
    List<RoomSummary> candidates = client.publicRooms();
    publicRooms.clear();
    publicRooms.addAll(candidates);
    RoomSummary target = null;
    for (RoomSummary s : candidates) {
      if (s.room().id().equals(wanted)
          || s.room().name().equalsIgnoreCase(wanted)
          || s.room().name().replace(' ', '_').equalsIgnoreCase(wanted)) {
        target = s;
        break;
      }
    }
    if (target == null) {
      throw CliException.failure(
          "no public room called " + ref + " (/rooms lists them; /create makes one)");
    }
    RoomSummary joined = client.join(target.room().id());
    book.upsert(joined);
    publicRooms.removeIf(r -> r.room().id().equals(joined.room().id()));
    switchTo(joined.room().id(), true);
  }

  private void leave(String ref) {
    RoomBook.Entry room =
        ref.isEmpty()
            ? currentRoom()
            : book.find(ref).orElseThrow(() -> CliException.failure("you are not in " + ref));
    client.leave(room.id());
    book.remove(room.id());
    print(lines.notice("left " + room.label));
    refreshPrompt();
    refreshStatus();
  }

  private void listRooms() {
    List<RoomBook.Entry> mine = book.all();
    print(lines.notice("your rooms:"));
    if (mine.isEmpty()) {
      print(lines.notice("  (none)"));
    }
    for (RoomBook.Entry e : mine) {
      String marker = e.id().equals(book.current()) ? "* " : "  ";
      String extra =
          (e.isDm() ? "direct" : e.summary.room().visibility().wireName())
              + ", "
              + e.summary.members().size()
              + " members"
              + (e.unread > 0 ? ", " + e.unread + " unread" : "");
      print(lines.notice(marker + e.label + "  (" + extra + ")"));
    }
    loadPublicRooms();
    if (!publicRooms.isEmpty()) {
      print(lines.notice("public rooms you could /join:"));
      for (RoomSummary s : publicRooms) {
        print(
            lines.notice(
                "  #"
                    + Sanitizer.line(s.room().name()).replace(' ', '_')
                    + "  ("
                    + s.members().size()
                    + " members)"));
      }
    }
  }

  private void loadPublicRooms() {
    try {
      List<RoomSummary> list = client.publicRooms();
      publicRooms.clear();
      publicRooms.addAll(list);
    } catch (RuntimeException e) {
      // completion only: keep what we had
    }
  }

  private void openDm(String user) {
    String name = user.startsWith("@") ? user.substring(1) : user;
    RoomSummary dm = client.openDm(name);
    book.upsert(dm);
    switchTo(dm.room().id(), true);
  }

  private void directMessage(String arg) {
    String[] p = arg.split("\\s+", 2);
    if (p.length < 2 || p[1].isBlank()) {
      throw CliException.usage("usage: " + SlashCommand.MSG.syntax);
    }
    String name = p[0].startsWith("@") ? p[0].substring(1) : p[0];
    RoomSummary dm = client.openDm(name);
    RoomBook.Entry e = book.upsert(dm);
    send(dm.room().id(), e.label, p[1]);
  }

  private void who() {
    RoomBook.Entry room = currentRoom();
    List<String> names = new ArrayList<>();
    int on = 0;
    for (User u : room.summary.members()) {
      boolean isOn = online.contains(u.id());
      on += isOn ? 1 : 0;
      String role = "";
      names.add(Sanitizer.line(u.username()) + (isOn ? " (online)" : "") + role);
    }
    print(
        lines.notice(
            room.label
                + ": "
                + room.summary.members().size()
                + " members, "
                + on
                + " online: "
                + String.join(", ", names)));
  }

  private void history(String arg) {
    RoomBook.Entry room = currentRoom();
    int n = SCROLLBACK;
    if (!arg.isEmpty()) {
      try {
        n = Integer.parseInt(arg);
      } catch (NumberFormatException e) {
        throw CliException.usage("usage: " + SlashCommand.HISTORY.syntax);
      }
      if (n < 1 || n > 100) {
        throw CliException.usage("n must be between 1 and 100");
      }
    }
    MessagePage page = client.messages(room.id(), null, null, n);
    print(lines.notice("last " + page.messages().size() + " messages of " + room.label + ":"));
    for (Message m : page.messages()) {
      book.record(m);
      print(lines.message(m, room.label, isMe(m.sender())));
    }
  }

  private void search(String text) {
    List<ChatStore.SearchHit> hits = client.search(text, null);
    print(lines.notice(hits.size() + " result(s) for \"" + Sanitizer.line(text) + "\":"));
    for (ChatStore.SearchHit hit : hits) {
      Message m = hit.message();
      print(lines.message(m, book.label(m.room()), isMe(m.sender())));
    }
  }

  /** Parses {@code #12} or {@code 12}. */
  private static long seqOf(String token, SlashCommand cmd) {
    String t = token.startsWith("#") ? token.substring(1) : token;
    try {
      long seq = Long.parseLong(t);
      if (seq < 1) {
        throw new NumberFormatException();
      }
      return seq;
    } catch (NumberFormatException e) {
      throw CliException.usage("usage: " + cmd.syntax + " (messages are numbered #1, #2, ...)");
    }
  }

  private Message messageAt(RoomBook.Entry room, long seq) {
    Optional<Message> known = book.message(room.id(), seq);
    if (known.isPresent()) {
      return known.get();
    }
    MessagePage page = client.messages(room.id(), null, seq - 1, 1);
    if (page.messages().isEmpty() || page.messages().get(0).seq() != seq) {
      throw CliException.failure("there is no message #" + seq + " in " + room.label);
    }
    Message m = page.messages().get(0);
    book.record(m);
    return m;
  }

  private void edit(String arg) {
    RoomBook.Entry room = currentRoom();
    String[] p = arg.split("\\s+", 2);
    Message target;
    String text;
    if (p[0].matches("#?\\d+") && p.length == 2) {
      target = messageAt(room, seqOf(p[0], SlashCommand.EDIT));
      text = p[1];
    } else {
      target =
          book.lastOwn(room.id())
              .orElseThrow(
                  () -> CliException.usage("no message of yours here to edit: /edit #seq text"));
      text = arg;
    }
    await(client.edit(room.id(), target.messageId(), text));
  }

  private void delete(String arg) {
    RoomBook.Entry room = currentRoom();
    Message target = messageAt(room, seqOf(arg.split("\\s+")[0], SlashCommand.DELETE));
    await(client.delete(room.id(), target.messageId()));
  }

  private void react(String arg) {
    RoomBook.Entry room = currentRoom();
    String[] p = arg.split("\\s+", 2);
    if (p.length < 2) {
      throw CliException.usage("usage: " + SlashCommand.REACT.syntax);
    }
    Message target = messageAt(room, seqOf(p[0], SlashCommand.REACT));
    String emoji = p[1].strip();
    List<String> who = target.reactions().getOrDefault(emoji, List.of());
    boolean on = book.me() == null || !who.contains(book.me().id());
    await(client.react(room.id(), target.messageId(), emoji, on));
  }

  private void create(String arg) {
    List<String> p = new ArrayList<>(Arrays.asList(arg.split("\\s+")));
    String name = p.remove(0);
    if (name.startsWith("#")) {
      name = name.substring(1);
    }
    Visibility visibility = Visibility.PUBLIC;
    if (!p.isEmpty()
        && (p.get(0).equalsIgnoreCase("public") || p.get(0).equalsIgnoreCase("private"))) {
      visibility = Visibility.fromWire(p.remove(0).toLowerCase(Locale.ROOT));
    }
    List<String> members = new ArrayList<>();
    for (String u : p) {
      members.add(u.startsWith("@") ? u.substring(1) : u);
    }
    RoomSummary created = client.createRoom(name, visibility, members);
    book.upsert(created);
    switchTo(created.room().id(), false);
  }

  private void invite(String arg, boolean add) {
    String[] p = arg.split("\\s+");
    String user = p[0].startsWith("@") ? p[0].substring(1) : p[0];
    RoomBook.Entry room =
        p.length > 1
            ? book.find(p[1]).orElseThrow(() -> CliException.failure("you are not in " + p[1]))
            : currentRoom();
    if (add) {
      client.invite(room.id(), user);
      print(lines.ok("added " + Sanitizer.line(user) + " to " + room.label));
    } else {
      client.kick(room.id(), user);
      print(lines.ok("removed " + Sanitizer.line(user) + " from " + room.label));
    }
  }

  private void markRead(String arg) {
    List<RoomBook.Entry> rooms = arg.equalsIgnoreCase("all") ? book.all() : List.of(currentRoom());
    for (RoomBook.Entry e : rooms) {
      long seq;
      synchronized (book) {
        seq = e.lastSeq;
        e.unread = 0;
      }
      if (seq > 0) {
        client.markRead(e.id(), seq);
      }
    }
    print(
        lines.notice("marked " + (rooms.size() == 1 ? rooms.get(0).label : "all rooms") + " read"));
    refreshStatus();
  }

  private void nextUnread(boolean fromWidget) {
    Optional<RoomBook.Entry> next = book.nextUnread();
    if (next.isEmpty()) {
      print(lines.notice("no unread messages"));
      return;
    }
    switchTo(next.get().id(), true);
    if (fromWidget) {
      reader.setPrompt(prompt());
      reader.callWidget(LineReader.REDRAW_LINE);
      reader.callWidget(LineReader.REDISPLAY);
    }
  }

  private void relogin() {
    print(lines.notice("sign in to " + account.server()));
    if (!interactiveLogin()) {
      return;
    }
    needLogin = false;
    ChatClient old = client;
    client = null;
    if (old != null) {
      old.close();
    }
    everConnected = false;
    connect();
  }

  private void help(String arg) {
    if (!arg.isEmpty()) {
      SlashCommand c = SlashCommand.find(arg.startsWith("/") ? arg : "/" + arg);
      if (c == null) {
        throw CliException.usage("no command " + arg);
      }
      print(lines.notice(c.syntax + "  " + c.help));
      return;
    }
    print(
        lines.notice(
            "type text to send it to the current room; // sends a line that starts with /"));
    for (SlashCommand c : SlashCommand.all()) {
      print(lines.notice(String.format("%-24s %s", c.syntax, c.help)));
    }
    print(
        lines.notice(
            "keys: Tab completes commands, rooms and users; Alt-A / Ctrl-N next unread room"));
  }

  /**
   * Makes a room current: marks it read, shows its recent messages not printed yet, updates the
   * prompt and the status line.
   */
  private void switchTo(String roomId, boolean scrollback) {
    RoomBook.Entry e = book.get(roomId).orElse(null);
    if (e == null) {
      return;
    }
    book.setCurrent(roomId);
    int members = e.summary.members().size();
    String count = members == 1 ? "1 member" : members + " members";
    print(lines.notice("now in " + e.label + (e.isDm() ? "" : " (" + count + ")")));
    ChatClient c = client;
    long readUpTo;
    synchronized (book) {
      readUpTo = e.lastSeq;
    }
    if (scrollback && c != null) {
      try {
        MessagePage page = c.messages(roomId, null, null, SCROLLBACK);
        for (Message m : page.messages()) {
          readUpTo = Math.max(readUpTo, m.seq());
          if (book.record(m)) {
            print(lines.message(m, e.label, isMe(m.sender())));
          }
        }
      } catch (RuntimeException ex) {
        print(
            lines.error(
                "could not load the history of " + e.label + ": " + ExitCodes.messageOf(ex)));
      }
    }
    // what arrives later while the room is current is marked read as it arrives
    if (readUpTo > 0 && c != null && roomId.equals(book.current())) {
      c.markRead(roomId, readUpTo);
    }
    refreshPrompt();
    refreshStatus();
  }

  // =====================================================================================
  // Helpers

  private boolean isMe(User u) {
    User me = book.me();
    return me != null && me.id().equals(u.id());
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

  private static void await(CompletableFuture<?> f) {
    try {
      f.get(15, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw CliException.failure(String.valueOf(cause.getMessage()), cause);
    } catch (TimeoutException e) {
      throw CliException.failure("no answer from the server (it will be retried on reconnect)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliException.failure("interrupted");
    }
  }

  private static String describe(ErrorCode code, String message) {
    return code.wireName() + ": " + Sanitizer.line(message);
  }

  /** For tests: the room book. */
  RoomBook book() {
    return book;
  }

  /** For tests: the state of the connection. */
  ConnectionState state() {
    return state;
  }

  Map<String, Long> unreadByLabel() {
    Map<String, Long> out = new java.util.LinkedHashMap<>();
    for (RoomBook.Entry e : book.all()) {
      out.put(e.label, e.unread);
    }
    return out;
  }

  static boolean isGroup(RoomSummary s) {
    return s.room().kind() == RoomKind.GROUP;
  }
}
