package dev.natter.cli.config;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What {@code natter login} remembers: the server and the session token of one user, and the
 * terminal client's settings. Kept in the user config file with owner-only permissions.
 *
 * @param server the server's base URL, e.g. {@code http://127.0.0.1:8080}
 * @param username who the token belongs to
 * @param token the session token (a bearer token); null when logged out
 * @param bell when {@code natter chat} rings the terminal bell: {@code mentions} (the default, also
 *     when null), {@code all} or {@code off}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CliConfig(String server, String username, String token, String bell) {
  public static final String DEFAULT_SERVER = "http://127.0.0.1:8080";

  /** Without client settings. */
  public CliConfig(String server, String username, String token) {
    this(server, username, token, null);
  }

  public static CliConfig empty() {
    return new CliConfig(null, null, null, null);
  }

  public CliConfig withServer(String server) {
    return new CliConfig(server, username, token, bell);
  }

  public CliConfig withLogin(String username, String token) {
    return new CliConfig(server, username, token, bell);
  }

  /** The same without the token (logged out). */
  public CliConfig withoutToken() {
    return new CliConfig(server, username, null, bell);
  }

  public CliConfig withBell(String bell) {
    return new CliConfig(server, username, token, bell);
  }

  public boolean loggedIn() {
    return token != null && !token.isBlank();
  }
}
