package dev.natter.client;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The file name in a {@code Content-Disposition} header: {@code filename*=UTF-8''...} (RFC 6266)
 * when there is one, else {@code filename="..."} or a bare {@code filename=...}. Only the last path
 * segment is kept, so a name never names a directory.
 */
final class ContentDisposition {
  private static final Pattern EXTENDED =
      Pattern.compile("(?i)filename\\*\\s*=\\s*([\\w!#$&+.^`|~-]+)'[^']*'([^;\\s]+)");
  private static final Pattern QUOTED =
      Pattern.compile("(?i)filename\\s*=\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Pattern BARE = Pattern.compile("(?i)filename\\s*=\\s*([^;\\s\"]+)");

  private ContentDisposition() {}

  static Optional<String> fileName(String header) {
    if (header == null) {
      return Optional.empty();
    }
    String name = null;
    Matcher m = EXTENDED.matcher(header);
    if (m.find() && m.group(1).toUpperCase(Locale.ROOT).equals("UTF-8")) {
      try {
        name = URLDecoder.decode(m.group(2).replace("+", "%2B"), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        name = null;
      }
    }
    if (name == null) {
      m = QUOTED.matcher(header);
      if (m.find()) {
        name = m.group(1).replaceAll("\\\\(.)", "$1");
      } else {
        m = BARE.matcher(header);
        if (m.find()) {
          name = m.group(1);
        }
      }
    }
    if (name == null) {
      return Optional.empty();
    }
    name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1).strip();
    return name.isEmpty() || name.equals(".") || name.equals("..")
        ? Optional.empty()
        : Optional.of(name);
  }
}
