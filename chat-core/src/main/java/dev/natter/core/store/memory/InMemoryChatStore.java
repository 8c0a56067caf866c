package dev.natter.core.store.memory;

import dev.natter.core.spi.ChatStore;
import dev.natter.core.spi.ComposedTransferStore;
import dev.natter.core.spi.StoreTransfer;

/**
 * A {@link ChatStore} that keeps everything in memory, for tests, demos and embedding without a
 * database. It keeps the same invariants as a database store (unique usernames ignoring case, one
 * DM per pair, gapless per-room seq, {@code (sender, clientMsgId)} uniqueness) by doing every
 * operation under one lock. It keeps file metadata (the bytes are a {@code BlobStore}'s) and
 * supports export and import ({@link StoreTransfer}). Nothing survives {@link #close()} or the
 * process.
 */
public final class InMemoryChatStore extends ComposedTransferStore {
  private final MemoryState state;

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
        new MemorySearch(state),
        new MemoryFiles(state),
        new MemoryTransfer(state));
    this.state = state;
  }

  /** Idempotent; afterwards every operation fails with {@code StoreFailure}. */
  @Override
  public void close() {
    state.close();
  }
}
