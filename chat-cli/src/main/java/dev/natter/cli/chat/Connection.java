package dev.natter.cli.chat;

import dev.natter.cli.Account;
import dev.natter.client.ChatClient;

/**
 * The session's {@link ChatClient}: built with the saved token, the outbox and the listeners of
 * {@link IncomingEvents}, then connected; it keeps trying while the server cannot be reached, also
 * at start. After {@code /login}, a new client replaces the old one.
 */
final class Connection {
  private final Account account;
  private final SessionState session;
  private volatile ChatClient client;
  private IncomingEvents events;

  Connection(Account account, SessionState session) {
    this.account = account;
    this.session = session;
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
    ChatClient c = account.clientBuilder().outbox(session.outbox).retryFirstConnect(true).build();
    c.addListener(events);
    client = c;
    c.connect(); // failures and the state are reported to the listeners
  }
}
