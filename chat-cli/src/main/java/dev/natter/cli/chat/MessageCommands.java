package dev.natter.cli.chat;

import dev.natter.cli.Account;
import dev.natter.cli.CliException;
import dev.natter.cli.ExitCodes;
import dev.natter.cli.term.Sanitizer;
import dev.natter.client.ChatClient;
import dev.natter.client.ConnectionState;
import dev.natter.client.HistoryQuery;
import dev.natter.client.Outbox;
import dev.natter.core.model.Message;
import dev.natter.core.model.MessagePage;
import dev.natter.core.model.RoomSummary;
import dev.natter.core.model.SearchHit;
import dev.natter.core.model.User;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sending text, and the commands about messages: {@code /msg}, {@code /history}, {@code /search},
 * {@code /edit}, {@code /delete}, {@code /react}. Messages are referred to by their number in the
 * room ({@code #12}).
 */
final class MessageCommands {
  private final SessionState session;
  private final Connection connection;
  private final RoomBook book;
  private final CurrentRoom currentRoom;
  private final TypingIndicator typing;
  private final Screen screen;
  private final Lines lines;

  MessageCommands(
      SessionState session,
      Connection connection,
      RoomBook book,
      CurrentRoom currentRoom,
      TypingIndicator typing,
      Screen screen,
      Lines lines) {
    this.session = session;
    this.connection = connection;
    this.book = book;
    this.currentRoom = currentRoom;
    this.typing = typing;
    this.screen = screen;
    this.lines = lines;
  }

  /** Sends text to the current room. */
  void sendToCurrent(String body) {
    RoomBook.Entry room = currentRoom.get();
    send(room.id(), room.label, body);
  }

  /** {@code /msg user text}: a direct message, without switching to it. */
  void directMessage(String arg) {
    String[] p = arg.split("\\s+", 2);
    if (p.length < 2 || p[1].isBlank()) {
      throw CliException.usage("usage: " + SlashCommand.MSG.syntax);
    }
    RoomSummary dm = Account.await(client().openDm(RoomCommands.withoutAt(p[0])));
    RoomBook.Entry e = book.upsert(dm);
    send(dm.room().id(), e.label, p[1]);
  }

  /** {@code /history [n]}: the last n messages of the current room. */
  void history(String arg) {
    RoomBook.Entry room = currentRoom.get();
    int n = CurrentRoom.SCROLLBACK;
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
    MessagePage page = Account.await(client().history(room.id(), HistoryQuery.latest(n)));
    screen.print(
        lines.notice("last " + page.messages().size() + " messages of " + room.label + ":"));
    for (Message m : page.messages()) {
      book.record(m);
      screen.print(lines.message(m, room.label, book.me()));
    }
  }

  /** {@code /search text}: in all my rooms. */
  void search(String text) {
    List<SearchHit> hits = Account.await(client().search(text));
    screen.print(lines.notice(hits.size() + " result(s) for \"" + Sanitizer.line(text) + "\":"));
    for (SearchHit hit : hits) {
      Message m = hit.message();
      screen.print(lines.message(m, book.label(m.room()), book.me()));
    }
  }

  /** {@code /edit [#seq] text}: my message #seq, or my last one. */
  void edit(String arg) {
    RoomBook.Entry room = currentRoom.get();
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
    await(client().edit(room.id(), target.messageId(), text));
  }

  /** {@code /delete #seq}. */
  void delete(String arg) {
    RoomBook.Entry room = currentRoom.get();
    Message target = messageAt(room, seqOf(arg.split("\\s+")[0], SlashCommand.DELETE));
    await(client().delete(room.id(), target.messageId()));
  }

  /** {@code /react #seq emoji}: toggles my reaction. */
  void react(String arg) {
    RoomBook.Entry room = currentRoom.get();
    String[] p = arg.split("\\s+", 2);
    if (p.length < 2) {
      throw CliException.usage("usage: " + SlashCommand.REACT.syntax);
    }
    Message target = messageAt(room, seqOf(p[0], SlashCommand.REACT));
    String emoji = p[1].strip();
    List<String> who = target.reactions().getOrDefault(emoji, List.of());
    User me = book.me();
    boolean on = me == null || !who.contains(me.id());
    await(client().react(room.id(), target.messageId(), emoji, on));
  }

  private void send(String roomId, String label, String body) {
    ChatClient c = connection.client();
    if (c == null) {
      throw CliException.failure("not connected yet");
    }
    Outbox.Entry entry = new Outbox.Entry(UUID.randomUUID().toString(), roomId, body, null);
    typing.messageSent();
    if (session.connection != ConnectionState.CONNECTED) {
      User me = book.me();
      screen.print(lines.queued(label, me != null ? me : new User("?", "me", "me"), body));
    }
    c.send(entry)
        .whenComplete(
            (ack, error) -> {
              if (error != null && session.running) {
                Throwable cause = error.getCause() != null ? error.getCause() : error;
                if (!(cause instanceof CancellationException)) {
                  screen.print(
                      lines.error("not sent to " + label + ": " + ExitCodes.messageOf(cause)));
                }
              }
              screen.refreshStatus();
            });
    screen.refreshStatus();
  }

  private ChatClient client() {
    return connection.client();
  }

  /** A message by seq: from what the client has seen, else from the server. */
  private Message messageAt(RoomBook.Entry room, long seq) {
    Optional<Message> known = book.message(room.id(), seq);
    if (known.isPresent()) {
      return known.get();
    }
    MessagePage page = Account.await(client().history(room.id(), HistoryQuery.after(seq - 1, 1)));
    if (page.messages().isEmpty() || page.messages().get(0).seq() != seq) {
      throw CliException.failure("there is no message #" + seq + " in " + room.label);
    }
    Message m = page.messages().get(0);
    book.record(m);
    return m;
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

  /** Waits for the server's answer to a request; its error becomes the command's. */
  private static void await(CompletableFuture<?> f) {
    try {
      f.get(15, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
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
}
