package dev.natter.core.spi;

/**
 * Where Natter keeps everything: the source of truth behind every guarantee. It is the sum of its
 * roles, each a small interface: {@link UserStore}, {@link SessionStore}, {@link RoomStore}, {@link
 * MembershipStore}, {@link MessageStore}, {@link MessageSearch} and {@link FileStore}. A store that
 * can also move everything it holds to another store implements {@link StoreTransfer} too.
 *
 * <p>Implementations must be thread-safe and pass the store contract suite (one abstract contract
 * per role in chat-core's test-jar, package {@code dev.natter.core.store}).
 *
 * <p>The store trusts its caller (the engine) for authorization and validation; it enforces the
 * invariants that need a transaction: unique usernames (case-insensitive), one DM per pair of
 * users, gapless per-room seq assigned in the commit, and {@code (sender, clientMsgId)} uniqueness.
 *
 * <p>Methods other than {@link #append} are synchronous: when they return, the change is committed.
 * Failures are reported as {@link dev.natter.core.ChatException} subclasses ({@code Conflict} for a
 * broken uniqueness rule, {@code NotFound} for a missing user, room or message, {@code
 * StoreFailure} for anything else), with the store-independent messages of {@link StoreErrors}.
 */
public interface ChatStore
    extends UserStore,
        SessionStore,
        RoomStore,
        MembershipStore,
        MessageStore,
        MessageSearch,
        FileStore,
        AutoCloseable {

  /**
   * Flushes pending writes and releases resources. Idempotent; afterwards every call fails with
   * {@link StoreErrors#closed()}.
   */
  @Override
  void close();
}
