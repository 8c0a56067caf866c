package dev.natter.core.spi;

import dev.natter.core.model.AppendResult;
import dev.natter.core.model.AuthSession;
import dev.natter.core.model.Credentials;
import dev.natter.core.model.Membership;
import dev.natter.core.model.Message;
import dev.natter.core.model.NewMessage;
import dev.natter.core.model.NewRoom;
import dev.natter.core.model.Role;
import dev.natter.core.model.Room;
import dev.natter.core.model.RoomSummary;
import dev.natter.core.model.SearchHit;
import dev.natter.core.model.User;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Where Natter keeps everything: the source of truth behind every guarantee. Implementations must
 * be thread-safe and pass the store contract suite ({@code ChatStoreContract} in chat-core's
 * test-jar).
 *
 * <p>The store trusts its caller (the engine) for authorization and validation; it enforces the
 * invariants that need a transaction: unique usernames (case-insensitive), one DM per pair of
 * users, gapless per-room seq assigned in the commit, and {@code (sender, clientMsgId)} uniqueness.
 *
 * <p>Methods other than {@link #append} are synchronous: when they return, the change is committed.
 * Failures are reported as {@link dev.natter.core.ChatException} subclasses ({@code Conflict} for a
 * broken uniqueness rule, {@code NotFound} for a missing room or message, {@code StoreFailure} for
 * anything else).
 */
public interface ChatStore extends AutoCloseable {

  // ---- users and sessions

  /**
   * Creates a user. Usernames are unique ignoring case.
   *
   * @throws dev.natter.core.ChatException.Conflict if the username is taken
   */
  void createUser(User user, String passwordHash, Instant createdAt);

  /** Finds a user by username, ignoring case, with the stored password hash. */
  Optional<Credentials> findCredentials(String username);

  Optional<User> findUser(String userId);

  /**
   * The users among {@code userIds} that exist, each once, in no particular order; unknown ids are
   * left out, and an empty collection finds nobody. For the engine's batch look-ups (a connection's
   * contacts). The default calls {@link #findUser} once per distinct id; a store that can should
   * override it with one query.
   */
  default List<User> findUsers(Collection<String> userIds) {
    List<User> found = new ArrayList<>();
    for (String userId : new LinkedHashSet<>(userIds)) {
      findUser(userId).ifPresent(found::add);
    }
    return found;
  }

  /** Replaces a user's password hash; false if there is no such user. */
  boolean updatePasswordHash(String userId, String passwordHash);

  /**
   * Users whose username or display name contains {@code query} (ignoring case), ordered by
   * username, at most {@code limit}.
   */
  List<User> searchUsers(String query, int limit);

  void createSession(AuthSession session);

  Optional<AuthSession> findSession(String sessionId);

  /** Deletes a session; false if there was none. */
  boolean deleteSession(String sessionId);

  /** Deletes every session of a user (after a password reset), returning their ids. */
  List<String> deleteSessionsOf(String userId);

  /** Records when a user was last online. */
  void updateLastSeen(String userId, Instant lastSeen);

  Optional<Instant> lastSeen(String userId);

  // ---- rooms and memberships

  /**
   * Creates a room with its first members in one transaction.
   *
   * @throws dev.natter.core.ChatException.Conflict if the id exists
   */
  void createRoom(NewRoom newRoom);

  /**
   * Finds the DM with {@code newRoom.room().dmKey()} or creates it with the given members, in one
   * transaction: concurrent callers for the same pair get the same room.
   *
   * @return the DM that exists now, and whether this call created it
   */
  DmResult findOrCreateDm(NewRoom newRoom);

  /** The outcome of {@link #findOrCreateDm}. */
  record DmResult(Room room, boolean created) {}

  Optional<Room> findRoom(String roomId);

  Optional<Membership> findMembership(String roomId, String userId);

  /** Adds a member with a role, read marker at 0; false if already a member. */
  boolean addMember(String roomId, String userId, Role role, Instant joinedAt);

  /** Removes a member; false if not a member. */
  boolean removeMember(String roomId, String userId);

  /**
   * Changes a member's role, keeping their read marker and {@code joinedAt}; false if the user is
   * not a member of the room (or there is no such room).
   *
   * <p>The default is not atomic: it removes the member and adds them back with the new role, their
   * {@code joinedAt} and read marker, so for a moment they are not a member. A store should
   * override it with one update.
   */
  default boolean updateRole(String roomId, String userId, Role role) {
    Objects.requireNonNull(role, "role");
    Optional<Membership> before = findMembership(roomId, userId);
    if (before.isEmpty()) {
      return false;
    }
    Membership m = before.get();
    if (m.role() == role) {
      return true;
    }
    if (!removeMember(roomId, userId)) {
      return false;
    }
    addMember(roomId, userId, role, m.joinedAt());
    if (m.lastReadSeq() > 0) {
      markRead(roomId, userId, m.lastReadSeq());
    }
    return true;
  }

  /**
   * The memberships of a room, longest-standing first: by {@code joinedAt}, members who joined at
   * the same instant by username (as {@link #members}). Empty if there is no such room. The default
   * calls {@link #findMembership} for each of {@link #members}; a store should override it with one
   * query.
   */
  default List<Membership> memberships(String roomId) {
    List<Membership> found = new ArrayList<>();
    for (User member : members(roomId)) {
      findMembership(roomId, member.id()).ifPresent(found::add);
    }
    found.sort(Comparator.comparing(Membership::joinedAt)); // stable: ties keep username order
    return found;
  }

  /** The members of a room, ordered by username. */
  List<User> members(String roomId);

  /** The ids of the rooms a user is a member of. */
  List<String> roomIdsOf(String userId);

  /**
   * The summaries of every room the user is a member of, most recently active first (by the last
   * message's ts, else the room's creation).
   */
  List<RoomSummary> roomSummaries(String userId);

  /** The summary of one room as {@code userId} sees it, if they are a member. */
  Optional<RoomSummary> roomSummary(String roomId, String userId);

  /**
   * Public group rooms the user is not a member of, ordered by name; in these summaries {@code
   * myRole} is null and {@code unread} and {@code lastReadSeq} are 0.
   */
  List<RoomSummary> publicRoomsNotJoinedBy(String userId);

  /** The ids of every user who shares at least one room with {@code userId} (excluding them). */
  List<String> contactsOf(String userId);

  // ---- messages

  /**
   * Appends a message, assigning the room's next seq in the same transaction that stores it.
   *
   * <p>If {@code (sender, clientMsgId)} is already stored, nothing is written and the future
   * completes with the original message and {@code duplicate = true}.
   *
   * <p>{@code onCommitted} is called once for a newly stored message, after its commit and before
   * the future completes, on the store's committing thread, in seq order for each room (and never
   * concurrently for one room). It must not block. It is not called for duplicates or failures.
   *
   * <p>The future completes only after the commit; if the commit fails it completes exceptionally
   * and nothing of the message is stored. Failures (a missing room: {@code NotFound}; a closed
   * store) fail the future rather than throw.
   */
  CompletableFuture<AppendResult> append(NewMessage message, Consumer<Message> onCommitted);

  Optional<Message> findMessage(String roomId, String messageId);

  /**
   * Replaces a message's body and sets {@code editedAt}; returns the updated message. {@code
   * NotFound} if the message is missing or deleted.
   */
  Message editMessage(String roomId, String messageId, String body, Instant editedAt);

  /** Marks a message deleted: empty body, no reactions, seq kept. Returns the updated message. */
  Message deleteMessage(String roomId, String messageId);

  /**
   * Adds ({@code on}) or removes a reaction, idempotently. Returns the updated message. {@code
   * NotFound} if the message is missing or deleted.
   */
  Message react(String roomId, String messageId, String userId, String emoji, boolean on);

  /** The newest seq of a room, 0 if it has no messages. */
  long lastSeq(String roomId);

  /**
   * Up to {@code limit} messages with seq below {@code beforeSeq} (all when null), the newest ones,
   * returned in ascending seq order.
   */
  List<Message> messagesBefore(String roomId, Long beforeSeq, int limit);

  /** Up to {@code limit} messages with seq above {@code afterSeq}, in ascending seq order. */
  List<Message> messagesAfter(String roomId, long afterSeq, int limit);

  /**
   * Full-text search over message bodies in the given rooms (the caller restricts them to rooms the
   * user belongs to): every whitespace-separated term must match, case-insensitively; hits ordered
   * newest first (by {@code ts} descending, then {@code seq} descending, then room id), not by
   * relevance; at most {@code limit} of them, the newest; deleted messages excluded; a blank query
   * finds nothing.
   */
  List<SearchHit> search(List<String> roomIds, String query, int limit);

  // ---- read markers

  /**
   * Moves a member's read marker forward to {@code seq} (never backward, never past the room's last
   * seq). Returns the marker now in force.
   */
  long markRead(String roomId, String userId, long seq);

  // ---- export and import

  // What `natter admin export` / `import` need beyond the methods above to move a whole store
  // without loss (sessions excepted): every user with what only the store knows of them, every
  // room (also those without members), each message with its clientMsgId, and a way to store a
  // message exactly as it was. Users are restored with createUser, updateLastSeen; rooms with
  // createRoom, addMember, markRead.
  //
  // The three export reads page by key: pass the last id (or seq) of one page to get the next.
  // Ids are compared by Unicode code point (as UTF-8 bytes compare), the same on every store, so
  // an export lists things in the same order whatever store it comes from.
  //
  // These four methods came after the rest of the SPI, so they have defaults that throw
  // UnsupportedOperationException: a store written before them still compiles and runs, and only
  // export or import from it fails, with UnsupportedOperationException("this store does not support
  // export/import"). Override all four to support them.

  /**
   * A user as an export holds it: the account, its password hash, when it was created and when the
   * user was last online (null if never).
   */
  record ExportedUser(User user, String passwordHash, Instant createdAt, Instant lastSeen) {
    public ExportedUser {
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(passwordHash, "passwordHash");
      Objects.requireNonNull(createdAt, "createdAt");
    }
  }

  /**
   * A message with the {@code clientMsgId} it was sent with (null if none), as an export holds it
   * and as {@link #importMessages} stores it.
   */
  record ExportedMessage(Message message, String clientMsgId) {
    public ExportedMessage {
      Objects.requireNonNull(message, "message");
    }
  }

  /**
   * Up to {@code limit} users with an id after {@code afterUserId} (from the first when null),
   * ordered by id, each with password hash, {@code createdAt} and last seen.
   *
   * @throws UnsupportedOperationException by default: override it to support export/import
   */
  default List<ExportedUser> exportUsers(String afterUserId, int limit) {
    throw new UnsupportedOperationException("this store does not support export/import");
  }

  /**
   * Up to {@code limit} rooms with an id after {@code afterRoomId} (from the first when null),
   * ordered by id: every room, including rooms without members or messages.
   *
   * @throws UnsupportedOperationException by default: override it to support export/import
   */
  default List<Room> exportRooms(String afterRoomId, int limit) {
    throw new UnsupportedOperationException("this store does not support export/import");
  }

  /**
   * Up to {@code limit} messages of a room with seq above {@code afterSeq}, in ascending seq order
   * (as {@link #messagesAfter}), each with its {@code clientMsgId}. Empty if there is no such room.
   *
   * @throws UnsupportedOperationException by default: override it to support export/import
   */
  default List<ExportedMessage> exportMessages(String roomId, long afterSeq, int limit) {
    throw new UnsupportedOperationException("this store does not support export/import");
  }

  /**
   * Stores messages exactly as given, for an import: seq, messageId, sender (by id), clientMsgId,
   * body, ts, replyTo, editedAt, deleted and reactions (emojis and, per emoji, users in the order
   * given). All of them in one transaction: when this returns they are committed, and if it throws
   * none of them is stored.
   *
   * <p>Each message must take its room's next seq ({@link #lastSeq} + 1, counting the messages
   * before it in the list), so a room's messages go in seq order: {@code Conflict} otherwise, and
   * {@code Conflict} for a messageId or {@code (sender, clientMsgId)} that is already stored (a
   * resend of that clientMsgId afterwards is a duplicate of the imported message, as for {@link
   * #append}). {@code NotFound} for a missing room, sender or reacting user. No {@code onCommitted}
   * callback runs: this restores data, it is not a send. Read markers are not moved.
   *
   * @throws UnsupportedOperationException by default: override it to support export/import
   */
  default void importMessages(List<ExportedMessage> messages) {
    throw new UnsupportedOperationException("this store does not support export/import");
  }

  /** Flushes pending writes and releases resources. */
  @Override
  void close();
}
