package dev.natter.core;

import dev.natter.core.protocol.ClientCommand;

/**
 * What a {@link ConnectedClient} needs from the engine: someone to execute its commands, and to
 * forget it when it ends. The engine's {@link CommandDispatcher} is the implementation.
 */
interface CommandHandler {
  /**
   * Executes one command for the client; answers and events go to the client's connection.
   *
   * @throws ChatException when the command is invalid or not allowed (nothing has changed then)
   */
  void execute(ConnectedClient client, ClientCommand command);

  /** The client has ended (closed by the engine, or the transport saw its socket end). */
  void detached(ConnectedClient client);
}
