package dev.natter.core;

import dev.natter.core.model.AuthSession;
import dev.natter.core.model.Credentials;
import dev.natter.core.model.User;
import dev.natter.core.protocol.CloseCode;
import dev.natter.core.spi.ChatStore;
import dev.natter.core.spi.Clock;
import dev.natter.core.spi.IdGenerator;
import dev.natter.core.spi.PasswordHasher;
import java.time.Instant;
import java.util.Locale;

/**
 * Accounts and login sessions: registration, sign-in with rate limits per username and address,
 * token authentication, logout and password resets (which close the affected connections).
 */
final class Accounts {
  private final ChatStore store;
  private final PasswordHasher hasher;
  private final Clock clock;
  private final IdGenerator ids;
  private final Limits limits;
  private final LiveClients clients;
  private final RateLimiter loginByUsername;
  private final RateLimiter loginByAddress;
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
    this.loginByUsername = new RateLimiter(clock, limits.loginAttempts(), limits.loginWindow());
    this.loginByAddress = new RateLimiter(clock, limits.loginAttempts(), limits.loginWindow());
  }

  /** Creates an account and signs it in. */
  AuthResult register(String username, String password, String displayName) {
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
   * Signs in. Attempts are limited per username and per client address.
   *
   * @param clientAddress the client's address for rate limiting, or null
   */
  AuthResult login(String username, String password, String clientAddress) {
    if (username == null || password == null) {
      throw new ChatException.BadRequest("username and password are required");
    }
    boolean allowed = loginByUsername.tryAcquire(username.toLowerCase(Locale.ROOT));
    if (clientAddress != null) {
      allowed &= loginByAddress.tryAcquire(clientAddress);
    }
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
    loginByUsername.prune();
    loginByAddress.prune();
  }
}
