package dev.natter.core;

import dev.natter.core.model.AuthSession;
import dev.natter.core.model.User;
import dev.natter.core.protocol.ClientCommand;
import dev.natter.core.protocol.CloseCode;
import dev.natter.core.protocol.ErrorCode;
import dev.natter.core.protocol.ServerEvent;
import dev.natter.core.spi.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One authenticated client connection attached to the engine. The transport hands it every decoded
 * command with {@link #handle} and calls {@link #disconnected} when the socket ends.
 */
public final class ConnectedClient {
  private static final Logger LOG = Logger.getLogger(ConnectedClient.class.getName());

  private final ChatEngine engine;
  private final User user;
  private final AuthSession session;
  private final Connection connection;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicInteger rateLimitStrikes = new AtomicInteger();
  private volatile List<ServerEvent> beforeReady = new ArrayList<>();

  ConnectedClient(ChatEngine engine, User user, AuthSession session, Connection connection) {
    this.engine = engine;
    this.user = user;
    this.session = session;
    this.connection = connection;
  }

  public User user() {
    return user;
  }

  /** The id of the login session this connection was opened with. */
  public String sessionId() {
    return session.id();
  }

  boolean sessionExpired(java.time.Instant now) {
    return session.isExpired(now);
  }

  public String connectionId() {
    return connection.id();
  }

  /**
   * Executes one command. Failures never escape: they are answered with an {@code error} event
   * carrying the request's id, and nothing has changed.
   */
  public void handle(ClientCommand command) {
    if (closed.get()) {
      return;
    }
    if (command == null) {
      reject(null, new ChatException.BadRequest("empty command"));
      return;
    }
    if (session.isExpired(engine.now())) {
      close(CloseCode.SESSION_REVOKED);
      return;
    }
    try {
      engine.execute(this, command);
      if (!(command instanceof ClientCommand.Send)) {
        rateLimitStrikes.set(0);
      }
    } catch (ChatException e) {
      fail(command.id(), e);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "command failed: " + command.getClass().getSimpleName(), e);
      fail(command.id(), new ChatException(ErrorCode.INTERNAL, "internal error"));
    }
  }

  /** Answers a request the transport could not even decode, keeping the connection usable. */
  public void reject(String requestId, ChatException error) {
    deliver(new ServerEvent.Error(requestId, error.code(), error.getMessage()));
  }

  /** The transport's notice that the socket has ended, for whatever reason. */
  public void disconnected() {
    closed.set(true);
    engine.detach(this);
  }

  void fail(String requestId, ChatException e) {
    deliver(new ServerEvent.Error(requestId, e.code(), e.getMessage()));
    if (e.code() == ErrorCode.RATE_LIMITED
        && rateLimitStrikes.incrementAndGet() >= engine.limits().rateLimitStrikes()) {
      close(CloseCode.RATE_LIMITED);
    }
  }

  void sendAccepted() {
    rateLimitStrikes.set(0);
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
      engine.detach(this);
    }
  }

  boolean isClosed() {
    return closed.get();
  }
}
