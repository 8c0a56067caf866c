package dev.natter.client;

import dev.natter.core.ChatException;
import dev.natter.core.model.User;
import dev.natter.core.protocol.ClientCommand;
import dev.natter.core.protocol.ErrorCode;
import dev.natter.core.protocol.ServerEvent;
import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Opens the connection and keeps it open: signs in when there is no token yet, opens the WebSocket,
 * reconnects with {@link Backoff} after a loss (and after a failed first connect, if told to),
 * replaces a connection the {@link Watchdog} finds silent, and ends the {@link Lifecycle} in {@link
 * ConnectionState#SIGNED_OUT} (close 4001, HTTP 401) or {@link ConnectionState#CLOSED}. Each
 * connection has a generation number, so that what an abandoned one still reports is ignored. Event
 * thread only, except {@link #connect()}, {@link #token()} and {@link #user()}.
 */
final class Connector implements Wire {
  private static final Logger LOG = Logger.getLogger(ChatClient.class.getName());

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
  private final Supplier<SignedIn> signIn;
  private final Backoff backoff;
  private final Watchdog watchdog;
  private final boolean retryFirstConnect;
  private final Listeners listeners;
  private Handler handler;
  private volatile String token;
  private volatile User user;

  // Event-thread state.
  private Transport.Link link;
  private int generation;
  private boolean linkReady;
  private boolean everReady;
  private ScheduledFuture<?> retry;

  /**
   * @param token the session token, or null to get one from {@code signIn} on connect
   * @param retryFirstConnect whether a failed first connect is retried instead of ending CLOSED
   */
  Connector(
      EventLoop loop,
      Lifecycle lifecycle,
      Transport transport,
      String token,
      Supplier<SignedIn> signIn,
      Backoff backoff,
      long answerTimeoutMs,
      boolean retryFirstConnect,
      Listeners listeners) {
    this.loop = loop;
    this.lifecycle = lifecycle;
    this.transport = transport;
    this.token = token;
    this.signIn = signIn;
    this.backoff = backoff;
    this.retryFirstConnect = retryFirstConnect;
    this.listeners = listeners;
    this.watchdog =
        new Watchdog(
            loop, answerTimeoutMs, () -> linkReady && handler.awaitingAnswers(), this::silent);
  }

  /** Sets where events go; once, before {@link #connect()}. */
  void handler(Handler handler) {
    this.handler = handler;
  }

  String token() {
    return token;
  }

  User user() {
    return user;
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
    user = ready.user();
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

  /** Sends a command that expects no answer if connected, else drops it. Any thread. */
  void sendIfReady(ClientCommand command) {
    loop.post(
        () -> {
          if (linkReady) {
            send(command, false);
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

  /** Signs in if there is no token yet, then opens a connection. */
  private void attempt() {
    retry = null;
    if (lifecycle.hasEnded()) {
      return;
    }
    int gen = ++generation;
    if (token == null) {
      CompletableFuture.supplyAsync(signIn)
          .whenComplete((in, error) -> loop.post(() -> signedIn(gen, in, error)));
      return;
    }
    CompletableFuture<?> opening;
    try {
      opening = transport.open(token, new LinkListener(gen));
    } catch (RuntimeException e) {
      opening = CompletableFuture.failedFuture(e);
    }
    opening.whenComplete(
        (ignored, error) -> {
          if (error != null) {
            loop.post(() -> attemptFailed(gen, error));
          }
        });
  }

  private void signedIn(int gen, SignedIn in, Throwable error) {
    if (error != null) {
      attemptFailed(gen, error);
    } else if (gen == generation && !lifecycle.hasEnded()) {
      user = in.user();
      token = in.token();
      attempt();
    }
  }

  private void attemptFailed(int gen, Throwable error) {
    if (gen != generation || lifecycle.hasEnded()) {
      return;
    }
    Throwable cause = unwrap(error);
    Listeners.fire(listeners.connectFailed, cause);
    if (cause instanceof ChatException ce && ce.code() == ErrorCode.UNAUTHORIZED) {
      end(ConnectionState.SIGNED_OUT, cause);
    } else if (!everReady && !(retryFirstConnect && mayChange(cause))) {
      end(ConnectionState.CLOSED, cause);
    } else {
      LOG.log(Level.FINE, "connect failed: {0}", cause.toString());
      scheduleRetry();
    }
  }

  private void opened(int gen, Transport.Link l) {
    if (gen != generation || lifecycle.hasEnded()) {
      l.close(1000, "not needed");
      return;
    }
    LOG.log(Level.FINE, "connection {0} open", gen);
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
    LOG.log(Level.FINE, "connection {0} lost: {1} {2}", new Object[] {gen, code, reason});
    generation++;
    link = null;
    linkReady = false;
    watchdog.stop();
    handler.connectionLost();
    if (lifecycle.hasEnded()) {
      return;
    }
    if (code == 4001) {
      end(
          ConnectionState.SIGNED_OUT,
          new ChatException.Unauthorized(
              reason == null || reason.isBlank() ? "session revoked or expired" : reason));
    } else if (code == 1000 || (!everReady && !retryFirstConnect)) {
      end(ConnectionState.CLOSED, new IOException("connection closed: " + code + " " + reason));
    } else if (!everReady) {
      Listeners.fire(
          listeners.connectFailed,
          new IOException("connection closed before ready: " + code + " " + reason));
      scheduleRetry();
    } else {
      lifecycle.set(ConnectionState.RECONNECTING);
      scheduleRetry();
    }
  }

  /** Replaces a connection the watchdog finds silent. */
  private void silent(String why) {
    if (link == null) {
      return;
    }
    LOG.log(
        Level.FINE, "connection {0} is silent ({1}): reconnecting", new Object[] {generation, why});
    Transport.Link dead = link;
    linkLost(generation, 1006, why);
    dead.abort();
  }

  /** An error answer of the server (a taken username, say) will not change by retrying. */
  private static boolean mayChange(Throwable cause) {
    return !(cause instanceof ChatException);
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
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
              LOG.log(Level.FINEST, "connection {0} got {1}", new Object[] {gen, event});
              handler.handle(event);
              watchdog.heard();
            }
          });
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
