package dev.natter.core;

import dev.natter.core.model.AuthSession;
import dev.natter.core.model.Credentials;
import dev.natter.core.model.User;
import dev.natter.core.protocol.CloseCode;
import dev.natter.core.spi.ChatStore;
import dev.natter.core.spi.Clock;
import dev.natter.core.spi.IdGenerator;
import dev.natter.core.spi.PasswordHasher;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Accounts and login sessions: registration and sign-in with rate limits, token authentication,
 * logout and password resets (which close the affected connections).
 *
 * <p>Login limits follow OWASP's authentication cheat sheet without becoming a lockout tool:
 * attempts are counted per (username, address), so guesses from elsewhere never lock the owner out;
 * per address (any usernames), against one machine trying many accounts; and in all, as a backstop
 * far above normal use. Registrations are counted per address and in all.
 */
final class Accounts {
  private static final String GLOBAL = "*";

  private final ChatStore store;
  private final PasswordHasher hasher;
  private final Clock clock;
  private final IdGenerator ids;
  private final Limits limits;
  private final LiveClients clients;
  private final RateLimiter loginByUserAndAddress;
  private final RateLimiter loginByAddress;
  private final RateLimiter loginGlobal;
  private final RateLimiter registerByAddress;
  private final RateLimiter registerGlobal;
  private volatile String dummyHash;

  Accounts(
      ChatStore store,
      PasswordHasher hasher,
      Clock clock,
      IdGenerator ids,
      Limits limits,
      LiveClients clients) {
    this.store = store;
    this.hasher = hasher;
    this.clock = clock;
    this.ids = ids;
    this.limits = limits;
    this.clients = clients;
    Duration loginWindow = limits.loginWindow();
    this.loginByUserAndAddress = new RateLimiter(clock, limits.loginAttempts(), loginWindow);
    this.loginByAddress = new RateLimiter(clock, limits.loginAttemptsPerAddress(), loginWindow);
    this.loginGlobal = new RateLimiter(clock, limits.loginAttemptsGlobal(), loginWindow);
    Duration registerWindow = limits.registrationWindow();
    this.registerByAddress =
        new RateLimiter(clock, limits.registrationsPerAddress(), registerWindow);
    this.registerGlobal = new RateLimiter(clock, limits.registrationsGlobal(), registerWindow);
  }

  /**
   * Creates an account and signs it in. Registrations are limited per client address and in all.
   *
   * @param clientAddress the client's address for rate limiting, or null (no limit per address)
   */
  AuthResult register(String username, String password, String displayName, String clientAddress) {
    if ((clientAddress != null && !registerByAddress.tryAcquire(clientAddress))
        || !registerGlobal.tryAcquire(GLOBAL)) {
      throw new ChatException.RateLimited("too many registrations; try again later");
    }
    User user = createUser(username, password, displayName);
    return newSession(user);
  }

  /** Creates an account without signing it in (for administrators). */
  User createUser(String username, String password, String displayName) {
    Validation.username(username);
    char[] pw = Validation.password(password);
    User user = new User(ids.newId(), username, Validation.displayName(displayName, username));
    store.createUser(user, hasher.hash(pw), clock.now());
    return user;
  }

  /**
   * Signs in. Attempts are limited per (username, address), per address and in all.
   *
   * @param clientAddress the client's address for rate limiting, or null (in-process callers)
   */
  AuthResult login(String username, String password, String clientAddress) {
    if (username == null || password == null) {
      throw new ChatException.BadRequest("username and password are required");
    }
    String address = clientAddress == null ? "" : clientAddress;
    boolean allowed =
        loginByUserAndAddress.tryAcquire(username.toLowerCase(Locale.ROOT) + '\n' + address)
            && (clientAddress == null || loginByAddress.tryAcquire(clientAddress))
            && loginGlobal.tryAcquire(GLOBAL);
    if (!allowed) {
      throw new ChatException.RateLimited("too many login attempts; try again in a minute");
    }
    Credentials credentials = store.findCredentials(username).orElse(null);
    if (credentials == null) {
      hasher.verify(password.toCharArray(), dummyHash()); // same cost as a real check
      throw new ChatException.Unauthorized("wrong username or password");
    }
    if (!hasher.verify(password.toCharArray(), credentials.passwordHash())) {
      throw new ChatException.Unauthorized("wrong username or password");
    }
    if (hasher.needsRehash(credentials.passwordHash())) {
      store.updatePasswordHash(credentials.user().id(), hasher.hash(password.toCharArray()));
    }
    return newSession(credentials.user());
  }

  /** The user behind a session token; {@code Unauthorized} if it is unknown, revoked or expired. */
  Authenticated authenticate(String token) {
    if (token == null || token.isBlank()) {
      throw new ChatException.Unauthorized("not signed in");
    }
    String sessionId = Tokens.sessionId(token);
    AuthSession session =
        store
            .findSession(sessionId)
            .orElseThrow(() -> new ChatException.Unauthorized("session expired or revoked"));
    if (session.isExpired(clock.now())) {
      store.deleteSession(sessionId);
      throw new ChatException.Unauthorized("session expired or revoked");
    }
    User user =
        store
            .findUser(session.userId())
            .orElseThrow(() -> new ChatException.Unauthorized("session expired or revoked"));
    return new Authenticated(user, session);
  }

  /** Revokes a session and closes its connections. Unknown tokens are ignored. */
  void logout(String token) {
    if (token == null || token.isBlank()) {
      return;
    }
    String sessionId = Tokens.sessionId(token);
    store
        .findSession(sessionId)
        .ifPresent(
            session -> {
              store.deleteSession(sessionId);
              clients.closeSession(session.userId(), sessionId, CloseCode.SESSION_REVOKED);
            });
  }

  /** Sets a new password and ends every session of the user (for administrators). */
  void resetPassword(String username, String newPassword) {
    Credentials credentials =
        store
            .findCredentials(username)
            .orElseThrow(() -> new ChatException.NotFound("no user " + username));
    char[] pw = Validation.password(newPassword);
    store.updatePasswordHash(credentials.user().id(), hasher.hash(pw));
    store.deleteSessionsOf(credentials.user().id());
    clients.closeSessionsOf(credentials.user().id(), CloseCode.SESSION_REVOKED);
  }

  private AuthResult newSession(User user) {
    String token = Tokens.newToken();
    Instant now = clock.now();
    AuthSession session =
        new AuthSession(Tokens.sessionId(token), user.id(), now, now.plus(limits.sessionTtl()));
    store.createSession(session);
    return new AuthResult(user, token, session);
  }

  private String dummyHash() {
    String h = dummyHash;
    if (h == null) {
      h = hasher.hash("not-a-real-password".toCharArray());
      dummyHash = h;
    }
    return h;
  }

  void pruneRateLimiters() {
    loginByUserAndAddress.prune();
    loginByAddress.prune();
    loginGlobal.prune();
    registerByAddress.prune();
    registerGlobal.prune();
  }
}
