package dev.natter.store.sqlite;

import dev.natter.core.ChatException;
import dev.natter.core.model.NewMessage;
import dev.natter.core.model.NewRoom;
import dev.natter.core.model.Role;
import dev.natter.core.model.Room;
import dev.natter.core.model.RoomKind;
import dev.natter.core.model.User;
import dev.natter.core.model.Visibility;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The process {@link CrashSafetyTest} kills: appends messages to one room from several threads as
 * fast as the store acks them, and prints {@code ACK <clientMsgId> END} for each acked
 * (future-completed) message, flushing every line, until it is killed.
 *
 * <p>Arguments: the database file, a prefix that makes this run's client ids unique, and the number
 * of sender threads.
 */
public final class CrashChild {
  static final String ROOM = "r-crash";
  static final User SENDER = new User("u-crash", "crash", "Crash Test");

  private CrashChild() {}

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    String prefix = args[1];
    int senders = Integer.parseInt(args[2]);
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    SqliteChatStore store = SqliteChatStore.open(file);
    Instant now = Instant.now();
    if (store.findUser(SENDER.id()).isEmpty()) {
      store.createUser(SENDER, "hash", now);
    }
    try {
      store.createRoom(
          new NewRoom(
              new Room(ROOM, RoomKind.GROUP, "crash", Visibility.PRIVATE, null, now),
              Map.of(SENDER.id(), Role.OWNER)));
    } catch (ChatException.Conflict exists) {
      // a later run
    }
    synchronized (out) {
      out.print("READY END\n");
      out.flush();
    }
    for (int t = 0; t < senders; t++) {
      int thread = t;
      Thread sender =
          new Thread(
              () -> {
                for (long i = 0; ; i++) {
                  String clientMsgId = prefix + "-" + thread + "-" + i;
                  CompletableFuture<?> acked =
                      store.append(
                          new NewMessage(
                              ROOM,
                              "m-" + clientMsgId,
                              SENDER,
                              clientMsgId,
                              "body of " + clientMsgId,
                              null,
                              Instant.now()),
                          m -> {});
                  acked.join();
                  // One write per line, so a kill never leaves half an ACK behind that looks whole.
                  synchronized (out) {
                    out.print("ACK " + clientMsgId + " END\n");
                    out.flush();
                  }
                }
              },
              "sender-" + t);
      sender.start();
    }
    Thread.currentThread().join();
  }
}
