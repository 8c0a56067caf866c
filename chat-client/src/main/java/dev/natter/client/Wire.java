package dev.natter.client;

import dev.natter.core.protocol.ClientCommand;

/** The current connection, as the parts that send requests see it. Event thread only. */
interface Wire {
  /** Whether the server said {@code ready} on the current connection: requests may go out. */
  boolean isReady();

  /**
   * Sends on the current connection (only while {@link #isReady()}); a request that expects an
   * answer starts the answer deadline.
   */
  void send(ClientCommand command, boolean expectsAnswer);
}
