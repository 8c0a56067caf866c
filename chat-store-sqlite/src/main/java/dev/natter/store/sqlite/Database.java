package dev.natter.store.sqlite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/** Connections to one SQLite file, with the pragmas each role needs, and the schema migrations. */
final class Database {
  private static final Logger LOG = LoggerFactory.getLogger(Database.class);

  /** Where the migrations live on the classpath. */
  static final String MIGRATIONS = "classpath:db/migration/sqlite";

  /**
   * The page size of a new database file (an existing file keeps its own). Smaller than SQLite's
   * 4096 because every commit writes each page it touched to the log whole, and an append touches
   * pages that nothing else in its batch does (the unique index on {@code (sender_id,
   * client_msg_id)}, whose keys are random): with 1 KiB pages the store writes about half as many
   * bytes per message (measured with the store benchmark), while a history page still reads a
   * handful of pages.
   */
  static final int PAGE_SIZE = 1024;

  private final Path file;
  private final String url;
  private final Path searchFile;
  private final SqliteStoreOptions options;

  Database(Path file, SqliteStoreOptions options) {
    this.file = file.toAbsolutePath();
    this.url = "jdbc:sqlite:" + this.file;
    this.searchFile = SearchIndex.fileFor(file.toAbsolutePath());
    this.options = options;
  }

  /** The file of the full-text index that goes with this database. */
  Path searchFile() {
    return searchFile;
  }

  String url() {
    return url;
  }

  private SQLiteConfig common() {
    SQLiteConfig config = new SQLiteConfig();
    config.setBusyTimeout(
        Math.toIntExact(Math.min(Integer.MAX_VALUE, options.busyTimeout().toMillis())));
    config.setSynchronous(
        options.synchronousFull()
            ? SQLiteConfig.SynchronousMode.FULL
            : SQLiteConfig.SynchronousMode.NORMAL);
    config.enforceForeignKeys(true);
    // Negative: KiB. 16 MiB of page cache per connection.
    config.setCacheSize(-16_384);
    config.setTempStore(SQLiteConfig.TempStore.MEMORY);
    return config;
  }

  /**
   * The writer's connection: WAL (persistent in the file), foreign keys on, and transactions that
   * start with {@code BEGIN IMMEDIATE}, so a batch holds the write lock from its first statement.
   */
  Connection openWriter() throws SQLException {
    SQLiteConfig config = common();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    // With a checkpoint thread the writer never checkpoints; otherwise SQLite's default.
    config.setWalAutocheckpoint(options.checkpointInterval().isZero() ? 1000 : 0);
    // After a checkpoint resets the log, truncate the file back to this size (64 MiB).
    config.setJournalSizeLimit(64 * 1024 * 1024);
    return config.createConnection(url);
  }

  /** A read-only connection for the read pool. */
  Connection openReader() throws SQLException {
    SQLiteConfig config = common();
    config.setReadOnly(true);
    // Reads are served from a memory map of the file (256 MiB at most): fewer copies per page.
    config.setPragma(SQLiteConfig.Pragma.MMAP_SIZE, "268435456");
    Connection connection = config.createConnection(url);
    try (Statement st = connection.createStatement()) {
      st.execute("PRAGMA query_only = 1");
    }
    return connection;
  }

  /**
   * A read-only connection for the read pool, with the search index attached as schema {@code
   * search} (the index file must exist).
   */
  Connection openSearchingReader() throws SQLException {
    Connection connection = openReader();
    try (PreparedStatement attach = connection.prepareStatement("ATTACH DATABASE ? AS search")) {
      attach.setString(1, searchFile.toString());
      attach.execute();
    } catch (SQLException | RuntimeException e) {
      connection.close();
      throw e;
    }
    return connection;
  }

  /**
   * The search index's own connection to {@code file}: WAL, and {@code synchronous=NORMAL}: the
   * index is derived data, and its fsyncs would compete with the writer's for the disk. After a
   * power loss it may have lost its last commits: new messages are simply indexed again, and if it
   * missed edits or deletes the writer has since pruned, {@link SearchIndex} sees the gap on open
   * and rebuilds it.
   */
  Connection openSearchWriter(Path file) throws SQLException {
    SQLiteConfig config = common();
    config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    config.setJournalSizeLimit(64 * 1024 * 1024);
    return config.createConnection("jdbc:sqlite:" + file);
  }

  /** A read-write connection that never writes rows: checkpoints and backups. */
  Connection openMaintenance() throws SQLException {
    return common().createConnection(url);
  }

  /** Gives a new (missing or empty) file its page size, before anything else writes to it. */
  private void createIfNew() throws SQLException {
    try {
      if (Files.exists(file) && Files.size(file) > 0) {
        return;
      }
    } catch (IOException e) {
      throw new SQLException("cannot read " + file + ": " + e, e);
    }
    try (Connection c = common().createConnection(url);
        Statement st = c.createStatement()) {
      st.execute("PRAGMA page_size = " + PAGE_SIZE);
      st.execute("PRAGMA journal_mode = WAL"); // writes the file's first page
    }
  }

  /**
   * Brings the schema up to the newest migration. Foreign keys are off while migrations run (a
   * table rebuild needs that); {@code PRAGMA foreign_key_check} must find nothing afterwards.
   */
  void migrate() throws SQLException {
    createIfNew();
    SQLiteConfig config = common();
    config.enforceForeignKeys(false);
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    SQLiteDataSource dataSource = new SQLiteDataSource(config);
    dataSource.setUrl(url);
    MigrateResult result =
        Flyway.configure(Database.class.getClassLoader())
            .dataSource(dataSource)
            .locations(MIGRATIONS)
            .failOnMissingLocations(true)
            // Flyway's own chatter goes to SLF4J (silent without a provider); we log what matters.
            .loggers("slf4j")
            .load()
            .migrate();
    if (result.migrationsExecuted > 0) {
      LOG.info(
          "{}: schema migrated from version {} to {} ({} migrations)",
          url.substring("jdbc:sqlite:".length()),
          result.initialSchemaVersion == null ? "none" : result.initialSchemaVersion,
          result.targetSchemaVersion,
          result.migrationsExecuted);
    }
    try (Connection connection = dataSource.getConnection();
        Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery("PRAGMA foreign_key_check")) {
      List<String> problems = new ArrayList<>();
      while (rs.next()) {
        problems.add(rs.getString(1) + " row " + rs.getLong(2) + " -> " + rs.getString(3));
      }
      if (!problems.isEmpty()) {
        throw new SQLException("foreign key violations after migrating: " + problems);
      }
    }
  }
}
