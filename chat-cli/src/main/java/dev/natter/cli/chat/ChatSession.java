package dev.natter.cli.chat;

import dev.natter.cli.Account;
import dev.natter.cli.CliException;
import dev.natter.cli.ExitCodes;
import dev.natter.cli.term.Sanitizer;
import dev.natter.core.ChatException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jline.reader.EndOfFileException;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;

/**
 * One run of the terminal client: signs in, connects, prints incoming messages above the prompt,
 * keeps a status line, and executes what the user types. Messages from every room are printed as
 * they arrive, each tagged with its room; what is typed goes to the current room.
 *
 * <p>This class puts the parts together and runs the input loop: {@link Screen} and {@link
 * StatusLine} draw, {@link Connection} holds the client, {@link IncomingEvents} shows what it
 * reports, {@link InputDispatcher} with {@link RoomCommands} and {@link MessageCommands} runs what
 * the user types, {@link KeyBindings} configures the reader, {@link RoomBook} remembers the rooms.
 */
final class ChatSession {
  private final Terminal terminal;
  private final Account account;
  private final String startRoom;
  private final Path workingDirectory;
  private final Consumer<String> statusListener;
  private final SessionState session = new SessionState();
  private final RoomBook book = new RoomBook();
  private final Lines lines = new Lines(ZoneId.systemDefault());
  private final Set<String> online = ConcurrentHashMap.newKeySet();
  private final PublicRooms publicRooms = new PublicRooms();
  private final ScheduledExecutorService timers =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "natter-chat-timers");
            t.setDaemon(true);
            return t;
          });

  ChatSession(
      Terminal terminal,
      Account account,
      String startRoom,
      Path workingDirectory,
      Consumer<String> statusListener) {
    this.terminal = terminal;
    this.account = account;
    this.startRoom = startRoom;
    this.workingDirectory = workingDirectory;
    this.statusListener = statusListener;
  }

  /** Runs until {@code /quit}, Ctrl-D or an unrecoverable failure; returns the exit code. */
  int run() throws IOException {
    NatterReader reader = new NatterReader(terminal);
    Transfers transfers = new Transfers();
    Screen screen =
        new Screen(
            terminal, reader, book, new StatusLine(session, book), transfers, statusListener);
    Bell bell = new Bell(bellSetting(screen), screen::bell);
    Connection connection = new Connection(account, session);
    CurrentRoom currentRoom = new CurrentRoom(book, connection, screen, lines);
    TypingIndicator typing = new TypingIndicator(connection, book);
    KeyBindings.install(
        reader,
        new ChatCompleter(
            book, () -> publicRooms.listOrLoad(connection.client()), workingDirectory),
        currentRoom,
        screen,
        typing);
    screen.open();
    LoginPrompt login = new LoginPrompt(reader, account, screen, lines);
    InputDispatcher input =
        new InputDispatcher(
            session,
            new RoomCommands(connection, book, currentRoom, publicRooms, online, screen, lines),
            new MessageCommands(session, connection, book, currentRoom, typing, screen, lines),
            new FileCommands(
                session, connection, currentRoom, transfers, workingDirectory, screen, lines),
            new NotifyCommands(connection, book, currentRoom, bell, account, screen, lines),
            currentRoom,
            login,
            connection,
            account,
            screen,
            lines);
    try {
      if (!account.hasToken()) {
        screen.print(
            lines.notice("not logged in to " + account.server() + ": sign in or register"));
        if (!login.signIn()) {
          return ExitCodes.FAILURE;
        }
      }
      session.outbox = account.outbox();
      int unsent = session.queued();
      if (unsent > 0) {
        screen.print(
            lines.notice(unsent + " unsent message(s) from last time will go out once connected"));
      }
      connection.connect(
          new IncomingEvents(
              session,
              connection,
              book,
              currentRoom,
              publicRooms,
              online,
              screen,
              lines,
              bell,
              account.server(),
              startRoom));
      timers.scheduleWithFixedDelay(() -> tick(screen), 1, 1, TimeUnit.SECONDS);
      readLines(reader, screen, input);
      return ExitCodes.OK;
    } finally {
      session.running = false;
      timers.shutdownNow();
      connection.close();
      screen.close();
    }
  }

  /** The bell setting from the config file; an unknown word says so and rings for mentions. */
  private Bell.Setting bellSetting(Screen screen) {
    String word = account.config().bell();
    if (word == null) {
      return Bell.Setting.DEFAULT;
    }
    return Bell.Setting.parse(word)
        .orElseGet(
            () -> {
              screen.print(
                  lines.error(
                      "bell \""
                          + Sanitizer.line(word)
                          + "\" in "
                          + account.configFile().path()
                          + " is not all, mentions or off: ringing for mentions"));
              return Bell.Setting.DEFAULT;
            });
  }

  private void readLines(NatterReader reader, Screen screen, InputDispatcher input) {
    while (session.running) {
      String line;
      try {
        line = reader.readLine(screen.prompt());
      } catch (UserInterruptException e) {
        if (e.getPartialLine() == null || e.getPartialLine().isEmpty()) {
          break;
        }
        continue;
      } catch (EndOfFileException e) {
        break;
      }
      try {
        input.handle(line);
      } catch (ChatException e) {
        screen.print(lines.error(ExitCodes.messageOf(e)));
      } catch (CliException e) {
        screen.print(lines.error(e.getMessage()));
      } catch (RuntimeException e) {
        screen.print(lines.error(ExitCodes.messageOf(e)));
      }
    }
  }

  /** Once a second: typing indicators expire. */
  private static void tick(Screen screen) {
    try {
      screen.refreshStatus();
    } catch (RuntimeException e) {
      // the screen is best effort
    }
  }
}
