package dev.natter.cli.serve;

import dev.natter.cli.CliException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Everything {@code natter serve} needs, resolved from options, environment variables and defaults.
 *
 * @param allowedOrigins exact browser origins; empty means the server's own (its URL, with the
 *     localhost and 127.0.0.1 spellings on loopback)
 * @param maxBodyChars null keeps the engine's default
 * @param sendBurst null keeps the engine's default send rate
 */
public record ServerSettings(
    String host,
    int port,
    Path dataDir,
    List<String> allowedOrigins,
    Integer maxBodyChars,
    Integer sendBurst,
    Duration sendWindow,
    Integer readBurst,
    Duration readWindow,
    boolean ui) {

  public ServerSettings {
    allowedOrigins = List.copyOf(allowedOrigins);
  }

  public Path database() {
    return dataDir.resolve("natter.db");
  }

  /** Parses a comma-separated list of origins like {@code https://chat.example.org}. */
  public static List<String> parseOrigins(String value) {
    List<String> out = new ArrayList<>();
    if (value == null) {
      return out;
    }
    for (String part : value.split(",")) {
      String o = part.strip();
      if (o.isEmpty()) {
        continue;
      }
      if (!o.matches("https?://[^/\\s]+")) {
        throw CliException.usage(
            "an allowed origin is scheme://host[:port] without a path, not " + o);
      }
      out.add(o.toLowerCase(Locale.ROOT));
    }
    return out;
  }

  private static final Pattern RATE = Pattern.compile("(\\d+)\\s*/\\s*(\\d*)\\s*(ms|s|m|h)?");

  /** Parses a send rate like {@code 20/10s} (20 messages per 10 seconds) or {@code 5/s}. */
  public static int[] parseRate(String value) {
    Matcher m = RATE.matcher(value.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw CliException.usage("a send rate looks like 20/10s (messages per time), not " + value);
    }
    int burst = Integer.parseInt(m.group(1));
    int amount = m.group(2).isEmpty() ? 1 : Integer.parseInt(m.group(2));
    String unit = m.group(3) == null ? "s" : m.group(3);
    long ms;
    switch (unit) {
      case "ms":
        ms = amount;
        break;
      case "m":
        ms = amount * 60_000L;
        break;
      case "h":
        ms = amount * 3_600_000L;
        break;
      default:
        ms = amount * 1_000L;
    }
    if (burst < 1 || ms < 1) {
      throw CliException.usage("a send rate needs at least 1 message per a positive time");
    }
    return new int[] {burst, (int) Math.min(Integer.MAX_VALUE, ms)};
  }
}
