package dev.natter.cli.chat;

import dev.natter.cli.Account;
import dev.natter.cli.ExitCodes;
import dev.natter.client.ChatClient;
import dev.natter.client.ConnectionState;
import dev.natter.core.ChatException;
import dev.natter.core.protocol.ErrorCode;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The session's {@link ChatClient}: built with the saved token, the outbox and the listeners of
 * {@link IncomingEvents}, then connected. While the server cannot be reached at start, a new client
 * tries again in the background; after {@code /login}, a new client replaces the old one.
 */
final class Connection {
  private final Account account;
  private final SessionState session;
  private final Screen screen;
  private final Lines lines;
  private final ScheduledExecutorService timers;
  private volatile ChatClient client;
  private IncomingEvents events;

  Connection(
      Account account,
      SessionState session,
      Screen screen,
      Lines lines,
      ScheduledExecutorService timers) {
    this.account = account;
    this.session = session;
    this.screen = screen;
    this.lines = lines;
    this.timers = timers;
  }

  /** The client, or null before the first connect and while it is being replaced. */
  ChatClient client() {
    return client;
  }

  /** Connects, reporting to {@code events}. */
  void connect(IncomingEvents events) {
    this.events = events;
    connect();
  }

  /** After signing in again: a new client, as if the session started now. */
  void replace() {
    ChatClient old = client;
    client = null;
    if (old != null) {
      old.close();
    }
    session.everConnected = false;
    connect();
  }

  void close() {
    ChatClient c = client;
    if (c != null) {
      c.close();
    }
  }

  private void connect() {
    ChatClient c = events.listen(account.clientBuilder().outbox(session.outbox)).build();
    client = c;
    c.connect()
        .whenComplete(
            (ready, error) -> {
              if (error == null || !session.running) {
                return;
              }
              Throwable cause = error.getCause() != null ? error.getCause() : error;
              timers.execute(c::close); // this client is done; a new one retries
              if (c.state() == ConnectionState.SIGNED_OUT
                  || (cause instanceof ChatException ce && ce.code() == ErrorCode.UNAUTHORIZED)) {
                events.signedOut();
                return;
              }
              long delay = Math.min(30, 1L << Math.min(session.connectFailures, 5));
              if (session.connectFailures++ == 0) {
                screen.print(
                    lines.error(
                        "cannot reach "
                            + account.server()
                            + " ("
                            + ExitCodes.messageOf(cause)
                            + "); retrying in the background"));
              }
              timers.schedule(
                  () -> {
                    if (session.running && client == c) {
                      connect();
                    }
                  },
                  delay,
                  TimeUnit.SECONDS);
            });
  }
}
