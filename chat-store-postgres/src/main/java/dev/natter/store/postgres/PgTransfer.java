package dev.natter.store.postgres;

import dev.natter.core.model.Message;
import dev.natter.core.model.Room;
import dev.natter.core.spi.StoreErrors;
import dev.natter.core.spi.StoreTransfer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/** The PostgreSQL store's export and import ({@link ExportDao}). */
final class PgTransfer implements StoreTransfer {
  private final PgAccess db;

  PgTransfer(PgAccess db) {
    this.db = db;
  }

  @Override
  public List<ExportedUser> exportUsers(String afterUserId, int limit) {
    if (limit <= 0) {
      db.ensureOpen();
      return List.of();
    }
    String after = afterUserId == null ? "" : afterUserId;
    return db.read(h -> List.copyOf(h.attach(ExportDao.class).users(after, limit)));
  }

  @Override
  public List<Room> exportRooms(String afterRoomId, int limit) {
    if (limit <= 0) {
      db.ensureOpen();
      return List.of();
    }
    String after = afterRoomId == null ? "" : afterRoomId;
    return db.read(h -> List.copyOf(h.attach(ExportDao.class).rooms(after, limit)));
  }

  @Override
  public List<ExportedMessage> exportMessages(String roomId, long afterSeq, int limit) {
    if (limit <= 0) {
      db.ensureOpen();
      return List.of();
    }
    return db.read(h -> List.copyOf(h.attach(ExportDao.class).messages(roomId, afterSeq, limit)));
  }

  /**
   * One transaction. Each room's row is locked the first time one of its messages comes (so no
   * append can take a seq meanwhile) and its counter set once at the end; the constraints' names
   * tell which rule a message broke, in the order {@link StoreTransfer#importMessages} gives.
   */
  @Override
  public void importMessages(List<ExportedMessage> messages) {
    List<ExportedMessage> batch = List.copyOf(messages);
    if (batch.isEmpty()) {
      db.ensureOpen();
      return;
    }
    db.write(
        h -> {
          ExportDao dao = h.attach(ExportDao.class);
          Map<String, Long> lastSeqs = new HashMap<>();
          for (ExportedMessage e : batch) {
            Message m = e.message();
            Long last = lastSeqs.get(m.room());
            if (last == null) {
              last = dao.lockLastSeq(m.room()).orElseThrow(StoreErrors::noSuchRoom);
            }
            if (m.seq() != last + 1) {
              throw StoreErrors.seqNotNext(m.seq(), last + 1);
            }
            insert(h, dao, e);
            lastSeqs.put(m.room(), m.seq());
          }
          lastSeqs.forEach(dao::setLastSeq);
          return null;
        });
  }

  private static void insert(Handle h, ExportDao dao, ExportedMessage e) {
    Message m = e.message();
    long pk;
    try {
      pk =
          dao.insertMessage(
              m.room(),
              m.seq(),
              m.messageId(),
              m.sender().id(),
              e.clientMsgId(),
              m.body(),
              m.replyTo(),
              Nanos.of(m.ts()),
              Nanos.ofNullable(m.editedAt()),
              m.deleted());
    } catch (RuntimeException x) {
      if (PgErrors.isUnique(x, Constraints.MESSAGE_ID)) {
        throw StoreErrors.withCause(StoreErrors.messageIdTaken(), x);
      }
      if (PgErrors.isUnique(x, Constraints.CLIENT_MSG_ID)) {
        throw StoreErrors.withCause(StoreErrors.clientMsgIdTaken(), x);
      }
      throw missingUser(x, Constraints.MESSAGE_SENDER);
    }
    PgMessages.storeMentions(
        h.attach(MessageDao.class), pk, e.message().mentions().toArray(String[]::new));
    List<String> emojis = new ArrayList<>();
    List<String> userIds = new ArrayList<>();
    List<Integer> positions = new ArrayList<>();
    int position = 0;
    for (Map.Entry<String, List<String>> r : m.reactions().entrySet()) {
      position++;
      for (String userId : r.getValue()) {
        emojis.add(r.getKey());
        userIds.add(userId);
        positions.add(position);
      }
    }
    if (emojis.isEmpty()) {
      return;
    }
    try {
      dao.insertReactions(
          pk,
          emojis.toArray(String[]::new),
          userIds.toArray(String[]::new),
          positions.toArray(Integer[]::new));
    } catch (RuntimeException x) {
      throw missingUser(x, Constraints.REACTING_USER);
    }
  }

  /** {@link StoreErrors#noSuchUser()} if {@code x} broke {@code foreignKey}, else {@code x}. */
  private static RuntimeException missingUser(RuntimeException x, String foreignKey) {
    return PgErrors.isForeignKey(x, foreignKey)
        ? StoreErrors.withCause(StoreErrors.noSuchUser(), x)
        : x;
  }
}
