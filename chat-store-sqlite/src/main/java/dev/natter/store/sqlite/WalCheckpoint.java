package dev.natter.store.sqlite;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What one {@code PRAGMA wal_checkpoint(PASSIVE)} did: it copies what it can of the write-ahead log
 * into the database without waiting for anyone.
 *
 * @param busy whether another connection held the checkpoint lock (nothing was copied)
 * @param logFrames the frames in the log
 * @param copiedFrames the frames copied into the database, now or before
 */
record WalCheckpoint(boolean busy, int logFrames, int copiedFrames) {

  /** Runs a passive checkpoint on {@code connection} (outside a transaction). */
  static WalCheckpoint passive(Connection connection) throws SQLException {
    try (Statement st = connection.createStatement();
        ResultSet result = st.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
      if (!result.next()) {
        return new WalCheckpoint(true, 0, 0);
      }
      return new WalCheckpoint(result.getInt(1) != 0, result.getInt(2), result.getInt(3));
    }
  }

  /** Whether the whole log is in the database now (a reader did not stop the copy short). */
  boolean copiedAll() {
    return !busy && copiedFrames == logFrames;
  }
}
