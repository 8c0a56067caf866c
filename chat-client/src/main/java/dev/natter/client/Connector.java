package dev.natter.client;

import dev.natter.core.ChatException;
import dev.natter.core.protocol.ClientCommand;
import dev.natter.core.protocol.ErrorCode;
import dev.natter.core.protocol.ServerEvent;
import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the connection and keeps it open: gets the token from {@link Auth} (which signs in when
 * there is none yet), opens the WebSocket, reconnects with {@link Backoff} after a loss (and after
 * a failed first connect, if told to), replaces a connection the {@link Watchdog} finds silent, and
 * ends the {@link Lifecycle} in {@link ConnectionState#SIGNED_OUT} (close 4001, HTTP 401) or {@link
 * ConnectionState#CLOSED}. Each connection has a generation number, so that what an abandoned one
 * still reports is ignored. Event thread only, except {@link #connect()}.
 */
final class Connector implements Wire {
  private static final Logger LOG = LoggerFactory.getLogger(ChatClient.class);

  /** What the connection feeds: its events, and the requests that wait for answers. */
  interface Handler {
    void handle(ServerEvent event);

    /** Whether a request of any kind waits for an answer. */
    boolean awaitingAnswers();

    /** The connection is gone, and with it every answer in flight. */
    void connectionLost();

    /** The client ended: fail what waits for an answer. */
    void failPending(Throwable failure);
  }

  private final EventLoop loop;
  private final Lifecycle lifecycle;
  private final Transport transport;
  private final Auth auth;
  private final Backoff backoff;
  private final Watchdog watchdog;
  private final boolean retryFirstConnect;
  private final Listeners listeners;
  private Handler handler;

  // Event-thread state.
  private Transport.Link link;
  private int generation;
  private boolean linkReady;
  private boolean everReady;
  private ScheduledFuture<?> retry;

  /**
   * @param retryFirstConnect whether a failed first connect is retried instead of ending CLOSED
   */
  Connector(
      EventLoop loop,
      Lifecycle lifecycle,
      Transport transport,
      Auth auth,
      Backoff backoff,
      java.time.Duration answerTimeout,
      boolean retryFirstConnect,
      Listeners listeners) {
    this.loop = loop;
    this.lifecycle = lifecycle;
    this.transport = transport;
    this.auth = auth;
    this.backoff = backoff;
    this.retryFirstConnect = retryFirstConnect;
    this.listeners = listeners;
    this.watchdog =
        new Watchdog(
            loop,
            answerTimeout,
            () -> linkReady && handler.awaitingAnswers(),
            this::pingPeer,
            this::silent);
  }

  /** Sets where events go; once, before {@link #connect()}. */
  void handler(Handler handler) {
    this.handler = handler;
  }

  /** See {@link ChatClient#connect()}. */
  CompletableFuture<ServerEvent.Ready> connect() {
    if (lifecycle.begin()) {
      loop.post(this::attempt);
    }
    return lifecycle.connected();
  }

  /**
   * The server said {@code ready}: requests may go out, the backoff starts over and the watchdog
   * follows the server's heartbeat. Returns whether it is the first {@code ready}.
   */
  boolean ready(ServerEvent.Ready ready) {
    boolean first = !everReady;
    everReady = true;
    linkReady = true;
    auth.user(ready.user());
    backoff.reset();
    watchdog.heartbeat(ready.heartbeat());
    return first;
  }

  @Override
  public boolean isReady() {
    return linkReady;
  }

  @Override
  public void send(ClientCommand command, boolean expectsAnswer) {
    if (expectsAnswer) {
      watchdog.requestSent();
    }
    link.send(command);
  }

  /**
   * Sends a command that expects no answer if connected; {@code sent} completes then, or fails when
   * not connected (the command is dropped). Any thread.
   */
  void sendIfReady(ClientCommand command, CompletableFuture<Void> sent) {
    lifecycle.whileRunning(
        sent,
        () -> {
          if (linkReady) {
            send(command, false);
            sent.complete(null);
          } else {
            sent.completeExceptionally(new IllegalStateException("not connected"));
          }
        });
  }

  /**
   * Ends the client: no more reconnects, the connection closed with 1000, {@link #connect()}'s
   * future and everything pending failed ({@code cause}, or what {@link Lifecycle#stopped()} says).
   */
  void end(ConnectionState terminal, Throwable cause) {
    if (lifecycle.hasEnded()) {
      return;
    }
    if (retry != null) {
      retry.cancel(false);
      retry = null;
    }
    watchdog.stop();
    generation++;
    if (link != null) {
      link.close(1000, terminal == ConnectionState.SIGNED_OUT ? "signed out" : "bye");
      link = null;
    }
    linkReady = false;
    Throwable failure = lifecycle.end(terminal, cause);
    handler.failPending(
        terminal == ConnectionState.SIGNED_OUT ? failure : new CancellationException("closed"));
  }

  /** Gets the token (signing in if there is none yet), then opens a connection. */
  private void attempt() {
    retry = null;
    if (lifecycle.hasEnded()) {
      return;
    }
    int gen = ++generation;
    auth.token().whenComplete((token, error) -> loop.post(() -> haveToken(gen, token, error)));
  }

  private void haveToken(int gen, String token, Throwable error) {
    if (error != null) {
      attemptFailed(gen, error);
      return;
    }
    if (gen != generation || lifecycle.hasEnded()) {
      return;
    }
    CompletableFuture<?> opening;
    try {
      opening = transport.open(token, new LinkListener(gen));
    } catch (RuntimeException e) {
      opening = CompletableFuture.failedFuture(e);
    }
    opening.whenComplete(
        (ignored, failure) -> {
          if (failure != null) {
            loop.post(() -> attemptFailed(gen, failure));
          }
        });
  }

  private void attemptFailed(int gen, Throwable error) {
    if (gen != generation || lifecycle.hasEnded()) {
      return;
    }
    Throwable cause = EventLoop.unwrap(error);
    listeners.fire(new ConnectionEvent.ConnectFailed(cause));
    if (cause instanceof ChatException ce && ce.code() == ErrorCode.UNAUTHORIZED) {
      end(ConnectionState.SIGNED_OUT, cause);
    } else if (!everReady
        && !(cause instanceof ServerBusyException) // a busy server asks to come back: always retry
        && !(retryFirstConnect && mayChange(cause))) {
      end(ConnectionState.CLOSED, cause);
    } else {
      LOG.debug("connect failed: {}", cause.toString());
      scheduleRetry();
    }
  }

  private void opened(int gen, Transport.Link l) {
    if (gen != generation || lifecycle.hasEnded()) {
      l.close(1000, "not needed");
      return;
    }
    LOG.debug("connection {} open", gen);
    link = l;
    linkReady = false;
    watchdog.start();
  }

  private void scheduleRetry() {
    retry = loop.schedule(this::attempt, backoff.nextDelayMillis());
  }

  private void linkLost(int gen, int code, String reason) {
    if (gen != generation || link == null) {
      return;
    }
    LOG.debug("connection {} lost: {} {}", gen, code, reason);
    generation++;
    link = null;
    linkReady = false;
    watchdog.stop();
    handler.connectionLost();
    if (lifecycle.hasEnded()) {
      return;
    }
    listeners.fire(new ConnectionEvent.Disconnected(code, reason == null ? "" : reason));
    if (code == 4001) {
      end(
          ConnectionState.SIGNED_OUT,
          new ChatException.Unauthorized(
              reason == null || reason.isBlank() ? "session revoked or expired" : reason));
    } else if (code == 1000 || (!everReady && !retryFirstConnect)) {
      end(ConnectionState.CLOSED, new IOException("connection closed: " + code + " " + reason));
    } else if (!everReady) {
      listeners.fire(
          new ConnectionEvent.ConnectFailed(
              new IOException("connection closed before ready: " + code + " " + reason)));
      scheduleRetry();
    } else {
      lifecycle.set(ConnectionState.RECONNECTING);
      scheduleRetry();
    }
  }

  /** Asks a quiet connection for a sign of life (a pong). */
  private void pingPeer() {
    if (link != null) {
      link.ping();
    }
  }

  /** Replaces a connection the watchdog finds silent. */
  private void silent(String why) {
    if (link == null) {
      return;
    }
    LOG.debug("connection {} is silent ({}): reconnecting", generation, why);
    Transport.Link dead = link;
    linkLost(generation, 1006, why);
    dead.abort();
  }

  /** An error answer of the server (a taken username, say) will not change by retrying. */
  private static boolean mayChange(Throwable cause) {
    return !(cause instanceof ChatException);
  }

  /** What one connection reports, posted to the loop and ignored once it is not the current one. */
  private final class LinkListener implements Transport.Listener {
    private final int gen;

    LinkListener(int gen) {
      this.gen = gen;
    }

    @Override
    public void onOpen(Transport.Link l) {
      loop.post(() -> opened(gen, l));
    }

    @Override
    public void onEvent(ServerEvent event) {
      loop.post(
          () -> {
            if (gen == generation && link != null) {
              LOG.trace("connection {} got {}", gen, event);
              handler.handle(event);
              watchdog.heard();
            }
          });
    }

    @Override
    public void onUndecodable(String frame, RuntimeException error) {
      // An event type this client does not know yet, or a malformed frame: skip it.
      LOG.debug("connection {}: skipping a frame: {}", gen, error.toString());
      onActivity();
    }

    @Override
    public void onActivity() {
      loop.post(
          () -> {
            if (gen == generation) {
              watchdog.heard();
            }
          });
    }

    @Override
    public void onClosed(int code, String reason) {
      loop.post(() -> linkLost(gen, code, reason));
    }
  }
}
