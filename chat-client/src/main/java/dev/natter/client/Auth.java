package dev.natter.client;

import dev.natter.core.ChatException;
import dev.natter.core.model.User;
import java.util.concurrent.CompletableFuture;

/**
 * The client's session: the token (given, or got by signing in with the credentials, once, when
 * first needed) and the signed-in user (from signing in, {@code GET /api/me} or {@code ready}). Any
 * thread.
 */
final class Auth {
  private final Credentials credentials;
  private volatile String token;
  private volatile User user;
  private HttpApi http;
  private CompletableFuture<Session> signingIn;

  /**
   * @param credentials what to sign in with, or null when {@code token} is given
   * @param token the session token, or null to sign in
   */
  Auth(Credentials credentials, String token) {
    this.credentials = credentials;
    this.token = token;
  }

  /** The HTTP API to sign in with; once, before anything else. */
  void http(HttpApi http) {
    this.http = http;
  }

  /** The token, signing in first when there is none yet. */
  CompletableFuture<String> token() {
    String t = token;
    return t != null ? CompletableFuture.completedFuture(t) : signIn().thenApply(Session::token);
  }

  /** The session; signs in, or asks who the token belongs to, when that is not known yet. */
  CompletableFuture<Session> session() {
    String t = token;
    User u = user;
    if (t != null && u != null) {
      return CompletableFuture.completedFuture(new Session(u, t));
    }
    if (t != null) {
      return http.me()
          .thenApply(
              me -> {
                user = me;
                return new Session(me, t);
              });
    }
    return signIn();
  }

  /** The server's {@code ready} names the user. */
  void user(User user) {
    this.user = user;
  }

  private synchronized CompletableFuture<Session> signIn() {
    if (credentials == null) {
      return CompletableFuture.failedFuture(new ChatException.Unauthorized("no session token"));
    }
    if (signingIn == null || signingIn.isCompletedExceptionally()) {
      signingIn =
          credentials
              .signIn(http)
              .thenApply(
                  s -> {
                    user = s.user();
                    token = s.token();
                    return s;
                  });
    }
    return signingIn;
  }
}
