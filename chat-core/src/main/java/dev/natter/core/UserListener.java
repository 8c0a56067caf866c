package dev.natter.core;

import dev.natter.core.protocol.CloseCode;
import dev.natter.core.protocol.ServerEvent;

/**
 * Receives one user's events in-process, as a WebSocket client would: {@code ready} first, then
 * messages, updates, typing, presence, read markers and room changes as they happen, and the
 * answers to commands given to the {@link ConnectedClient} that {@link ChatEngine#listen} returned.
 *
 * <p>Events arrive one at a time, in order, on a thread of the engine's (never on the caller's or
 * the store's thread), so a listener may take its time and may call the engine. One that falls far
 * behind is closed as a slow consumer, like a WebSocket client.
 */
@FunctionalInterface
public interface UserListener {
  /**
   * One event for the user.
   *
   * @param event the event; the same instance may go to other listeners and connections
   */
  void onEvent(ServerEvent event);

  /**
   * The listener was detached and receives nothing more: closed by its owner ({@link
   * CloseCode#NORMAL}), as a slow consumer ({@link CloseCode#SLOW_CONSUMER}), or because the engine
   * is closing ({@link CloseCode#GOING_AWAY}). Called once, after the last event. The default does
   * nothing.
   *
   * @param code why it was detached
   */
  default void onClosed(CloseCode code) {}
}
