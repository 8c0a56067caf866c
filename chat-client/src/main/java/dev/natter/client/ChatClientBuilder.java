package dev.natter.client;

import dev.natter.core.protocol.ServerEvent;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Configures a {@link ChatClient}; start with {@link ChatClient#builder(URI)}. Give {@link #login},
 * {@link #register} or {@link #token}, add listeners, then {@link #build()}.
 */
public final class ChatClientBuilder {
  // Package-private: read by ChatClient's constructor.
  final URI server;
  Credentials credentials;
  String token;
  final Listeners listeners = new Listeners();
  Outbox outbox;
  Duration backoffInitial = Duration.ofMillis(250);
  Duration backoffMax = Duration.ofSeconds(15);
  double jitter = 0.5;
  java.util.function.DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
  Map<String, Long> resumeFrom = Map.of();
  Duration answerTimeout = Duration.ofSeconds(15);
  boolean retryFirstConnect;
  Transport transport;

  ChatClientBuilder(URI server) {
    this.server = server;
  }

  /** Package-private: a client on another transport (tests), with no HTTP API. */
  static ChatClientBuilder withTransport(Transport transport) {
    ChatClientBuilder b = new ChatClientBuilder(null);
    b.transport = transport;
    return b;
  }

  /** Signs in with {@code POST /api/login} when connecting. */
  public ChatClientBuilder login(String username, String password) {
    this.credentials =
        new Credentials(
            Objects.requireNonNull(username, "username"),
            Objects.requireNonNull(password, "password"),
            null,
            false);
    this.token = null;
    return this;
  }

  /**
   * Creates an account with {@code POST /api/register} when connecting ({@code displayName} may be
   * null).
   */
  public ChatClientBuilder register(String username, String password, String displayName) {
    this.credentials =
        new Credentials(
            Objects.requireNonNull(username, "username"),
            Objects.requireNonNull(password, "password"),
            displayName,
            true);
    this.token = null;
    return this;
  }

  /** Uses an existing session token (from an earlier login) instead of credentials. */
  public ChatClientBuilder token(String token) {
    this.token = Objects.requireNonNull(token, "token");
    this.credentials = null;
    return this;
  }

  /** Where unacknowledged messages wait; {@link Outbox#inMemory()} by default. */
  public ChatClientBuilder outbox(Outbox outbox) {
    this.outbox = Objects.requireNonNull(outbox, "outbox");
    return this;
  }

  /**
   * The last seq seen per room by an earlier run (see {@link ChatClient#lastSeen()}): on the first
   * {@code ready}, these rooms are synced from there instead of starting at their newest message.
   */
  public ChatClientBuilder resumeFrom(Map<String, Long> lastSeen) {
    this.resumeFrom = Map.copyOf(lastSeen);
    return this;
  }

  /**
   * The reconnect delays: the first one, doubling up to {@code max}, each varied by ±50 %.
   * Defaults: 250 ms and 15 s.
   */
  public ChatClientBuilder reconnectBackoff(Duration initial, Duration max) {
    this.backoffInitial = Objects.requireNonNull(initial, "initial");
    this.backoffMax = Objects.requireNonNull(max, "max");
    return this;
  }

  /**
   * How long the client waits for anything from the server after a request before it takes the
   * connection for dead and reconnects (a broken TCP connection is not always reported). Default 15
   * s.
   */
  public ChatClientBuilder answerTimeout(Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("answerTimeout must be positive");
    }
    this.answerTimeout = timeout;
    return this;
  }

  /**
   * Whether to keep trying, with the reconnect backoff, when the first connection cannot be made
   * (the server is not up yet, or unreachable) instead of ending {@link ConnectionState#CLOSED}.
   * The state stays {@link ConnectionState#CONNECTING} and {@link ChatClient#connect()}'s future
   * completes on the first {@code ready}; each failed attempt goes to {@link #onConnectFailed}. A
   * refused password or token still ends in {@link ConnectionState#SIGNED_OUT}, another error
   * answer of the server (a taken username on register) in {@code CLOSED}. Default false.
   */
  public ChatClientBuilder retryFirstConnect(boolean retry) {
    this.retryFirstConnect = retry;
    return this;
  }

  ChatClientBuilder jitter(double jitter, java.util.function.DoubleSupplier random) {
    this.jitter = jitter;
    this.random = random;
    return this;
  }

  /** Every {@code ready} (the first one and the one after each reconnect). */
  public ChatClientBuilder onReady(Consumer<ServerEvent.Ready> listener) {
    listeners.ready.add(Objects.requireNonNull(listener));
    return this;
  }

  /** New messages, each room's once and in seq order (my own included, with clientMsgId). */
  public ChatClientBuilder onMessage(Consumer<ServerEvent.MessageEvent> listener) {
    listeners.message.add(Objects.requireNonNull(listener));
    return this;
  }

  /** A message was edited, deleted or reacted to. */
  public ChatClientBuilder onMessageUpdated(Consumer<ServerEvent.MessageUpdated> listener) {
    listeners.messageUpdated.add(Objects.requireNonNull(listener));
    return this;
  }

  /** Someone started or stopped typing in one of my rooms. */
  public ChatClientBuilder onTyping(Consumer<ServerEvent.TypingEvent> listener) {
    listeners.typing.add(Objects.requireNonNull(listener));
    return this;
  }

  /** Someone who shares a room with me came online or went offline. */
  public ChatClientBuilder onPresence(Consumer<ServerEvent.PresenceEvent> listener) {
    listeners.presence.add(Objects.requireNonNull(listener));
    return this;
  }

  /** A member's read marker moved. */
  public ChatClientBuilder onRead(Consumer<ServerEvent.ReadEvent> listener) {
    listeners.read.add(Objects.requireNonNull(listener));
    return this;
  }

  /** I joined or was added to a room, or one of my rooms changed. */
  public ChatClientBuilder onRoom(Consumer<ServerEvent.RoomEvent> listener) {
    listeners.room.add(Objects.requireNonNull(listener));
    return this;
  }

  /** I left or was removed from a room (also reported after a reconnect). */
  public ChatClientBuilder onRoomLeft(Consumer<ServerEvent.RoomLeft> listener) {
    listeners.roomLeft.add(Objects.requireNonNull(listener));
    return this;
  }

  /**
   * Errors that no future received: answers to {@link ChatClient#typing} and {@link
   * ChatClient#markRead} and other requests without an id, malformed frames, failed replays.
   */
  public ChatClientBuilder onError(Consumer<ServerEvent.Error> listener) {
    listeners.error.add(Objects.requireNonNull(listener));
    return this;
  }

  /**
   * After a reconnect (or a first {@code ready} with {@link #resumeFrom}), once every room has
   * caught up: its {@code sync} answered and any gap filled. Tells how many messages each room
   * delivered meanwhile; called once per reconnect, after those messages.
   */
  public ChatClientBuilder onResumed(Consumer<Resumed> listener) {
    listeners.resumed.add(Objects.requireNonNull(listener));
    return this;
  }

  /**
   * An attempt to connect failed, with its cause: signing in, opening the WebSocket, or (before the
   * first {@code ready}) a connection closed before {@code ready}. The client tries again after a
   * backoff unless its state is terminal by then.
   */
  public ChatClientBuilder onConnectFailed(Consumer<Throwable> listener) {
    listeners.connectFailed.add(Objects.requireNonNull(listener));
    return this;
  }

  /** Every change of {@link ConnectionState}. */
  public ChatClientBuilder onConnectionState(Consumer<ConnectionState> listener) {
    listeners.stateChanged.add(Objects.requireNonNull(listener));
    return this;
  }

  /** Builds the client; nothing happens on the network before {@link ChatClient#connect()}. */
  public ChatClient build() {
    if (token == null && credentials == null) {
      throw new IllegalStateException("give login(..), register(..) or token(..)");
    }
    return new ChatClient(this);
  }
}
