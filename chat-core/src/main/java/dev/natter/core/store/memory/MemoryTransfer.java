package dev.natter.core.store.memory;

import static dev.natter.core.store.memory.MemoryState.BY_CODE_POINT;

import dev.natter.core.model.Message;
import dev.natter.core.model.Room;
import dev.natter.core.spi.StoreErrors;
import dev.natter.core.spi.StoreTransfer;
import dev.natter.core.store.memory.MemoryState.ClientKey;
import dev.natter.core.store.memory.MemoryState.RoomRow;
import dev.natter.core.store.memory.MemoryState.UserRow;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The in-memory store's export and import. */
final class MemoryTransfer implements StoreTransfer {
  private final MemoryState state;

  MemoryTransfer(MemoryState state) {
    this.state = state;
  }

  @Override
  public List<ExportedUser> exportUsers(String afterUserId, int limit) {
    return state.call(
        () ->
            state.users.values().stream()
                .filter(
                    row ->
                        afterUserId == null
                            || BY_CODE_POINT.compare(row.user.id(), afterUserId) > 0)
                .sorted(Comparator.comparing((UserRow row) -> row.user.id(), BY_CODE_POINT))
                .limit(Math.max(0, limit))
                .map(row -> new ExportedUser(row.user, row.hash, row.createdAt, row.lastSeen))
                .toList());
  }

  @Override
  public List<Room> exportRooms(String afterRoomId, int limit) {
    return state.call(
        () ->
            state.rooms.values().stream()
                .map(row -> row.room)
                .filter(
                    room ->
                        afterRoomId == null || BY_CODE_POINT.compare(room.id(), afterRoomId) > 0)
                .sorted(Comparator.comparing(Room::id, BY_CODE_POINT))
                .limit(Math.max(0, limit))
                .toList());
  }

  @Override
  public List<ExportedMessage> exportMessages(String roomId, long afterSeq, int limit) {
    return state.call(
        () -> {
          RoomRow row = state.rooms.get(roomId);
          if (row == null || limit <= 0) {
            return List.of();
          }
          long start = Math.max(0, afterSeq);
          long end = Math.min(row.messages.size(), start + limit);
          List<ExportedMessage> out = new ArrayList<>();
          for (long i = start; i < end; i++) {
            StoredMessage m = row.messages.get((int) i);
            out.add(new ExportedMessage(m.snapshot(), m.clientMsgId));
          }
          return List.copyOf(out);
        });
  }

  /** Checks every message first, then stores them all, so a failure leaves nothing behind. */
  @Override
  public void importMessages(List<ExportedMessage> messages) {
    List<ExportedMessage> batch = List.copyOf(messages);
    state.run(
        () -> {
          check(batch);
          batch.forEach(this::store);
        });
  }

  /** Checks each message in the order {@link StoreTransfer#importMessages} gives. */
  private void check(List<ExportedMessage> batch) {
    Map<String, Long> nextSeq = new HashMap<>();
    Set<String> messageIds = new HashSet<>();
    Set<ClientKey> clientKeys = new HashSet<>();
    for (ExportedMessage e : batch) {
      Message m = e.message();
      RoomRow row = state.requireRoom(m.room());
      long next = nextSeq.getOrDefault(row.room.id(), row.messages.size() + 1L);
      if (m.seq() != next) {
        throw StoreErrors.seqNotNext(m.seq(), next);
      }
      nextSeq.put(row.room.id(), next + 1);
      if (state.messagesById.containsKey(m.messageId()) || !messageIds.add(m.messageId())) {
        throw StoreErrors.messageIdTaken();
      }
      if (e.clientMsgId() != null) {
        ClientKey key = new ClientKey(m.sender().id(), e.clientMsgId());
        if (state.messagesByClientKey.containsKey(key) || !clientKeys.add(key)) {
          throw StoreErrors.clientMsgIdTaken();
        }
      }
      state.requireUser(m.sender().id());
      m.reactions().values().forEach(reactors -> reactors.forEach(state::requireUser));
      m.mentions().forEach(state::requireUser);
    }
  }

  private void store(ExportedMessage e) {
    Message m = e.message();
    RoomRow row = state.rooms.get(m.room());
    StoredMessage stored =
        new StoredMessage(
            row.room.id(),
            m.seq(),
            m.messageId(),
            state.users.get(m.sender().id()).user,
            e.clientMsgId(),
            m.body(),
            m.replyTo(),
            m.ts());
    stored.editedAt = m.editedAt();
    stored.deleted = m.deleted();
    stored.mentions = m.mentions();
    m.reactions().forEach((emoji, reactors) -> reactors.forEach(u -> stored.react(u, emoji, true)));
    row.messages.add(stored);
    state.messagesById.put(stored.messageId, stored);
    if (e.clientMsgId() != null) {
      state.messagesByClientKey.put(new ClientKey(m.sender().id(), e.clientMsgId()), stored);
    }
  }
}
