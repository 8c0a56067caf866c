package dev.natter.core;

import dev.natter.core.model.AuthSession;
import dev.natter.core.model.User;
import dev.natter.core.protocol.ClientCommand;
import dev.natter.core.protocol.CloseCode;
import dev.natter.core.protocol.ErrorCode;
import dev.natter.core.protocol.ServerEvent;
import dev.natter.core.spi.Clock;
import dev.natter.core.spi.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One client attached to the engine: a transport's connection ({@link ChatEngine#connect}) or an
 * in-process listener ({@link ChatEngine#listen}). Commands go in through {@link #handle}; answers
 * and events come out through the {@link Connection} it was attached with, {@code ready} first.
 *
 * <p>Thread-safe: a transport may call {@link #handle} from its I/O threads, and the engine
 * delivers events from whichever thread produced them (the store's committing thread included).
 */
public final class ConnectedClient implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(ConnectedClient.class.getName());

  private final CommandHandler handler;
  private final Clock clock;
  private final int maxRateLimitStrikes;
  private final User user;
  private final AuthSession session;
  private final Connection connection;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicInteger rateLimitStrikes = new AtomicInteger();
  private volatile List<ServerEvent> beforeReady = new ArrayList<>();

  /**
   * @param session the login session, or null for an in-process listener (which no logout, password
   *     reset or session expiry ends)
   */
  ConnectedClient(
      CommandHandler handler,
      Clock clock,
      int maxRateLimitStrikes,
      User user,
      AuthSession session,
      Connection connection) {
    this.handler = handler;
    this.clock = clock;
    this.maxRateLimitStrikes = maxRateLimitStrikes;
    this.user = user;
    this.session = session;
    this.connection = connection;
  }

  /**
   * The user this client acts for.
   *
   * @return the user, as authenticated when the client was attached
   */
  public User user() {
    return user;
  }

  /**
   * The id of the login session this client was attached with.
   *
   * @return the session id, or null for an in-process listener, which has no session
   */
  public String sessionId() {
    return session == null ? null : session.id();
  }

  /**
   * The id of the connection this client writes to.
   *
   * @return the {@link Connection#id()} given at attach time
   */
  public String connectionId() {
    return connection.id();
  }

  boolean hasSession() {
    return session != null;
  }

  boolean sessionExpired(Instant now) {
    return session != null && session.isExpired(now);
  }

  /**
   * Executes one command. Failures never escape: they are answered with an {@code error} event
   * carrying the request's id, and nothing has changed. A client that keeps sending while rate
   * limited ({@link Limits#rateLimitStrikes()} rejections in a row) is closed with {@link
   * CloseCode#RATE_LIMITED}; one whose session has expired is closed with {@link
   * CloseCode#SESSION_REVOKED}. Does nothing once the client is closed.
   *
   * @param command the decoded command; null is answered with {@code bad_request}
   */
  public void handle(ClientCommand command) {
    if (closed.get()) {
      return;
    }
    if (command == null) {
      reject(null, new ChatException.BadRequest("empty command"));
      return;
    }
    command = Text.sanitize(command);
    if (sessionExpired(clock.now())) {
      close(CloseCode.SESSION_REVOKED);
      return;
    }
    try {
      handler.execute(this, command);
      rateLimitStrikes.set(0);
    } catch (ChatException e) {
      fail(command.id(), e);
    } catch (RuntimeException e) {
      LOG.log(
          System.Logger.Level.WARNING, "command failed: " + command.getClass().getSimpleName(), e);
      fail(command.id(), new ChatException(ErrorCode.INTERNAL, "internal error"));
    }
  }

  /**
   * Answers a request the transport could not even decode, keeping the connection usable.
   *
   * @param requestId the request's id if the transport could read it, else null
   * @param error what was wrong with the request
   */
  public void reject(String requestId, ChatException error) {
    deliver(new ServerEvent.Error(requestId, error.code(), error.getMessage()));
  }

  /**
   * The transport's notice that the socket has ended, for whatever reason. The engine forgets the
   * client (the user goes offline with their last one); nothing is sent to the connection any more.
   */
  public void disconnected() {
    closed.set(true);
    handler.detached(this);
  }

  /**
   * Detaches this client from the server's side: its connection is closed with {@link
   * CloseCode#NORMAL}, and the engine forgets it. Idempotent. This is how an in-process listener
   * ({@link ChatEngine#listen}) stops.
   */
  @Override
  public void close() {
    close(CloseCode.NORMAL);
  }

  /** Answers a request with an error; a rate-limited client may be closed for it. */
  void fail(String requestId, ChatException e) {
    deliver(new ServerEvent.Error(requestId, e.code(), e.getMessage()));
    if (e.code() == ErrorCode.RATE_LIMITED
        && rateLimitStrikes.incrementAndGet() >= maxRateLimitStrikes) {
      close(CloseCode.RATE_LIMITED);
    }
  }

  /** Sends {@code ready}, then what arrived for this client while it was being prepared. */
  void start(ServerEvent.Ready ready) {
    synchronized (this) {
      write(ready);
      for (ServerEvent event : beforeReady) {
        write(event);
      }
      beforeReady = null;
    }
  }

  /** Queues an event; a client over its outbound budget is closed as a slow consumer. */
  void deliver(ServerEvent event) {
    if (beforeReady != null) {
      synchronized (this) {
        if (beforeReady != null) {
          beforeReady.add(event);
          return;
        }
      }
    }
    write(event);
  }

  private void write(ServerEvent event) {
    if (closed.get()) {
      return;
    }
    if (!connection.send(event)) {
      close(CloseCode.SLOW_CONSUMER);
    }
  }

  void close(CloseCode code) {
    if (closed.compareAndSet(false, true)) {
      connection.close(code);
      handler.detached(this);
    }
  }

  boolean isClosed() {
    return closed.get();
  }
}
