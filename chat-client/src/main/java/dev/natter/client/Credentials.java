package dev.natter.client;

import dev.natter.core.ChatException;
import dev.natter.core.protocol.ErrorCode;
import java.util.concurrent.CompletableFuture;

/** What a client signs in with when it has no token yet, and how. */
record Credentials(String username, String password, String displayName, Mode mode) {

  /** Log in, register, or log in and register when there is no such account yet. */
  enum Mode {
    LOGIN,
    REGISTER,
    LOGIN_OR_REGISTER
  }

  /** Signs in (or registers) over HTTP. */
  CompletableFuture<Session> signIn(HttpApi http) {
    return switch (mode) {
      case LOGIN -> login(http);
      case REGISTER -> register(http);
      case LOGIN_OR_REGISTER ->
          login(http)
              .handle(
                  (session, error) -> {
                    if (error == null) {
                      return CompletableFuture.completedFuture(session);
                    }
                    if (!isUnauthorized(error)) {
                      return CompletableFuture.<Session>failedFuture(EventLoop.unwrap(error));
                    }
                    // No such user, or a wrong password: registering tells them apart (409).
                    return register(http)
                        .exceptionallyCompose(
                            e ->
                                CompletableFuture.failedFuture(
                                    isConflict(e) ? EventLoop.unwrap(error) : EventLoop.unwrap(e)));
                  })
              .thenCompose(f -> f);
    };
  }

  private CompletableFuture<Session> login(HttpApi http) {
    return http.login(username, password).thenApply(a -> new Session(a.user(), a.token()));
  }

  private CompletableFuture<Session> register(HttpApi http) {
    return http.register(username, password, displayName)
        .thenApply(a -> new Session(a.user(), a.token()));
  }

  private static boolean isUnauthorized(Throwable error) {
    return EventLoop.unwrap(error) instanceof ChatException e && e.code() == ErrorCode.UNAUTHORIZED;
  }

  private static boolean isConflict(Throwable error) {
    return EventLoop.unwrap(error) instanceof ChatException e && e.code() == ErrorCode.CONFLICT;
  }

  @Override
  public String toString() {
    return "Credentials[" + username + ", " + mode + "]";
  }
}
