package dev.natter.transport;

import java.time.Duration;
import java.util.Locale;

/** Where a request's session token comes from, and the session cookie. */
final class Sessions {
  static final String COOKIE = "natter_session";

  private Sessions() {}

  /**
   * The token of a request: {@code Authorization: Bearer <token>} first, else the session cookie;
   * null when there is neither.
   */
  static String token(String authorization, Iterable<String> cookieHeaders) {
    if (authorization != null) {
      String a = authorization.strip();
      if (a.length() > 7 && a.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
        String t = a.substring(7).strip();
        if (!t.isEmpty()) {
          return t;
        }
      }
    }
    if (cookieHeaders != null) {
      for (String header : cookieHeaders) {
        String t = cookie(header, COOKIE);
        if (t != null) {
          return t;
        }
      }
    }
    return null;
  }

  /** The value of one cookie in a {@code Cookie} header, or null. */
  static String cookie(String header, String name) {
    if (header == null) {
      return null;
    }
    for (String part : header.split(";")) {
      int eq = part.indexOf('=');
      if (eq > 0 && part.substring(0, eq).strip().equals(name)) {
        String v = part.substring(eq + 1).strip();
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
          v = v.substring(1, v.length() - 1);
        }
        return v.isEmpty() ? null : v;
      }
    }
    return null;
  }

  /** {@code Set-Cookie} value that stores the session token for {@code ttl}. */
  static String setCookie(String token, Duration ttl, boolean secure) {
    return COOKIE
        + "="
        + token
        + "; Max-Age="
        + Math.max(0, ttl.toSeconds())
        + "; Path=/; HttpOnly; SameSite=Strict"
        + (secure ? "; Secure" : "");
  }

  /** {@code Set-Cookie} value that removes the session cookie. */
  static String clearCookie(boolean secure) {
    return COOKIE + "=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
  }
}
