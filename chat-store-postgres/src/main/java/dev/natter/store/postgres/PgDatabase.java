package dev.natter.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The pool of connections to the database, and the schema's migrations. */
final class PgDatabase {
  private static final Logger LOG = LoggerFactory.getLogger(PgDatabase.class);

  /** Where the migrations live on the classpath. */
  static final String MIGRATIONS = "classpath:db/migration/postgresql";

  /**
   * Run on every new connection: durability never depends on the server's configuration. It turns
   * {@code synchronous_commit} on where the server has it off, and leaves stronger settings (for a
   * synchronous standby, say) as they are.
   */
  static final String DURABLE_COMMITS =
      "SELECT set_config('synchronous_commit', 'on', false)"
          + " WHERE current_setting('synchronous_commit') = 'off'";

  private PgDatabase() {}

  /**
   * A pool of up to {@code poolSize} connections whose search path is the store's schema. It opens
   * one connection before it returns, so an unreachable database fails here.
   */
  static HikariDataSource pool(PostgresStoreOptions options, PgUrl url) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("natter-pg-" + options.schema());
    config.setJdbcUrl(url.jdbcUrl());
    if (url.user() != null) {
      config.setUsername(url.user());
    }
    if (url.password() != null) {
      config.setPassword(url.password());
    }
    config.setSchema(options.schema());
    config.setMaximumPoolSize(options.poolSize());
    config.setMinimumIdle(Math.min(2, options.poolSize()));
    long timeoutMillis = options.connectionTimeout().toMillis();
    config.setConnectionTimeout(timeoutMillis);
    config.setInitializationFailTimeout(timeoutMillis);
    config.setConnectionInitSql(DURABLE_COMMITS);
    // Defaults; parameters of the URL take precedence.
    config.addDataSourceProperty("ApplicationName", "natter");
    config.addDataSourceProperty("connectTimeout", Long.toString((timeoutMillis + 999) / 1000));
    config.addDataSourceProperty("tcpKeepAlive", "true");
    // The server's detail of an error (a failing row's values) stays out of exception messages,
    // so out of the log; the error's fields (SQLState, constraint) are still there.
    config.addDataSourceProperty("logServerErrorDetail", "false");
    return new HikariDataSource(config);
  }

  /**
   * Creates the schema if needed and brings it to the newest version. When several nodes start at
   * once, Flyway's lock on PostgreSQL (an advisory lock) lets one of them migrate while the others
   * wait, then find nothing left to do.
   */
  static void migrate(DataSource pool, String schema) {
    MigrateResult result =
        Flyway.configure(PgDatabase.class.getClassLoader())
            .dataSource(pool)
            .schemas(schema)
            .defaultSchema(schema)
            .createSchemas(true)
            .locations(MIGRATIONS)
            .load()
            .migrate();
    if (result.migrationsExecuted > 0) {
      LOG.info(
          "schema {} migrated to version {} ({} migrations)",
          schema,
          result.targetSchemaVersion,
          result.migrationsExecuted);
    }
  }
}
