package dev.natter.store.postgres;

import dev.natter.core.model.AppendResult;
import dev.natter.core.model.Message;
import dev.natter.core.model.NewMessage;
import dev.natter.core.spi.MessageStore;
import dev.natter.core.spi.StoreErrors;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;

/**
 * The PostgreSQL store's messages: appends through the {@link AppendWriter}; edits, deletes and
 * reactions each in a transaction that locks the message ({@link MessageDao#lock}); history pages
 * as range scans of {@code (room_id, seq)}.
 */
final class PgMessages implements MessageStore {
  private final PgAccess db;
  private final AppendWriter writer;

  PgMessages(PgAccess db, AppendWriter writer) {
    this.db = db;
    this.writer = writer;
  }

  @Override
  public CompletableFuture<AppendResult> append(NewMessage message, Consumer<Message> onCommitted) {
    Objects.requireNonNull(onCommitted, "onCommitted");
    if (message.room() == null
        || message.messageId() == null
        || message.sender() == null
        || message.body() == null
        || message.ts() == null) {
      // checked here: in a batch, it would fail the batch's other appends too
      throw new NullPointerException("a message needs its room, messageId, sender, body and ts");
    }
    if (db.isClosed()) {
      return CompletableFuture.failedFuture(StoreErrors.closed());
    }
    return writer.submit(message, onCommitted);
  }

  @Override
  public Optional<Message> findMessage(String roomId, String messageId) {
    return db.read(h -> h.attach(MessageDao.class).find(roomId, messageId));
  }

  @Override
  public Message editMessage(String roomId, String messageId, String body, Instant editedAt) {
    Objects.requireNonNull(body, "body");
    long edited = Nanos.of(editedAt);
    return db.write(
        h -> {
          h.attach(MessageDao.class).edit(lockLive(h, roomId, messageId).pk(), body, edited);
          return reread(h, roomId, messageId);
        });
  }

  @Override
  public Message deleteMessage(String roomId, String messageId) {
    return db.write(
        h -> {
          Rows.MessageState state = lock(h, roomId, messageId);
          if (!state.deleted()) {
            h.attach(MessageDao.class).markDeleted(state.pk());
            h.attach(FileDao.class).deleteOfMessage(messageId);
          }
          return reread(h, roomId, messageId);
        });
  }

  @Override
  public Message react(String roomId, String messageId, String userId, String emoji, boolean on) {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(emoji, "emoji");
    return db.write(
        h -> {
          long pk = lockLive(h, roomId, messageId).pk();
          MessageDao messages = h.attach(MessageDao.class);
          if (!on) {
            messages.removeReaction(pk, emoji, userId);
          } else {
            try {
              messages.addReaction(pk, emoji, userId);
            } catch (RuntimeException e) {
              throw PgErrors.isForeignKey(e, Constraints.REACTING_USER)
                  ? StoreErrors.withCause(StoreErrors.noSuchUser(), e)
                  : e;
            }
          }
          return reread(h, roomId, messageId);
        });
  }

  private static Rows.MessageState lock(Handle h, String roomId, String messageId) {
    return h.attach(MessageDao.class)
        .lock(roomId, messageId)
        .orElseThrow(StoreErrors::noSuchMessage);
  }

  /** Locks a message that must not be deleted: a deleted message cannot be edited or reacted to. */
  private static Rows.MessageState lockLive(Handle h, String roomId, String messageId) {
    Rows.MessageState state = lock(h, roomId, messageId);
    if (state.deleted()) {
      throw StoreErrors.messageDeleted();
    }
    return state;
  }

  private static Message reread(Handle h, String roomId, String messageId) {
    return h.attach(MessageDao.class)
        .find(roomId, messageId)
        .orElseThrow(StoreErrors::noSuchMessage);
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
    List<Message> newestFirst =
        new ArrayList<>(db.read(h -> h.attach(MessageDao.class).before(roomId, before, limit)));
    Collections.reverse(newestFirst);
    return List.copyOf(newestFirst);
  }

  @Override
  public List<Message> messagesAfter(String roomId, long afterSeq, int limit) {
    if (limit <= 0) {
      db.ensureOpen();
      return List.of();
    }
    return List.copyOf(db.read(h -> h.attach(MessageDao.class).after(roomId, afterSeq, limit)));
  }
}
