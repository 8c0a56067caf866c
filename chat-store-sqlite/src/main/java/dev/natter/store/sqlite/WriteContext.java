package dev.natter.store.sqlite;

import java.sql.Connection;
import java.sql.SQLException;
import org.jdbi.v3.core.ConnectionFactory;
import org.jdbi.v3.core.Handle;

/** What a write sees on the writer thread: the writer's handle and DAOs bound to it. */
final class WriteContext {
  final Handle handle;
  final UserDao users;
  final RoomDao rooms;
  final MessageDao messages;
  final AppendStatement append;

  WriteContext(Handle handle) throws SQLException {
    this.handle = handle;
    this.users = handle.attach(UserDao.class);
    this.rooms = handle.attach(RoomDao.class);
    this.messages = handle.attach(MessageDao.class);
    this.append = new AppendStatement(handle.getConnection());
  }

  /** The writer's context on a (new) writer connection, which the writer owns and closes. */
  static WriteContext on(Connection connection) throws SQLException {
    ConnectionFactory theWriters =
        new ConnectionFactory() {
          @Override
          public Connection openConnection() {
            return connection;
          }

          @Override
          public void closeConnection(Connection c) {
            // The writer owns the connection and closes it.
          }
        };
    return new WriteContext(SqliteAccess.jdbi(theWriters).open());
  }
}
