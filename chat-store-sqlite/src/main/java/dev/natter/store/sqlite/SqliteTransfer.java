package dev.natter.store.sqlite;

import dev.natter.core.model.Message;
import dev.natter.core.model.Room;
import dev.natter.core.spi.StoreErrors;
import dev.natter.core.spi.StoreTransfer;
import java.util.List;
import java.util.Map;

/** The SQLite store's export and import ({@link ExportDao}). */
final class SqliteTransfer implements StoreTransfer {
  private final SqliteAccess db;
  private final SearchIndex searchIndex;

  SqliteTransfer(SqliteAccess db, SearchIndex searchIndex) {
    this.db = db;
    this.searchIndex = searchIndex;
  }

  @Override
  public List<ExportedUser> exportUsers(String afterUserId, int limit) {
    if (limit <= 0) {
      db.ensureOpen();
      return List.of();
    }
    return db.read(
        h -> {
          ExportDao export = h.attach(ExportDao.class);
          return List.copyOf(
              afterUserId == null
                  ? export.firstUsers(limit)
                  : export.usersAfter(afterUserId, limit));
        });
  }

  @Override
  public List<Room> exportRooms(String afterRoomId, int limit) {
    if (limit <= 0) {
      db.ensureOpen();
      return List.of();
    }
    return db.read(
        h -> {
          ExportDao export = h.attach(ExportDao.class);
          return List.copyOf(
              afterRoomId == null
                  ? export.firstRooms(limit)
                  : export.roomsAfter(afterRoomId, limit));
        });
  }

  @Override
  public List<ExportedMessage> exportMessages(String roomId, long afterSeq, int limit) {
    if (limit <= 0) {
      db.ensureOpen();
      return List.of();
    }
    return db.read(
        h -> List.copyOf(h.attach(ExportDao.class).messagesAfter(roomId, afterSeq, limit)));
  }

  /**
   * One write, so one transaction (its savepoint undoes the whole list on a failure). Each message
   * is checked against its room's last seq first; then taken ids break a unique key and missing
   * senders or reacting users a foreign key, which are reported as {@link
   * StoreTransfer#importMessages} orders them.
   */
  @Override
  public void importMessages(List<ExportedMessage> messages) {
    List<ExportedMessage> batch = List.copyOf(messages);
    if (batch.isEmpty()) {
      db.ensureOpen();
      return;
    }
    db.write(
        c -> {
          ExportDao export = c.handle.attach(ExportDao.class);
          for (ExportedMessage e : batch) {
            insert(c, export, e);
          }
          return null;
        });
    searchIndex.poke();
  }

  private static void insert(WriteContext c, ExportDao export, ExportedMessage e) {
    Message m = e.message();
    long next = c.rooms.lastSeq(m.room()).orElseThrow(StoreErrors::noSuchRoom) + 1;
    if (m.seq() != next) {
      throw StoreErrors.seqNotNext(m.seq(), next);
    }
    long rowid;
    try {
      rowid =
          export.insertMessage(
              m.room(),
              m.seq(),
              m.messageId(),
              m.sender().id(),
              e.clientMsgId(),
              m.body(),
              m.replyTo(),
              Times.toNanos(m.ts()),
              Times.toNanosOrNull(m.editedAt()),
              m.deleted());
    } catch (RuntimeException x) {
      if (SqlErrors.isUnique(x)) {
        boolean idTaken = c.messages.messageIdExists(m.messageId());
        throw StoreErrors.withCause(
            idTaken ? StoreErrors.messageIdTaken() : StoreErrors.clientMsgIdTaken(), x);
      }
      throw SqlErrors.isForeignKey(x) ? StoreErrors.withCause(StoreErrors.noSuchUser(), x) : x;
    }
    SqliteMessages.storeMentions(c.messages, rowid, m.mentions());
    int emojiPos = 0;
    for (Map.Entry<String, List<String>> r : m.reactions().entrySet()) {
      emojiPos++;
      for (String userId : r.getValue()) {
        try {
          export.insertReaction(rowid, r.getKey(), userId, emojiPos);
        } catch (RuntimeException x) {
          throw SqlErrors.isForeignKey(x) ? StoreErrors.withCause(StoreErrors.noSuchUser(), x) : x;
        }
      }
    }
  }
}
