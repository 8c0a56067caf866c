package dev.natter.store.postgres;

import dev.natter.core.testing.ExternalService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The PostgreSQL a test class runs against, found through the environment variable {@value
 * #URL_VARIABLE} (default {@value #DEFAULT_URL}). Register it as a static field with
 * {@code @RegisterExtension}: the class gets a fresh schema of its own ({@link #schema()}), dropped
 * after its last test, nested classes included.
 *
 * <p>When the database cannot be reached, the class is skipped with one line that says how to start
 * it; with {@code CI=true} it fails instead (a CI run must not pass by testing nothing).
 */
final class PgTestDatabase extends ExternalService implements BeforeAllCallback, AfterAllCallback {
  static final String URL_VARIABLE = "NATTER_TEST_PG_URL";
  static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=root";

  private final List<String> schemas = new ArrayList<>();
  private int depth;

  /** The URL of the test database. */
  static String url() {
    return env(URL_VARIABLE, DEFAULT_URL);
  }

  @Override
  protected String name() {
    return "PostgreSQL";
  }

  @Override
  protected String where() {
    return PgUrl.redact(url());
  }

  @Override
  protected String urlVariable() {
    return URL_VARIABLE;
  }

  @Override
  protected String howToStart() {
    return "`pg_ctlcluster 15 main start`";
  }

  @Override
  protected void probe() throws SQLException {
    try (Connection c = connect()) {
      if (!c.isValid(3)) {
        throw new SQLException("the connection is not valid");
      }
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) throws SQLException {
    if (depth++ > 0) {
      return;
    }
    requireReachable(context);
    String schema = newSchemaName(context.getRequiredTestClass().getSimpleName());
    execute("CREATE SCHEMA " + schema);
  }

  @Override
  public void afterAll(ExtensionContext context) throws SQLException {
    if (--depth > 0) {
      return;
    }
    for (String schema : schemas) {
      execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
    schemas.clear();
  }

  /** The schema of the running test class. */
  String schema() {
    return schemas.get(0);
  }

  /**
   * A new schema name (not created) that is dropped with the class's schema: for tests that need a
   * schema nobody has migrated yet.
   */
  String newSchemaName(String hint) {
    String clean = hint.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "");
    String name =
        "natter_t_"
            + clean.substring(0, Math.min(clean.length(), 30))
            + "_"
            + UUID.randomUUID().toString().substring(0, 8);
    schemas.add(name);
    return name;
  }

  /** Options for a store in the class's schema, with a small pool (the machine is shared). */
  PostgresStoreOptions.Builder options() {
    return PostgresStoreOptions.builder(url()).schema(schema()).poolSize(4);
  }

  /** Opens a store in the class's schema (migrating it the first time) and empties its tables. */
  PostgresChatStore openEmptyStore() {
    PostgresChatStore store = PostgresChatStore.open(options().build());
    try {
      execute(
          "TRUNCATE "
              + String.join(
                  ", ",
                  List.of(
                          "blob_chunks",
                          "blobs",
                          "files",
                          "reactions",
                          "messages",
                          "memberships",
                          "rooms",
                          "sessions",
                          "users")
                      .stream()
                      .map(t -> schema() + "." + t)
                      .toList())
              + " RESTART IDENTITY");
    } catch (SQLException e) {
      store.close();
      throw new IllegalStateException(e);
    }
    return store;
  }

  /** A plain connection to the test database (autocommit). */
  static Connection connect() throws SQLException {
    PgUrl url = PgUrl.parse(url());
    Properties props = new Properties();
    if (url.user() != null) {
      props.setProperty("user", url.user());
    }
    if (url.password() != null) {
      props.setProperty("password", url.password());
    }
    props.setProperty("connectTimeout", "3");
    return DriverManager.getConnection(url.jdbcUrl(), props);
  }

  static void execute(String sql) throws SQLException {
    try (Connection c = connect();
        Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }
}
