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
import dev.natter.core.model.StoredFile;
import dev.natter.core.model.User;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A {@link ChatStore} made of one object per role: every method forwards to the role that owns it.
 * A store implementation writes its roles as small classes and extends this with them, adding only
 * its lifecycle ({@link #close()}) and whatever it offers beyond the ports; a test double extends
 * it with one store for every role and overrides the methods it wants to break.
 *
 * <p>The roles may be one object implementing several of them. Thread-safety is the roles'.
 */
public abstract class ComposedChatStore implements ChatStore {
  private final UserStore users;
  private final SessionStore sessions;
  private final RoomStore rooms;
  private final MembershipStore memberships;
  private final MessageStore messages;
  private final MessageSearch search;
  private final FileStore files;

  /**
   * A store whose every method is answered by one of these roles, without files: every {@link
   * FileStore} method fails with a {@code StoreFailure}.
   *
   * @param users accounts, credentials and last-seen times
   * @param sessions sign-in sessions
   * @param rooms rooms and direct messages
   * @param memberships who is in which room, roles and read markers
   * @param messages appending, changing and paging messages
   * @param search full-text search over messages
   */
  protected ComposedChatStore(
      UserStore users,
      SessionStore sessions,
      RoomStore rooms,
      MembershipStore memberships,
      MessageStore messages,
      MessageSearch search) {
    this(users, sessions, rooms, memberships, messages, search, FileStoreUnsupported.INSTANCE);
  }

  /**
   * A store whose every method is answered by one of these roles, files included.
   *
   * @param users accounts, credentials and last-seen times
   * @param sessions sign-in sessions
   * @param rooms rooms and direct messages
   * @param memberships who is in which room, roles and read markers
   * @param messages appending, changing and paging messages
   * @param search full-text search over messages
   * @param files the metadata of uploaded files
   */
  protected ComposedChatStore(
      UserStore users,
      SessionStore sessions,
      RoomStore rooms,
      MembershipStore memberships,
      MessageStore messages,
      MessageSearch search,
      FileStore files) {
    this.files = Objects.requireNonNull(files, "files");
    this.users = Objects.requireNonNull(users, "users");
    this.sessions = Objects.requireNonNull(sessions, "sessions");
    this.rooms = Objects.requireNonNull(rooms, "rooms");
    this.memberships = Objects.requireNonNull(memberships, "memberships");
    this.messages = Objects.requireNonNull(messages, "messages");
    this.search = Objects.requireNonNull(search, "search");
  }

  /**
   * A store that forwards every role to {@code store}, for wrappers that change a few methods.
   *
   * @param store the store that answers every method not overridden
   */
  protected ComposedChatStore(ChatStore store) {
    this(store, store, store, store, store, store, store);
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

  @Override
  public Map<String, Instant> lastSeen(Collection<String> userIds) {
    return users.lastSeen(userIds);
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

  // ---- files

  @Override
  public void createFile(StoredFile file) {
    files.createFile(file);
  }

  @Override
  public Optional<StoredFile> findFile(String fileId) {
    return files.findFile(fileId);
  }

  @Override
  public List<StoredFile> files(String afterFileId, int limit) {
    return files.files(afterFileId, limit);
  }

  @Override
  public List<StoredFile> unattachedFilesBefore(Instant createdBefore, int limit) {
    return files.unattachedFilesBefore(createdBefore, limit);
  }

  @Override
  public boolean deleteUnattachedFile(String fileId) {
    return files.deleteUnattachedFile(fileId);
  }

  @Override
  public boolean blobInUse(String sha256) {
    return files.blobInUse(sha256);
  }
}
