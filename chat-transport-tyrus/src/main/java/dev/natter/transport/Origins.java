package dev.natter.transport;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/** Browser origins: their normal form, and the ones a server allows by default. */
final class Origins {
  private Origins() {}

  /** {@code scheme://host[:port]} in lower case, without a trailing slash; nothing else. */
  static String normalize(String origin) {
    String o = Objects.requireNonNull(origin, "origin").strip();
    if (o.endsWith("/")) {
      o = o.substring(0, o.length() - 1);
    }
    URI uri;
    try {
      uri = URI.create(o);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not an origin: " + origin, e);
    }
    if (uri.getScheme() == null
        || uri.getHost() == null
        || (uri.getPath() != null && !uri.getPath().isEmpty())
        || uri.getQuery() != null
        || uri.getFragment() != null
        || uri.getUserInfo() != null) {
      throw new IllegalArgumentException(
          "an origin is scheme://host[:port], like https://chat.example.org: " + origin);
    }
    return o.toLowerCase(Locale.ROOT);
  }

  /**
   * The server's own origin, {@code http://host:port}, plus the {@code localhost} and {@code
   * 127.0.0.1} spellings when it listens on loopback.
   */
  static Set<String> ownOrigins(String host, int port) {
    Set<String> origins = new LinkedHashSet<>();
    origins.add("http://" + hostInUri(host) + ":" + port);
    if (host.equals("127.0.0.1") || host.equals("::1") || host.equals("localhost")) {
      origins.add("http://localhost:" + port);
      origins.add("http://127.0.0.1:" + port);
    }
    return Set.copyOf(origins);
  }

  /** The host as it goes into a URI: an IPv6 address in brackets. */
  static String hostInUri(String host) {
    return host.contains(":") ? "[" + host + "]" : host;
  }
}
