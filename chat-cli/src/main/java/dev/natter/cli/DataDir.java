package dev.natter.cli;

import dev.natter.store.sqlite.SqliteChatStore;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --data-dir} option: where the database lives ({@code <data-dir>/natter.db}). */
public final class DataDir {
  public static final String DEFAULT = "./natter-data";
  public static final String DATABASE_FILE = "natter.db";

  @Option(
      names = {"-d", "--data-dir"},
      paramLabel = "DIR",
      description =
          "Data directory, where natter.db lives (env NATTER_DATA_DIR; default: natter-data in"
              + " the working directory).")
  String dataDir;

  /** The data directory chosen by the option, the environment or the default. */
  public Path path(CliContext context) {
    return Path.of(context.setting(dataDir, "NATTER_DATA_DIR", DEFAULT))
        .toAbsolutePath()
        .normalize();
  }

  public Path database(CliContext context) {
    return path(context).resolve(DATABASE_FILE);
  }

  /** Opens the database, creating it when {@code create}; else it must exist. */
  public SqliteChatStore open(CliContext context, boolean create) {
    Path db = database(context);
    if (!create && !Files.exists(db)) {
      throw CliException.failure("no database at " + db + " (give --data-dir or NATTER_DATA_DIR)");
    }
    return SqliteChatStore.open(db);
  }
}
