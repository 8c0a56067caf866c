package dev.natter.store.postgres;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A database address as pgjdbc takes it, from either kind of URL a person may give: a JDBC URL
 * ({@code jdbc:postgresql://host:5432/db?user=u}) passes through as it is; a libpq-style URL
 * ({@code postgresql://user:password@host:5432/db?params}, or {@code postgres://}) becomes the JDBC
 * URL of the same hosts, database and parameters, with its user and password apart (decoded from
 * percent-encoding). Hosts may be a list ({@code h1:5432,h2:5432}); no host means localhost.
 *
 * @param jdbcUrl the URL for pgjdbc
 * @param user the user of a libpq-style URL, null if none (a JDBC URL carries its own)
 * @param password the password of a libpq-style URL, null if none
 */
record PgUrl(String jdbcUrl, String user, String password) {
  private static final String JDBC = "jdbc:postgresql:";
  private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)([?&]password=)[^&]*");
  private static final Pattern USER_INFO_PASSWORD =
      Pattern.compile("(?i)^([a-z]+://[^:/@?]*:)[^@/?]*@");

  static PgUrl parse(String url) {
    String lower = url.toLowerCase(Locale.ROOT);
    if (lower.startsWith(JDBC)) {
      return new PgUrl(url, null, null);
    }
    int scheme = url.indexOf("://");
    String name = scheme < 0 ? "" : lower.substring(0, scheme);
    if (!name.equals("postgresql") && !name.equals("postgres")) {
      throw new IllegalArgumentException(
          "a database URL starts with jdbc:postgresql: or postgresql://, not " + redact(url));
    }
    String rest = url.substring(scheme + 3);
    int query = rest.indexOf('?');
    String params = query < 0 ? "" : rest.substring(query);
    String location = query < 0 ? rest : rest.substring(0, query);
    int slash = location.indexOf('/');
    String database = slash < 0 ? "" : location.substring(slash + 1);
    String authority = slash < 0 ? location : location.substring(0, slash);
    int at = authority.lastIndexOf('@');
    String hosts = authority.substring(at + 1);
    String user = null;
    String password = null;
    if (at >= 0) {
      String userInfo = authority.substring(0, at);
      int colon = userInfo.indexOf(':');
      user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
      password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
    }
    String jdbcUrl =
        JDBC + "//" + (hosts.isEmpty() ? "localhost" : hosts) + "/" + database + params;
    return new PgUrl(jdbcUrl, user == null || user.isEmpty() ? null : user, password);
  }

  /** {@code url} with any password replaced by {@code ***}, for messages and logs. */
  static String redact(String url) {
    String hidden = PASSWORD_PARAM.matcher(url).replaceAll("$1***");
    return USER_INFO_PASSWORD.matcher(hidden).replaceFirst("$1***@");
  }

  private static String decode(String text) {
    return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** The URL without secrets. */
  @Override
  public String toString() {
    return redact(jdbcUrl) + (user == null ? "" : " as " + user);
  }
}
