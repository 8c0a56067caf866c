package dev.natter.client;

import dev.natter.codec.JsonCodec;

/** What a client signs in with when it has no token yet. */
record Credentials(String username, String password, String displayName, boolean register) {

  /** Signs in (or registers) over HTTP. */
  SignedIn signIn(HttpApi http) {
    JsonCodec.Auth auth =
        register ? http.register(username, password, displayName) : http.login(username, password);
    return new SignedIn(auth.user(), auth.token());
  }
}
