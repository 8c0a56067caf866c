package dev.natter.core.store.memory;

import dev.natter.core.model.Room;
import dev.natter.core.spi.ChatStore;
import dev.natter.core.spi.ComposedChatStore;
import dev.natter.core.spi.StoreTransfer;
import java.util.List;

/**
 * A {@link ChatStore} that keeps everything in memory, for tests, demos and embedding without a
 * database. It keeps the same invariants as a database store (unique usernames ignoring case, one
 * DM per pair, gapless per-room seq, {@code (sender, clientMsgId)} uniqueness) by doing every
 * operation under one lock. It supports export and import ({@link StoreTransfer}). Nothing survives
 * {@link #close()} or the process.
 */
public final class InMemoryChatStore extends ComposedChatStore implements StoreTransfer {
  private final MemoryState state;
  private final MemoryTransfer transfer;

  /** An empty store. */
  public InMemoryChatStore() {
    this(new MemoryState());
  }

  private InMemoryChatStore(MemoryState state) {
    super(
        new MemoryUsers(state),
        new MemorySessions(state),
        new MemoryRooms(state),
        new MemoryMemberships(state),
        new MemoryMessages(state),
        new MemorySearch(state));
    this.state = state;
    this.transfer = new MemoryTransfer(state);
  }

  /** Idempotent; afterwards every operation fails with {@code StoreFailure}. */
  @Override
  public void close() {
    state.close();
  }

  // ---- export and import

  @Override
  public List<ExportedUser> exportUsers(String afterUserId, int limit) {
    return transfer.exportUsers(afterUserId, limit);
  }

  @Override
  public List<Room> exportRooms(String afterRoomId, int limit) {
    return transfer.exportRooms(afterRoomId, limit);
  }

  @Override
  public List<ExportedMessage> exportMessages(String roomId, long afterSeq, int limit) {
    return transfer.exportMessages(roomId, afterSeq, limit);
  }

  @Override
  public void importMessages(List<ExportedMessage> messages) {
    transfer.importMessages(messages);
  }
}
