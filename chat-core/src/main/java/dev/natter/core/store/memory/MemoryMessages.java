package dev.natter.core.store.memory;

import dev.natter.core.ChatException;
import dev.natter.core.model.AppendResult;
import dev.natter.core.model.FileInfo;
import dev.natter.core.model.Message;
import dev.natter.core.model.NewMessage;
import dev.natter.core.model.StoredFile;
import dev.natter.core.spi.MessageStore;
import dev.natter.core.spi.StoreErrors;
import dev.natter.core.store.memory.MemoryState.ClientKey;
import dev.natter.core.store.memory.MemoryState.RoomRow;
import dev.natter.core.store.memory.MemoryState.UserRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** The in-memory store's messages: append with the room's next seq, edits, reactions, history. */
final class MemoryMessages implements MessageStore {
  private static final System.Logger LOG = System.getLogger(InMemoryChatStore.class.getName());

  private final MemoryState state;

  MemoryMessages(MemoryState state) {
    this.state = state;
  }

  @Override
  public CompletableFuture<AppendResult> append(NewMessage message, Consumer<Message> onCommitted) {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(onCommitted, "onCommitted");
    Objects.requireNonNull(message.messageId(), "messageId");
    Objects.requireNonNull(message.sender(), "sender");
    Objects.requireNonNull(message.body(), "body");
    Objects.requireNonNull(message.ts(), "ts");
    AppendResult result;
    try {
      result = state.call(() -> appendLocked(message, onCommitted));
    } catch (ChatException e) {
      return CompletableFuture.failedFuture(e);
    }
    // Completed outside the lock, so dependent stages never run while holding it.
    return CompletableFuture.completedFuture(result);
  }

  private AppendResult appendLocked(NewMessage message, Consumer<Message> onCommitted) {
    ClientKey key =
        message.clientMsgId() == null
            ? null
            : new ClientKey(message.sender().id(), message.clientMsgId());
    if (key != null) {
      StoredMessage original = state.messagesByClientKey.get(key);
      if (original != null) {
        return new AppendResult(original.snapshot(), true);
      }
    }
    RoomRow row = state.requireRoom(message.room());
    UserRow sender = state.requireUser(message.sender().id());
    if (state.messagesById.containsKey(message.messageId())) {
      throw StoreErrors.messageIdTaken();
    }
    for (FileInfo file : message.files()) {
      StoredFile f = state.files.get(file.id());
      if (f == null
          || f.messageId() != null
          || !f.roomId().equals(row.room.id())
          || !f.uploaderId().equals(sender.user.id())) {
        throw StoreErrors.fileNotAttachable(file.id());
      }
    }
    StoredMessage stored =
        new StoredMessage(
            row.room.id(),
            row.messages.size() + 1L,
            message.messageId(),
            sender.user,
            message.clientMsgId(),
            message.body(),
            message.replyTo(),
            message.ts());
    for (FileInfo file : message.files()) {
      StoredFile f = state.files.get(file.id());
      state.files.put(f.id(), f.attachedTo(stored.messageId));
      stored.files.add(f.info());
    }
    row.messages.add(stored);
    state.messagesById.put(stored.messageId, stored);
    if (key != null) {
      state.messagesByClientKey.put(key, stored);
    }
    // Committed. The callback runs under the lock: in seq order, never concurrently.
    Message committed = stored.snapshot();
    try {
      onCommitted.accept(committed);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "onCommitted failed for " + committed.messageId(), e);
    }
    return new AppendResult(committed, false);
  }

  @Override
  public Optional<Message> findMessage(String roomId, String messageId) {
    return state.call(
        () -> {
          StoredMessage m = state.messagesById.get(messageId);
          return m == null || !m.roomId.equals(roomId)
              ? Optional.empty()
              : Optional.of(m.snapshot());
        });
  }

  @Override
  public Message editMessage(String roomId, String messageId, String body, Instant editedAt) {
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(editedAt, "editedAt");
    return state.call(
        () -> {
          StoredMessage m = state.requireLiveMessage(roomId, messageId);
          m.body = body;
          m.editedAt = editedAt;
          return m.snapshot();
        });
  }

  @Override
  public Message deleteMessage(String roomId, String messageId) {
    return state.call(
        () -> {
          StoredMessage m = state.requireMessage(roomId, messageId);
          m.files.forEach(f -> state.files.remove(f.id()));
          m.markDeleted();
          return m.snapshot();
        });
  }

  @Override
  public Message react(String roomId, String messageId, String userId, String emoji, boolean on) {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(emoji, "emoji");
    return state.call(
        () -> {
          StoredMessage m = state.requireLiveMessage(roomId, messageId);
          if (on) {
            state.requireUser(userId);
          }
          m.react(userId, emoji, on);
          return m.snapshot();
        });
  }

  @Override
  public long lastSeq(String roomId) {
    return state.call(
        () -> {
          RoomRow row = state.rooms.get(roomId);
          return row == null ? 0L : row.messages.size();
        });
  }

  @Override
  public List<Message> messagesBefore(String roomId, Long beforeSeq, int limit) {
    return state.call(
        () -> {
          RoomRow row = state.rooms.get(roomId);
          if (row == null || limit <= 0) {
            return List.of();
          }
          // Messages with seq < beforeSeq are those at indexes [0, beforeSeq - 1).
          long end =
              beforeSeq == null
                  ? row.messages.size()
                  : Math.min(row.messages.size(), beforeSeq - 1);
          long start = Math.max(0, end - limit);
          return slice(row, start, end);
        });
  }

  @Override
  public List<Message> messagesAfter(String roomId, long afterSeq, int limit) {
    return state.call(
        () -> {
          RoomRow row = state.rooms.get(roomId);
          if (row == null || limit <= 0) {
            return List.of();
          }
          // Messages with seq > afterSeq start at index afterSeq.
          long start = Math.max(0, afterSeq);
          long end = Math.min(row.messages.size(), start + limit);
          return slice(row, start, end);
        });
  }

  private static List<Message> slice(RoomRow row, long start, long end) {
    if (start >= end) {
      return List.of();
    }
    List<Message> out = new ArrayList<>((int) (end - start));
    for (int i = (int) start; i < end; i++) {
      out.add(row.messages.get(i).snapshot());
    }
    return List.copyOf(out);
  }
}
