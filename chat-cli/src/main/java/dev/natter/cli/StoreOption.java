package dev.natter.cli;

import dev.natter.core.ChatException;
import dev.natter.core.spi.ChatStore;
import dev.natter.store.postgres.PostgresChatStore;
import dev.natter.store.postgres.PostgresStoreOptions;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The {@code --store} option: PostgreSQL for several nodes; without it, SQLite in the data
 * directory (the default).
 */
public final class StoreOption {
  @Option(
      names = "--store",
      paramLabel = "URL",
      description =
          "The URL of a PostgreSQL database, for several nodes, instead of SQLite (env"
              + " NATTER_STORE; default: SQLite in the data directory).")
  String store;

  /** The PostgreSQL URL chosen by the option or the environment, or null for SQLite. */
  public String url(CliContext context) {
    String url = context.setting(store, "NATTER_STORE", null);
    if (url == null || url.isBlank()) {
      return null;
    }
    url = url.strip();
    if (!isPostgres(url)) {
      throw CliException.usage(
          "--store (NATTER_STORE) takes a postgresql:// URL, not "
              + redact(url)
              + "; without it the store is SQLite in the data directory");
    }
    return url;
  }

  /** Whether the store is PostgreSQL. */
  public boolean isPostgres(CliContext context) {
    return url(context) != null;
  }

  /**
   * Opens the chosen store: PostgreSQL (its schema created or migrated), or the data directory's
   * SQLite database (created when {@code create}; else it must exist).
   */
  public ChatStore open(CliContext context, DataDir dataDir, boolean create) {
    String url = url(context);
    if (url == null) {
      return dataDir.open(context, create);
    }
    return openPostgres(url);
  }

  /** Opens a PostgreSQL store, with a message that names the database (without its password). */
  public static PostgresChatStore openPostgres(String url) {
    PostgresStoreOptions options;
    try {
      options = PostgresStoreOptions.of(url);
    } catch (IllegalArgumentException e) {
      throw CliException.usage("--store: " + e.getMessage());
    }
    try {
      return PostgresChatStore.open(options);
    } catch (ChatException e) {
      throw CliException.failure(
          "cannot open the PostgreSQL store at " + options.redactedUrl() + ": " + e.getMessage(),
          e);
    }
  }

  static boolean isPostgres(String url) {
    String u = url.toLowerCase(Locale.ROOT);
    return u.startsWith("postgresql://")
        || u.startsWith("postgres://")
        || u.startsWith("jdbc:postgresql:");
  }

  private static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&]*", "$1***")
        .replaceAll("//([^:/@]*):[^@/]*@", "//$1:***@");
  }
}
