package dev.natter.cli.bench;

import dev.natter.cli.CliException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * The server under load: its HTTP base URL (the API) and socket address (the WebSockets). Plain
 * HTTP only: the load generator speaks no TLS.
 */
record Target(URI base, InetSocketAddress address) {
  static final String DEFAULT = "http://127.0.0.1:8080";

  /** Parses {@code http://host:port} (also {@code ws://}); a path is ignored. */
  static Target parse(String url) {
    URI u;
    try {
      u = URI.create(url.strip());
    } catch (IllegalArgumentException e) {
      throw CliException.usage("not a URL: " + url);
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("https") || scheme.equals("wss")) {
      throw CliException.usage(
          "the load generator speaks plain HTTP/WebSocket only, not " + scheme + ": " + url);
    }
    if (!scheme.equals("http") && !scheme.equals("ws") || u.getHost() == null) {
      throw CliException.usage("the server URL looks like http://host:port, not " + url);
    }
    int port = u.getPort() < 0 ? 80 : u.getPort();
    InetAddress address;
    try {
      address = InetAddress.getByName(u.getHost());
    } catch (UnknownHostException e) {
      throw CliException.failure("unknown host " + u.getHost());
    }
    String host = u.getHost().contains(":") ? "[" + u.getHost() + "]" : u.getHost();
    return new Target(
        URI.create("http://" + host + ":" + port), new InetSocketAddress(address, port));
  }

  /** Whether the server is on this machine's loopback interface. */
  boolean loopback() {
    return address.getAddress().isLoopbackAddress();
  }

  /** Whether connections can come from several 127.0.0.x addresses (IPv4 loopback). */
  boolean ipv4Loopback() {
    return loopback() && address.getAddress().getAddress().length == 4;
  }
}
