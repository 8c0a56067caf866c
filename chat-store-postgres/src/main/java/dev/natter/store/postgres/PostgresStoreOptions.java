package dev.natter.store.postgres;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a {@link PostgresChatStore} finds its database and how it uses it. Start from {@link
 * #builder(String)} with the database's URL; everything else has a default.
 *
 * @param url the database: a JDBC URL ({@code jdbc:postgresql://host:5432/natter?user=natter}) or a
 *     libpq-style URL ({@code postgresql://user:password@host:5432/natter?sslmode=require}, also
 *     {@code postgres://}); query parameters go to the driver (pgjdbc) as they are
 * @param schema the schema that holds the store's tables (created, and migrated, on open): a
 *     lower-case SQL identifier, default {@code natter}. Several stores may share a database, each
 *     in its own schema
 * @param poolSize the most connections the store holds (2 to 200, default 10); the append writers
 *     use up to half of them (at most 4), reads and other writes the rest
 * @param maxBatchSize the most appends to one room that one transaction commits (default 256); 1
 *     commits every append on its own (no batching)
 * @param connectionTimeout how long a call waits for a connection (to open one, or for one of the
 *     pool to be free) before it fails with {@link dev.natter.core.ChatException.StoreFailure}
 *     (default 5 s; at least 250 ms)
 */
public record PostgresStoreOptions(
    String url, String schema, int poolSize, int maxBatchSize, Duration connectionTimeout) {

  /** What a schema name may be: an unquoted identifier, so it is safe wherever SQL names it. */
  private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  /** The schema a store uses unless told otherwise. */
  public static final String DEFAULT_SCHEMA = "natter";

  /**
   * Checks every option.
   *
   * @param url the database's JDBC or {@code postgresql://} URL
   * @param schema the schema of the store's tables
   * @param poolSize the most connections the store holds
   * @param maxBatchSize the most appends to one room per transaction
   * @param connectionTimeout how long a call waits for a connection
   * @throws IllegalArgumentException if an option is out of range or the URL is of another kind
   */
  public PostgresStoreOptions {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(connectionTimeout, "connectionTimeout");
    PgUrl.parse(url); // fails early on a URL of another kind
    if (!SCHEMA.matcher(schema).matches()) {
      throw new IllegalArgumentException(
          "schema must be a lower-case identifier (letters, digits, _), not " + schema);
    }
    if (poolSize < 2 || poolSize > 200) {
      throw new IllegalArgumentException("poolSize must be between 2 and 200");
    }
    if (maxBatchSize < 1) {
      throw new IllegalArgumentException("maxBatchSize must be at least 1");
    }
    if (connectionTimeout.compareTo(Duration.ofMillis(250)) < 0) {
      throw new IllegalArgumentException("connectionTimeout must be at least 250 ms");
    }
  }

  /**
   * The defaults for the database at {@code url}.
   *
   * @param url the database's JDBC or {@code postgresql://} URL
   * @return options with schema {@code natter}, 10 connections, batches of up to 256 appends and a
   *     5 s connection timeout
   * @throws IllegalArgumentException if the URL is of another kind
   */
  public static PostgresStoreOptions of(String url) {
    return builder(url).build();
  }

  /**
   * A builder starting from the defaults for the database at {@code url}.
   *
   * @param url the database's JDBC or {@code postgresql://} URL
   * @return a builder; {@link Builder#build()} checks the options
   */
  public static Builder builder(String url) {
    return new Builder(url);
  }

  /**
   * A builder holding these options, to change some of them.
   *
   * @return a builder starting from {@code this}
   */
  public Builder toBuilder() {
    return new Builder(url)
        .schema(schema)
        .poolSize(poolSize)
        .maxBatchSize(maxBatchSize)
        .connectionTimeout(connectionTimeout);
  }

  /**
   * The URL with any password replaced by {@code ***}, for messages and logs.
   *
   * @return the redacted URL
   */
  public String redactedUrl() {
    return PgUrl.redact(url);
  }

  /**
   * The options with the URL's password hidden.
   *
   * @return the options as text, safe to log
   */
  @Override
  public String toString() {
    return "PostgresStoreOptions[url="
        + redactedUrl()
        + ", schema="
        + schema
        + ", poolSize="
        + poolSize
        + ", maxBatchSize="
        + maxBatchSize
        + ", connectionTimeout="
        + connectionTimeout
        + "]";
  }

  /** Builds {@link PostgresStoreOptions}; not thread-safe. */
  public static final class Builder {
    private final String url;
    private String schema = DEFAULT_SCHEMA;
    private int poolSize = 10;
    private int maxBatchSize = 256;
    private Duration connectionTimeout = Duration.ofSeconds(5);

    private Builder(String url) {
      this.url = Objects.requireNonNull(url, "url");
    }

    /**
     * Sets the schema of the store's tables.
     *
     * @param schema a lower-case SQL identifier
     * @return this builder
     */
    public Builder schema(String schema) {
      this.schema = schema;
      return this;
    }

    /**
     * Sets the most connections the store holds.
     *
     * @param poolSize 2 to 200
     * @return this builder
     */
    public Builder poolSize(int poolSize) {
      this.poolSize = poolSize;
      return this;
    }

    /**
     * Sets the most appends to one room that one transaction commits.
     *
     * @param maxBatchSize at least 1; 1 turns batching off
     * @return this builder
     */
    public Builder maxBatchSize(int maxBatchSize) {
      this.maxBatchSize = maxBatchSize;
      return this;
    }

    /**
     * Sets how long a call waits for a connection before it fails.
     *
     * @param connectionTimeout at least 250 ms
     * @return this builder
     */
    public Builder connectionTimeout(Duration connectionTimeout) {
      this.connectionTimeout = connectionTimeout;
      return this;
    }

    /**
     * Checks the options and builds them.
     *
     * @return the options
     * @throws IllegalArgumentException if an option is out of range
     */
    public PostgresStoreOptions build() {
      return new PostgresStoreOptions(url, schema, poolSize, maxBatchSize, connectionTimeout);
    }
  }
}
