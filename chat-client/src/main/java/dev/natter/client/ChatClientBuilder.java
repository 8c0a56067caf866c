package dev.natter.client;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Configures a {@link ChatClient}; start with {@link ChatClient#builder(URI)}. Say how the client
 * gets its session ({@link #login}, {@link #register}, {@link #loginOrRegister} or {@link #token}),
 * then {@link #build()}. Nothing touches the network before the client is asked to.
 */
public final class ChatClientBuilder {
  // Package-private: read by ChatClient's constructor.
  final URI server;
  Credentials credentials;
  String token;
  Outbox outbox;
  Duration backoffInitial = Duration.ofMillis(250);
  Duration backoffMax = Duration.ofSeconds(15);
  double jitter = 0.5;
  DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
  Map<String, Long> resumeFrom = Map.of();
  Duration answerTimeout = Duration.ofSeconds(15);
  Duration connectTimeout = Duration.ofSeconds(10);
  boolean retryFirstConnect;
  Transport transport;

  ChatClientBuilder(URI server) {
    this.server = server;
  }

  /** Package-private: a client on another transport (tests); its HTTP API goes nowhere. */
  static ChatClientBuilder withTransport(Transport transport) {
    ChatClientBuilder b = new ChatClientBuilder(URI.create("http://127.0.0.1:9"));
    b.transport = transport;
    return b;
  }

  /**
   * Signs in with {@code POST /api/login} when a session is first needed.
   *
   * @param username the account's username
   * @param password its password
   * @return this builder
   */
  public ChatClientBuilder login(String username, String password) {
    return credentials(username, password, null, Credentials.Mode.LOGIN);
  }

  /**
   * Creates an account with {@code POST /api/register} when a session is first needed; its display
   * name is its username.
   *
   * @param username 3 to 32 letters, digits, '.', '_' or '-'
   * @param password its password
   * @return this builder
   */
  public ChatClientBuilder register(String username, String password) {
    return credentials(username, password, null, Credentials.Mode.REGISTER);
  }

  /**
   * Creates an account with a display name with {@code POST /api/register} when a session is first
   * needed.
   *
   * @param username 3 to 32 letters, digits, '.', '_' or '-'
   * @param password its password
   * @param displayName the name others see
   * @return this builder
   */
  public ChatClientBuilder register(String username, String password, String displayName) {
    return credentials(
        username,
        password,
        Objects.requireNonNull(displayName, "displayName"),
        Credentials.Mode.REGISTER);
  }

  /**
   * Logs in, and creates the account first if there is none of that name: what a bot wants on its
   * first run and every later one. A wrong password for an existing account still fails with {@code
   * unauthorized}.
   *
   * @param username the account's username
   * @param password its password
   * @return this builder
   */
  public ChatClientBuilder loginOrRegister(String username, String password) {
    return credentials(username, password, null, Credentials.Mode.LOGIN_OR_REGISTER);
  }

  /**
   * Uses an existing session token (from an earlier {@link ChatClient#session()}) instead of
   * credentials.
   *
   * @param token the session token
   * @return this builder
   */
  public ChatClientBuilder token(String token) {
    this.token = Objects.requireNonNull(token, "token");
    this.credentials = null;
    return this;
  }

  private ChatClientBuilder credentials(
      String username, String password, String displayName, Credentials.Mode mode) {
    this.credentials =
        new Credentials(
            Objects.requireNonNull(username, "username"),
            Objects.requireNonNull(password, "password"),
            displayName,
            mode);
    this.token = null;
    return this;
  }

  /**
   * Where unacknowledged messages wait; {@link Outbox#inMemory()} by default.
   *
   * @param outbox the outbox, for example {@link Outbox#file}
   * @return this builder
   */
  public ChatClientBuilder outbox(Outbox outbox) {
    this.outbox = Objects.requireNonNull(outbox, "outbox");
    return this;
  }

  /**
   * The last seq seen per room by an earlier run (see {@link ChatClient#lastSeen()}): on the first
   * {@code ready}, these rooms are synced from there instead of starting at their newest message.
   *
   * @param lastSeen room id to seq
   * @return this builder
   */
  public ChatClientBuilder resumeFrom(Map<String, Long> lastSeen) {
    this.resumeFrom = Map.copyOf(lastSeen);
    return this;
  }

  /**
   * The reconnect delays: the first one, doubling up to {@code max}, each varied by ±50 %.
   * Defaults: 250 ms and 15 s.
   *
   * @param initial the first delay (positive)
   * @param max the longest delay (at least {@code initial})
   * @return this builder; {@link #build()} throws {@link IllegalArgumentException} for delays out
   *     of range
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
   *
   * @param timeout the wait (positive)
   * @return this builder
   */
  public ChatClientBuilder answerTimeout(Duration timeout) {
    this.answerTimeout = positive(timeout, "answerTimeout");
    return this;
  }

  /**
   * How long opening a connection (TCP and the WebSocket handshake, or an HTTP connection) may
   * take. Default 10 s.
   *
   * @param timeout the wait (positive)
   * @return this builder
   */
  public ChatClientBuilder connectTimeout(Duration timeout) {
    this.connectTimeout = positive(timeout, "connectTimeout");
    return this;
  }

  /**
   * Whether to keep trying, with the reconnect backoff, when the first connection cannot be made
   * (the server is not up yet, or unreachable) instead of ending {@link ConnectionState#CLOSED}.
   * The state stays {@link ConnectionState#CONNECTING} and {@link ChatClient#connect()}'s future
   * completes on the first {@code ready}; each failed attempt is told as {@link
   * ConnectionEvent.ConnectFailed}. A refused password or token still ends in {@link
   * ConnectionState#SIGNED_OUT}, another error answer of the server (a taken username on register)
   * in {@code CLOSED}. Default false.
   *
   * @param retry whether to retry
   * @return this builder
   */
  public ChatClientBuilder retryFirstConnect(boolean retry) {
    this.retryFirstConnect = retry;
    return this;
  }

  ChatClientBuilder jitter(double jitter, DoubleSupplier random) {
    this.jitter = jitter;
    this.random = random;
    return this;
  }

  /**
   * Builds the client. Add listeners with {@link ChatClient#addListener} before {@link
   * ChatClient#connect()} to hear everything from the first {@code ready} on.
   *
   * @return the client, not connected
   * @throws IllegalStateException when no way to sign in was given
   */
  public ChatClient build() {
    if (token == null && credentials == null) {
      throw new IllegalStateException(
          "give login(..), register(..), loginOrRegister(..) or token(..)");
    }
    return new ChatClient(this);
  }

  private static boolean isPositive(Duration d) {
    return !d.isNegative() && !d.isZero();
  }

  private static Duration positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (!isPositive(d)) {
      throw new IllegalArgumentException(name + " must be positive");
    }
    return d;
  }
}
