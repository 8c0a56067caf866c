package dev.natter.cli;

import dev.natter.cli.config.CliConfig;
import dev.natter.cli.config.ConfigFile;
import dev.natter.cli.config.PrivateFileOutbox;
import dev.natter.client.ChatClient;
import dev.natter.client.ChatClientBuilder;
import dev.natter.client.Session;
import dev.natter.core.ChatException;
import dev.natter.core.protocol.ErrorCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The signed-in user as the client commands see it: which server (option {@code --server}, else
 * {@code $NATTER_SERVER}, else the config file, else {@code http://127.0.0.1:8080}), which token
 * ({@code $NATTER_TOKEN}, else the config file), and where the config and outbox files are.
 */
public final class Account {
  private final CliContext context;
  private final ConfigFile configFile;
  private final String serverOption;

  public Account(CliContext context, String serverOption) {
    this.context = context;
    this.configFile = new ConfigFile(context.configFile());
    this.serverOption = serverOption;
  }

  public ConfigFile configFile() {
    return configFile;
  }

  public CliConfig config() {
    return configFile.load();
  }

  /** The server to talk to. */
  public URI server() {
    String s = serverOption;
    if (s == null) {
      s = context.env("NATTER_SERVER");
    }
    if (s == null) {
      s = config().server();
    }
    if (s == null) {
      s = CliConfig.DEFAULT_SERVER;
    }
    return parseServer(s);
  }

  /** Parses a server URL; {@code host:port} alone means http. */
  public static URI parseServer(String s) {
    String v = s.strip();
    if (!v.contains("://")) {
      v = "http://" + v;
    }
    try {
      URI uri = new URI(v);
      String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
        throw CliException.usage("the server must be an http(s) URL like http://host:8080: " + s);
      }
      String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("/+$", "");
      return new URI(scheme, null, uri.getHost(), uri.getPort(), path, null, null);
    } catch (URISyntaxException e) {
      throw CliException.usage("not a server URL: " + s);
    }
  }

  /** The session token, or a failure that says to log in. */
  public String token() {
    String env = context.env("NATTER_TOKEN");
    if (env != null) {
      return env;
    }
    CliConfig c = config();
    if (!c.loggedIn()) {
      throw CliException.failure("not logged in: run 'natter login' (or 'natter register') first");
    }
    URI server = server();
    if (c.server() != null && !parseServer(c.server()).equals(server)) {
      throw CliException.failure(
          "logged in to " + c.server() + ", not " + server + ": run 'natter login' for it");
    }
    return c.token();
  }

  /** Whether a token is at hand for the server. */
  public boolean hasToken() {
    if (context.env("NATTER_TOKEN") != null) {
      return true;
    }
    CliConfig c = config();
    return c.loggedIn() && (c.server() == null || parseServer(c.server()).equals(server()));
  }

  /** The outbox of the terminal client, next to the config file. */
  public PrivateFileOutbox outbox() {
    return new PrivateFileOutbox(outboxPath());
  }

  public Path outboxPath() {
    return configFile.directory().resolve("outbox.json");
  }

  /** A client with the saved token (HTTP helpers work at once; {@code connect()} for events). */
  public ChatClientBuilder clientBuilder() {
    return ChatClient.builder(server()).token(token());
  }

  /** A client with the saved token, for HTTP requests only. */
  public ChatClient httpClient() {
    return clientBuilder().build();
  }

  /**
   * Logs in (or registers) over HTTP, without opening a WebSocket, and saves the token in the
   * config file. When the user or the server changes, unsent messages of the previous one are
   * discarded.
   */
  public Session signIn(String username, String password, boolean register, String displayName) {
    URI server = server();
    ChatClientBuilder b = ChatClient.builder(server);
    if (!register) {
      b.login(username, password);
    } else if (displayName == null) {
      b.register(username, password);
    } else {
      b.register(username, password, displayName);
    }
    Session in;
    try (ChatClient client = b.build()) {
      in = await(client.session());
    } catch (RuntimeException e) {
      throw explainConnectFailure(e, server);
    }
    String name = in.user().username();
    CliConfig before = config();
    boolean sameAccount =
        before.server() != null
            && parseServer(before.server()).equals(server)
            && name.equalsIgnoreCase(String.valueOf(before.username()));
    if (!sameAccount) {
      PrivateFileOutbox box = outbox();
      if (!box.entries().isEmpty()) {
        box.clear();
      }
    }
    configFile.save(before.withServer(server.toString()).withLogin(name, in.token()));
    return in;
  }

  /** Forgets the token (the server and username stay). */
  public void forgetToken() {
    CliConfig c = config();
    configFile.save(c.withoutToken());
  }

  /**
   * Waits for a client request: its result, or its failure as the command's (the server's error as
   * a {@link ChatException}, an unreachable server as an {@link UncheckedIOException}).
   */
  public static <T> T await(CompletableFuture<T> request) {
    try {
      return request.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof IOException io) {
        throw new UncheckedIOException(
            io.getMessage() != null ? io.getMessage() : io.toString(), io);
      }
      throw CliException.failure(String.valueOf(cause), cause);
    }
  }

  /** Turns a failure to reach or sign in to the server into a one-line explanation. */
  public static RuntimeException explainConnectFailure(Throwable cause, URI server) {
    if (cause instanceof ChatException ce) {
      if (ce.code() == ErrorCode.UNAUTHORIZED) {
        return CliException.failure(
            "not signed in: " + ce.getMessage() + " (run 'natter login' again)");
      }
      return ce;
    }
    if (cause instanceof CliException ce) {
      return ce;
    }
    String msg = cause == null ? "unknown error" : cause.getMessage();
    return CliException.failure(
        "cannot reach the server at " + server + ": " + (msg == null ? cause : msg), cause);
  }
}
