package dev.natter.cli.config;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What {@code natter login} remembers: the server and the session token of one user. Kept in the
 * user config file with owner-only permissions.
 *
 * @param server the server's base URL, e.g. {@code http://127.0.0.1:8080}
 * @param username who the token belongs to
 * @param token the session token (a bearer token); null when logged out
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CliConfig(String server, String username, String token) {
  public static final String DEFAULT_SERVER = "http://127.0.0.1:8080";

  public static CliConfig empty() {
    return new CliConfig(null, null, null);
  }

  public CliConfig withServer(String server) {
    return new CliConfig(server, username, token);
  }

  public CliConfig withLogin(String username, String token) {
    return new CliConfig(server, username, token);
  }

  public boolean loggedIn() {
    return token != null && !token.isBlank();
  }
}
