package dev.natter.core.store.memory;

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
import dev.natter.core.spi.ChatStore;
import dev.natter.core.spi.StoreTransfer;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A {@link ChatStore} that keeps everything in memory, for tests, demos and embedding without a
 * database. It keeps the same invariants as a database store (unique usernames ignoring case, one
 * DM per pair, gapless per-room seq, {@code (sender, clientMsgId)} uniqueness) by doing every
 * operation under one lock. It supports export and import ({@link StoreTransfer}). Nothing survives
 * {@link #close()} or the process.
 */
public final class InMemoryChatStore implements ChatStore, StoreTransfer {
  private final MemoryState state = new MemoryState();
  private final MemoryUsers users = new MemoryUsers(state);
  private final MemorySessions sessions = new MemorySessions(state);
  private final MemoryRooms rooms = new MemoryRooms(state);
  private final MemoryMemberships memberships = new MemoryMemberships(state);
  private final MemoryMessages messages = new MemoryMessages(state);
  private final MemorySearch search = new MemorySearch(state);
  private final MemoryTransfer transfer = new MemoryTransfer(state);

  /** An empty store. */
  public InMemoryChatStore() {}

  /** Idempotent; afterwards every operation fails with {@code StoreFailure}. */
  @Override
  public void close() {
    state.close();
  }

  // ---- users

  @Override
  public void createUser(User user, String passwordHash, Instant createdAt) {
    users.createUser(user, passwordHash, createdAt);
  }

  @Override
  public Optional<Credentials> findCredentials(String username) {
    return users.findCredentials(username);
  }

  @Override
  public Optional<User> findUser(String userId) {
    return users.findUser(userId);
  }

  @Override
  public List<User> findUsers(Collection<String> userIds) {
    return users.findUsers(userIds);
  }

  @Override
  public boolean updatePasswordHash(String userId, String passwordHash) {
    return users.updatePasswordHash(userId, passwordHash);
  }

  @Override
  public List<User> searchUsers(String query, int limit) {
    return users.searchUsers(query, limit);
  }

  @Override
  public void updateLastSeen(String userId, Instant lastSeen) {
    users.updateLastSeen(userId, lastSeen);
  }

  @Override
  public Optional<Instant> lastSeen(String userId) {
    return users.lastSeen(userId);
  }

  // ---- sessions

  @Override
  public void createSession(AuthSession session) {
    sessions.createSession(session);
  }

  @Override
  public Optional<AuthSession> findSession(String sessionId) {
    return sessions.findSession(sessionId);
  }

  @Override
  public boolean deleteSession(String sessionId) {
    return sessions.deleteSession(sessionId);
  }

  @Override
  public List<String> deleteSessionsOf(String userId) {
    return sessions.deleteSessionsOf(userId);
  }

  // ---- rooms

  @Override
  public void createRoom(NewRoom newRoom) {
    rooms.createRoom(newRoom);
  }

  @Override
  public DmResult findOrCreateDm(NewRoom newRoom) {
    return rooms.findOrCreateDm(newRoom);
  }

  @Override
  public Optional<Room> findRoom(String roomId) {
    return rooms.findRoom(roomId);
  }

  @Override
  public List<RoomSummary> roomSummaries(String userId) {
    return rooms.roomSummaries(userId);
  }

  @Override
  public Optional<RoomSummary> roomSummary(String roomId, String userId) {
    return rooms.roomSummary(roomId, userId);
  }

  @Override
  public List<RoomSummary> publicRoomsNotJoinedBy(String userId) {
    return rooms.publicRoomsNotJoinedBy(userId);
  }

  // ---- memberships

  @Override
  public Optional<Membership> findMembership(String roomId, String userId) {
    return memberships.findMembership(roomId, userId);
  }

  @Override
  public boolean addMember(String roomId, String userId, Role role, Instant joinedAt) {
    return memberships.addMember(roomId, userId, role, joinedAt);
  }

  @Override
  public boolean removeMember(String roomId, String userId) {
    return memberships.removeMember(roomId, userId);
  }

  @Override
  public boolean updateRole(String roomId, String userId, Role role) {
    return memberships.updateRole(roomId, userId, role);
  }

  @Override
  public List<Membership> memberships(String roomId) {
    return memberships.memberships(roomId);
  }

  @Override
  public List<User> members(String roomId) {
    return memberships.members(roomId);
  }

  @Override
  public List<String> roomIdsOf(String userId) {
    return memberships.roomIdsOf(userId);
  }

  @Override
  public List<String> contactsOf(String userId) {
    return memberships.contactsOf(userId);
  }

  @Override
  public long markRead(String roomId, String userId, long seq) {
    return memberships.markRead(roomId, userId, seq);
  }

  // ---- messages and search

  @Override
  public CompletableFuture<AppendResult> append(NewMessage message, Consumer<Message> onCommitted) {
    return messages.append(message, onCommitted);
  }

  @Override
  public Optional<Message> findMessage(String roomId, String messageId) {
    return messages.findMessage(roomId, messageId);
  }

  @Override
  public Message editMessage(String roomId, String messageId, String body, Instant editedAt) {
    return messages.editMessage(roomId, messageId, body, editedAt);
  }

  @Override
  public Message deleteMessage(String roomId, String messageId) {
    return messages.deleteMessage(roomId, messageId);
  }

  @Override
  public Message react(String roomId, String messageId, String userId, String emoji, boolean on) {
    return messages.react(roomId, messageId, userId, emoji, on);
  }

  @Override
  public long lastSeq(String roomId) {
    return messages.lastSeq(roomId);
  }

  @Override
  public List<Message> messagesBefore(String roomId, Long beforeSeq, int limit) {
    return messages.messagesBefore(roomId, beforeSeq, limit);
  }

  @Override
  public List<Message> messagesAfter(String roomId, long afterSeq, int limit) {
    return messages.messagesAfter(roomId, afterSeq, limit);
  }

  @Override
  public List<SearchHit> search(List<String> roomIds, String query, int limit) {
    return search.search(roomIds, query, limit);
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
