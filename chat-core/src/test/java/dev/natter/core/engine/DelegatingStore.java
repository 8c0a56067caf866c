package dev.natter.core.engine;

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
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** A store that forwards everything to another one; tests override what they need to break. */
class DelegatingStore implements ChatStore {
  protected final ChatStore delegate;

  DelegatingStore(ChatStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public void createUser(User user, String passwordHash, Instant createdAt) {
    delegate.createUser(user, passwordHash, createdAt);
  }

  @Override
  public Optional<Credentials> findCredentials(String username) {
    return delegate.findCredentials(username);
  }

  @Override
  public Optional<User> findUser(String userId) {
    return delegate.findUser(userId);
  }

  @Override
  public List<User> findUsers(Collection<String> userIds) {
    return delegate.findUsers(userIds);
  }

  @Override
  public boolean updatePasswordHash(String userId, String passwordHash) {
    return delegate.updatePasswordHash(userId, passwordHash);
  }

  @Override
  public List<User> searchUsers(String query, int limit) {
    return delegate.searchUsers(query, limit);
  }

  @Override
  public void createSession(AuthSession session) {
    delegate.createSession(session);
  }

  @Override
  public Optional<AuthSession> findSession(String sessionId) {
    return delegate.findSession(sessionId);
  }

  @Override
  public boolean deleteSession(String sessionId) {
    return delegate.deleteSession(sessionId);
  }

  @Override
  public List<String> deleteSessionsOf(String userId) {
    return delegate.deleteSessionsOf(userId);
  }

  @Override
  public void updateLastSeen(String userId, Instant lastSeen) {
    delegate.updateLastSeen(userId, lastSeen);
  }

  @Override
  public Optional<Instant> lastSeen(String userId) {
    return delegate.lastSeen(userId);
  }

  @Override
  public void createRoom(NewRoom newRoom) {
    delegate.createRoom(newRoom);
  }

  @Override
  public DmResult findOrCreateDm(NewRoom newRoom) {
    return delegate.findOrCreateDm(newRoom);
  }

  @Override
  public Optional<Room> findRoom(String roomId) {
    return delegate.findRoom(roomId);
  }

  @Override
  public Optional<Membership> findMembership(String roomId, String userId) {
    return delegate.findMembership(roomId, userId);
  }

  @Override
  public boolean addMember(String roomId, String userId, Role role, Instant joinedAt) {
    return delegate.addMember(roomId, userId, role, joinedAt);
  }

  @Override
  public boolean removeMember(String roomId, String userId) {
    return delegate.removeMember(roomId, userId);
  }

  @Override
  public boolean updateRole(String roomId, String userId, Role role) {
    return delegate.updateRole(roomId, userId, role);
  }

  @Override
  public List<Membership> memberships(String roomId) {
    return delegate.memberships(roomId);
  }

  @Override
  public List<User> members(String roomId) {
    return delegate.members(roomId);
  }

  @Override
  public List<String> roomIdsOf(String userId) {
    return delegate.roomIdsOf(userId);
  }

  @Override
  public List<RoomSummary> roomSummaries(String userId) {
    return delegate.roomSummaries(userId);
  }

  @Override
  public Optional<RoomSummary> roomSummary(String roomId, String userId) {
    return delegate.roomSummary(roomId, userId);
  }

  @Override
  public List<RoomSummary> publicRoomsNotJoinedBy(String userId) {
    return delegate.publicRoomsNotJoinedBy(userId);
  }

  @Override
  public List<String> contactsOf(String userId) {
    return delegate.contactsOf(userId);
  }

  @Override
  public CompletableFuture<AppendResult> append(NewMessage message, Consumer<Message> onCommitted) {
    return delegate.append(message, onCommitted);
  }

  @Override
  public Optional<Message> findMessage(String roomId, String messageId) {
    return delegate.findMessage(roomId, messageId);
  }

  @Override
  public Message editMessage(String roomId, String messageId, String body, Instant editedAt) {
    return delegate.editMessage(roomId, messageId, body, editedAt);
  }

  @Override
  public Message deleteMessage(String roomId, String messageId) {
    return delegate.deleteMessage(roomId, messageId);
  }

  @Override
  public Message react(String roomId, String messageId, String userId, String emoji, boolean on) {
    return delegate.react(roomId, messageId, userId, emoji, on);
  }

  @Override
  public long lastSeq(String roomId) {
    return delegate.lastSeq(roomId);
  }

  @Override
  public List<Message> messagesBefore(String roomId, Long beforeSeq, int limit) {
    return delegate.messagesBefore(roomId, beforeSeq, limit);
  }

  @Override
  public List<Message> messagesAfter(String roomId, long afterSeq, int limit) {
    return delegate.messagesAfter(roomId, afterSeq, limit);
  }

  @Override
  public List<SearchHit> search(List<String> roomIds, String query, int limit) {
    return delegate.search(roomIds, query, limit);
  }

  @Override
  public long markRead(String roomId, String userId, long seq) {
    return delegate.markRead(roomId, userId, seq);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
