package dev.natter.client;

import dev.natter.core.protocol.ServerEvent;

/**
 * Hears what a {@link ChatClient} receives and what happens to its connection; add one with {@link
 * ChatClient#addListener}. Each call gets the client, so a listener can answer through it:
 *
 * <pre>{@code
 * client.addListener((c, event) -> {
 *   if (event instanceof ServerEvent.MessageEvent e && e.message().body().equals("ping")) {
 *     c.send(e.message().room(), "pong");
 *   }
 * });
 * }</pre>
 *
 * <p><b>Threads.</b> Every call runs on the client's event thread, one at a time, in the order the
 * events happened. Keep listeners short: while one runs, the client delivers nothing else. Never
 * wait for one of the client's futures inside a listener (its {@code join()} and {@code get()}
 * throw {@link IllegalStateException} there, as they would wait forever): chain with {@code
 * thenAccept} instead. A listener that throws is logged and the others still run.
 */
@FunctionalInterface
public interface ChatListener {

  /**
   * An event from the server, after the client's bookkeeping: each {@code ready} (the first one and
   * the one after each reconnect), each room's {@code message}s once and in seq order (those missed
   * during an outage included), {@code messageUpdated}, {@code typing}, {@code presence}, {@code
   * read}, {@code room} and {@code roomLeft} (also for rooms joined or left during an outage), and
   * each {@code error} that no future took. Answers to requests ({@code ack}, {@code ok}, {@code
   * synced}, {@code history}) complete futures instead and are not passed here.
   *
   * @param client the client that received it
   * @param event the event
   */
  void onEvent(ChatClient client, ServerEvent event);

  /**
   * Something happened to the connection: see {@link ConnectionEvent}. Does nothing unless
   * overridden.
   *
   * @param client the client whose connection it is
   * @param event what happened
   */
  default void onConnectionEvent(ChatClient client, ConnectionEvent event) {}
}
