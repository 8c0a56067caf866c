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
 * @param maxUploadBytes the largest uploaded file, null for the server's default (25 MB)
 * @param maxConcurrentUploads uploads received at once, null for the server's default (half its
 *     worker threads)
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
    boolean ui,
    Long maxUploadBytes,
    Integer maxConcurrentUploads) {

  public ServerSettings {
    allowedOrigins = List.copyOf(allowedOrigins);
  }

  /** Settings with the default upload limits. */
  public ServerSettings(
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
    this(
        host,
        port,
        dataDir,
        allowedOrigins,
        maxBodyChars,
        sendBurst,
        sendWindow,
        readBurst,
        readWindow,
        ui,
        null,
        null);
  }

  public Path database() {
    return dataDir.resolve("natter.db");
  }

  /** Where uploaded files are kept: {@code <data-dir>/files}, named by their SHA-256. */
  public Path files() {
    return dataDir.resolve("files");
  }

  private static final Pattern SIZE =
      Pattern.compile("(\\d+)\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?", Pattern.CASE_INSENSITIVE);

  /** Parses a size like {@code 25MB}, {@code 512k}, {@code 10MiB} or {@code 1000000} (bytes). */
  public static long parseSize(String value) {
    Matcher m = SIZE.matcher(value.strip());
    if (!m.matches()) {
      throw CliException.usage(
          "a size is a number with an optional unit (25MB, 512KB, 1GiB), not " + value);
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
    long factor =
        switch (unit) {
          case "k", "kb" -> 1_000L;
          case "kib" -> 1L << 10;
          case "m", "mb" -> 1_000_000L;
          case "mib" -> 1L << 20;
          case "g", "gb" -> 1_000_000_000L;
          case "gib" -> 1L << 30;
          default -> 1L;
        };
    if (n < 1) {
      throw CliException.usage("a size must be at least 1 byte, not " + value);
    }
    return Math.multiplyExact(n, factor);
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
