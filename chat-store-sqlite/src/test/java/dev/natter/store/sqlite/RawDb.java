package dev.natter.store.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Plain JDBC on a database file, for checking what the store wrote without going through it. */
final class RawDb implements AutoCloseable {
  final Connection connection;

  RawDb(Path file) throws SQLException {
    this.connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
  }

  /** The result of {@code PRAGMA integrity_check}: "ok" for a sound file. */
  String integrityCheck() throws SQLException {
    return strings("PRAGMA integrity_check").get(0);
  }

  List<String> strings(String sql, Object... args) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement st = prepare(sql, args);
        ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  /** The details of {@code EXPLAIN QUERY PLAN sql}, joined with " | ". */
  String queryPlan(String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery("EXPLAIN QUERY PLAN " + sql)) {
      while (rs.next()) {
        out.add(rs.getString("detail"));
      }
    }
    return String.join(" | ", out);
  }

  List<Long> longs(String sql, Object... args) throws SQLException {
    List<Long> out = new ArrayList<>();
    try (PreparedStatement st = prepare(sql, args);
        ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        out.add(rs.getLong(1));
      }
    }
    return out;
  }

  long count(String sql, Object... args) throws SQLException {
    return longs(sql, args).get(0);
  }

  void execute(String sql, Object... args) throws SQLException {
    try (PreparedStatement st = prepare(sql, args)) {
      st.execute();
    }
  }

  void script(String... statements) throws SQLException {
    try (Statement st = connection.createStatement()) {
      for (String sql : statements) {
        st.execute(sql);
      }
    }
  }

  private PreparedStatement prepare(String sql, Object... args) throws SQLException {
    PreparedStatement st = connection.prepareStatement(sql);
    for (int i = 0; i < args.length; i++) {
      st.setObject(i + 1, args[i]);
    }
    return st;
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
