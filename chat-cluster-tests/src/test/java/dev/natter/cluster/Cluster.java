package dev.natter.cluster;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * Three (or N) {@code natter serve} processes on one fresh PostgreSQL database and one Redis key
 * prefix of their own, with an nginx of the test's own in front. Also the tests' handles on the
 * engines: SQL on the database, commands on Redis.
 */
final class Cluster implements AutoCloseable {
  final String database = "natter_cluster_" + UUID.randomUUID().toString().substring(0, 8);
  final String busPrefix = "natter-cluster-test:" + database + ":";
  final Path dir;
  private final List<NodeProcess> nodes = new ArrayList<>();
  private NginxProcess nginx;
  private final RedisClient redisClient;
  private final StatefulRedisConnection<String, String> redisConnection;

  Cluster(int size) {
    try {
      dir = Files.createTempDirectory("natter-cluster-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    adminSql("CREATE DATABASE " + database);
    RedisURI uri = RedisURI.create(Services.redisUrl());
    uri.setTimeout(Duration.ofSeconds(5));
    redisClient = RedisClient.create(uri);
    redisConnection = redisClient.connect();
    try {
      List<NodeProcess> started = new ArrayList<>();
      for (int i = 1; i <= size; i++) {
        started.add(NodeProcess.start(dir, "n" + i, storeUrl(), Services.redisUrl(), busPrefix));
      }
      nodes.addAll(started);
      // in parallel: the first migrates, the others wait on Flyway's lock
      CompletableFuture.allOf(
              started.stream()
                  .map(n -> CompletableFuture.runAsync(n::awaitPort))
                  .toArray(CompletableFuture[]::new))
          .join();
      nginx =
          NginxProcess.start(Services.nginx(), dir, nodes.stream().map(NodeProcess::port).toList());
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** The store URL the nodes use (libpq style, as an operator would write it). */
  String storeUrl() {
    URI jdbc = URI.create(Services.pgUrl().substring("jdbc:".length()));
    return "postgresql://"
        + jdbc.getHost()
        + ":"
        + (jdbc.getPort() < 0 ? 5432 : jdbc.getPort())
        + "/"
        + database
        + (jdbc.getQuery() == null ? "" : "?" + jdbc.getQuery());
  }

  NodeProcess node(int i) {
    return nodes.get(i);
  }

  List<NodeProcess> nodes() {
    return nodes;
  }

  URI proxy() {
    return nginx.uri();
  }

  RedisCommands<String, String> redis() {
    return redisConnection.sync();
  }

  /** The nodes' log tails, for failure messages. */
  String logs() {
    StringBuilder sb = new StringBuilder();
    for (NodeProcess n : nodes) {
      sb.append("---- node ").append(n.nodeId).append('\n').append(n.tail()).append('\n');
    }
    return sb.toString();
  }

  // ---- SQL

  /** A connection to the cluster's database. */
  Connection connect() throws SQLException {
    String url = Services.pgUrl();
    String base = url.substring(0, url.indexOf('/', "jdbc:postgresql://".length()));
    String query = url.contains("?") ? url.substring(url.indexOf('?')) : "";
    return DriverManager.getConnection(base + "/" + database + query);
  }

  /** A statement on the server's maintenance database ({@code NATTER_TEST_PG_URL}). */
  static void adminSql(String sql) {
    try (Connection c = DriverManager.getConnection(Services.pgUrl());
        Statement st = c.createStatement()) {
      st.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  /** The stored messages of a room in seq order. */
  List<Stored> messages(String roomId) {
    try (Connection c = connect();
        PreparedStatement st =
            c.prepareStatement(
                "SELECT seq, message_id, client_msg_id, body FROM natter.messages"
                    + " WHERE room_id = ? ORDER BY seq")) {
      st.setString(1, roomId);
      List<Stored> out = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(new Stored(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One stored message. */
  record Stored(long seq, String messageId, String clientMsgId, String body) {}

  /** Refuses new connections to the cluster's database and ends the open ones. */
  void cutDatabase() {
    adminSql("ALTER DATABASE " + database + " ALLOW_CONNECTIONS false");
    adminSql(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
            + database
            + "'");
  }

  void restoreDatabase() {
    adminSql("ALTER DATABASE " + database + " ALLOW_CONNECTIONS true");
  }

  @Override
  public void close() {
    if (nginx != null) {
      nginx.close();
    }
    nodes.parallelStream().forEach(NodeProcess::close);
    try {
      redisCleanUp();
    } finally {
      redisConnection.close();
      redisClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
      try {
        adminSql("ALTER DATABASE " + database + " ALLOW_CONNECTIONS true");
        adminSql("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
      } catch (RuntimeException e) {
        System.err.println("could not drop " + database + ": " + e.getMessage());
      }
      deleteDir();
    }
  }

  private void redisCleanUp() {
    try {
      List<String> keys = redis().keys(busPrefix + "*");
      if (!keys.isEmpty()) {
        redis().del(keys.toArray(String[]::new));
      }
    } catch (RuntimeException e) {
      System.err.println("could not delete the Redis keys " + busPrefix + "*: " + e.getMessage());
    }
  }

  private void deleteDir() {
    if (Boolean.getBoolean("natter.keepClusterDir")) {
      System.err.println("cluster files kept in " + dir);
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // temporary files only
    }
  }
}
