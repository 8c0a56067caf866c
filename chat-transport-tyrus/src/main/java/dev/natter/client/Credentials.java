package dev.natter.client;

import dev.natter.transport.codec.JsonCodec;

/** What a client signs in with when it was built without a token. */
record Credentials(String username, String password, String displayName, boolean register) {

  /** Signs in (or registers) over HTTP. */
  JsonCodec.Auth signIn(HttpApi http) {
    return register
        ? http.register(username, password, displayName)
        : http.login(username, password);
  }
}
