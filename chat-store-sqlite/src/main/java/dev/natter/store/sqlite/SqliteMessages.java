package dev.natter.store.sqlite;

import dev.natter.core.model.AppendResult;
import dev.natter.core.model.Message;
import dev.natter.core.model.NewMessage;
import dev.natter.core.spi.MessageStore;
import dev.natter.core.spi.StoreErrors;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The SQLite store's messages ({@link MessageDao}): appends through the writer's prepared {@link
 * AppendStatement}, edits, deletes and reactions (each told to the {@link SearchIndex}), and
 * history pages on the read pool.
 */
final class SqliteMessages implements MessageStore {
  private final SqliteAccess db;
  private final SearchIndex searchIndex;

  SqliteMessages(SqliteAccess db, SearchIndex searchIndex) {
    this.db = db;
    this.searchIndex = searchIndex;
  }

  @Override
  public CompletableFuture<AppendResult> append(NewMessage message, Consumer<Message> onCommitted) {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(onCommitted, "onCommitted");
    Objects.requireNonNull(message.room(), "room");
    Objects.requireNonNull(message.messageId(), "messageId");
    Objects.requireNonNull(message.sender(), "sender");
    Objects.requireNonNull(message.body(), "body");
    Objects.requireNonNull(message.ts(), "ts");
    return db.submit(new Append(message, onCommitted));
  }

  /**
   * Stores a message at its room's next seq in the batch's transaction: one INSERT ... SELECT reads
   * {@code rooms.last_seq + 1} and stores the row (or does nothing for a resend), and the trigger
   * of migration V3 advances the counter in that same statement. A broken constraint aborts the
   * statement whole, so an append needs no savepoint.
   */
  private final class Append extends GroupCommitWriter.Write<AppendResult> {
    private final NewMessage m;
    private final Consumer<Message> onCommitted;

    Append(NewMessage m, Consumer<Message> onCommitted) {
      this.m = m;
      this.onCommitted = onCommitted;
    }

    /** With files, the append is two statements: a savepoint undoes the first if one fails. */
    @Override
    boolean selfContained() {
      return m.files().isEmpty();
    }

    @Override
    AppendResult run(WriteContext c) throws SQLException {
      long ts = Times.toNanos(m.ts());
      OptionalLong seq;
      try {
        seq =
            c.append.insert(
                m.room(),
                m.messageId(),
                m.sender().id(),
                m.clientMsgId(),
                m.body(),
                m.replyTo(),
                ts);
      } catch (SQLException e) {
        // The room exists (else nothing is inserted): a missing sender or a taken message id.
        if (SqlErrors.isForeignKey(e)) {
          throw StoreErrors.withCause(StoreErrors.noSuchUser(), e);
        }
        if (SqlErrors.isUnique(e)) {
          throw StoreErrors.withCause(StoreErrors.messageIdTaken(), e);
        }
        throw e;
      }
      if (seq.isPresent()) {
        attachFiles(c);
        return new AppendResult(m.stored(seq.getAsLong()), false);
      }
      if (m.clientMsgId() != null) {
        Optional<Rows.MessageRow> original =
            c.messages.findByClientMsgId(m.sender().id(), m.clientMsgId());
        if (original.isPresent()) {
          return new AppendResult(original.get().toMessage(), true);
        }
      }
      throw StoreErrors.noSuchRoom();
    }

    private void attachFiles(WriteContext c) {
      if (m.files().isEmpty()) {
        return;
      }
      FileDao files = c.handle.attach(FileDao.class);
      for (int i = 0; i < m.files().size(); i++) {
        String id = m.files().get(i).id();
        if (files.attach(id, m.room(), m.sender().id(), m.messageId(), i) != 1) {
          throw StoreErrors.fileNotAttachable(id);
        }
      }
    }

    @Override
    void afterCommit(AppendResult result) {
      if (!result.duplicate()) {
        searchIndex.poke();
        onCommitted.accept(result.message());
      }
    }
  }

  @Override
  public Optional<Message> findMessage(String roomId, String messageId) {
    return db.read(
        h -> h.attach(MessageDao.class).find(roomId, messageId).map(Rows.MessageRow::toMessage));
  }

  @Override
  public Message editMessage(String roomId, String messageId, String body, Instant editedAt) {
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(editedAt, "editedAt");
    Message edited =
        db.write(
            c -> {
              Rows.MessageRow row = requireLive(c.messages, roomId, messageId);
              c.messages.edit(row.rowid(), body, Times.toNanos(editedAt));
              return reread(c.messages, roomId, messageId);
            });
    searchIndex.poke();
    return edited;
  }

  @Override
  public Message deleteMessage(String roomId, String messageId) {
    Message deleted =
        db.write(
            c -> {
              Rows.MessageRow row = require(c.messages, roomId, messageId);
              if (!row.deleted()) {
                c.messages.markDeleted(row.rowid());
                c.messages.deleteReactions(row.rowid());
                c.handle.attach(FileDao.class).deleteOfMessage(messageId);
              }
              return reread(c.messages, roomId, messageId);
            });
    searchIndex.poke();
    return deleted;
  }

  /** A reaction by a missing user breaks a foreign key. */
  @Override
  public Message react(String roomId, String messageId, String userId, String emoji, boolean on) {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(emoji, "emoji");
    return db.write(
        c -> {
          Rows.MessageRow row = requireLive(c.messages, roomId, messageId);
          if (on) {
            try {
              c.messages.addReaction(row.rowid(), emoji, userId);
            } catch (RuntimeException e) {
              throw SqlErrors.isForeignKey(e)
                  ? StoreErrors.withCause(StoreErrors.noSuchUser(), e)
                  : e;
            }
          } else {
            c.messages.removeReaction(row.rowid(), emoji, userId);
          }
          return reread(c.messages, roomId, messageId);
        });
  }

  private static Rows.MessageRow require(MessageDao messages, String roomId, String messageId) {
    return messages.find(roomId, messageId).orElseThrow(StoreErrors::noSuchMessage);
  }

  /** A message that exists and is not deleted: a deleted message cannot be edited or reacted to. */
  private static Rows.MessageRow requireLive(MessageDao messages, String roomId, String messageId) {
    Rows.MessageRow row = require(messages, roomId, messageId);
    if (row.deleted()) {
      throw StoreErrors.messageDeleted();
    }
    return row;
  }

  private static Message reread(MessageDao messages, String roomId, String messageId) {
    return require(messages, roomId, messageId).toMessage();
  }

  @Override
  public long lastSeq(String roomId) {
    return db.read(h -> h.attach(RoomDao.class).lastSeq(roomId).orElse(0L));
  }

  @Override
  public List<Message> messagesBefore(String roomId, Long beforeSeq, int limit) {
    if (limit <= 0) {
      db.ensureOpen();
      return List.of();
    }
    long before = beforeSeq == null ? Long.MAX_VALUE : beforeSeq;
    return db.read(
        h -> {
          List<Rows.MessageRow> rows =
              new ArrayList<>(h.attach(MessageDao.class).before(roomId, before, limit));
          Collections.reverse(rows);
          return toMessages(rows);
        });
  }

  @Override
  public List<Message> messagesAfter(String roomId, long afterSeq, int limit) {
    if (limit <= 0) {
      db.ensureOpen();
      return List.of();
    }
    return db.read(h -> toMessages(h.attach(MessageDao.class).after(roomId, afterSeq, limit)));
  }

  private static List<Message> toMessages(List<Rows.MessageRow> rows) {
    List<Message> out = new ArrayList<>(rows.size());
    for (Rows.MessageRow row : rows) {
      out.add(row.toMessage());
    }
    return List.copyOf(out);
  }
}
