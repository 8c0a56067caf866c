package dev.natter.store.sqlite;

import java.sql.SQLException;
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
}
