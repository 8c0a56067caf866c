package dev.natter.cli.chat;

import dev.natter.cli.config.PrivateFileOutbox;
import dev.natter.client.ConnectionState;

/**
 * How one run of the terminal client stands: whether it still runs, the connection's state as last
 * reported, whether it ever connected, whether the user must sign in again, and the outbox. Written
 * by the input thread and the client's event thread, read by the status line.
 */
final class SessionState {
  volatile boolean running = true;
  volatile ConnectionState connection = ConnectionState.NEW;
  volatile boolean everConnected;
  volatile boolean needLogin;
  volatile int connectFailures;

  /** Set once signed in, before connecting. */
  volatile PrivateFileOutbox outbox;

  /** Messages waiting in the outbox. */
  int queued() {
    PrivateFileOutbox box = outbox;
    return box == null ? 0 : box.entries().size();
  }
}
