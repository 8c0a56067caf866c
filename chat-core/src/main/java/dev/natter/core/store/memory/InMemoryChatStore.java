package dev.natter.core.store.memory;

import dev.natter.core.ChatException;
import dev.natter.core.model.AppendResult;
import dev.natter.core.model.AuthSession;
import dev.natter.core.model.Credentials;
import dev.natter.core.model.Membership;
import dev.natter.core.model.Message;
import dev.natter.core.model.NewMessage;
import dev.natter.core.model.NewRoom;
import dev.natter.core.model.Role;
import dev.natter.core.model.Room;
import dev.natter.core.model.RoomKind;
import dev.natter.core.model.RoomSummary;
import dev.natter.core.model.SearchHit;
import dev.natter.core.model.User;
import dev.natter.core.model.Visibility;
import dev.natter.core.spi.ChatStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A {@link ChatStore} that keeps everything in memory, for tests, demos and embedding without a
 * database. It keeps the same invariants as a database store (unique usernames ignoring case, one
 * DM per pair, gapless per-room seq, {@code (sender, clientMsgId)} uniqueness) by doing every
 * operation under one lock. Nothing survives {@link #close()} or the process.
 */
public final class InMemoryChatStore implements ChatStore {
  private static final System.Logger LOG = System.getLogger(InMemoryChatStore.class.getName());

  /** Orders users as {@link #members} promises: by username (ignoring case, then exactly). */
  static final Comparator<User> BY_USERNAME =
      Comparator.comparing((User u) -> lower(u.username()))
          .thenComparing(User::username)
          .thenComparing(User::id);

  /**
   * Orders ids as the export methods promise: by Unicode code point, as UTF-8 bytes compare (not as
   * {@link String#compareTo}, which compares UTF-16 units).
   */
  static final Comparator<String> BY_CODE_POINT =
      (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
          int ca = a.codePointAt(i);
          int cb = b.codePointAt(j);
          if (ca != cb) {
            return Integer.compare(ca, cb);
          }
          i += Character.charCount(ca);
          j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
      };

  private final Object lock = new Object();

  // Everything below is guarded by lock.
  private final Map<String, UserRow> users = new HashMap<>();
  private final Map<String, String> userIdByLowerName = new HashMap<>();
  private final Map<String, AuthSession> sessions = new HashMap<>();
  private final Map<String, RoomRow> rooms = new HashMap<>();
  private final Map<String, String> roomIdByDmKey = new HashMap<>();
  private final Map<String, Set<String>> roomIdsByUser = new HashMap<>();
  private final Map<String, StoredMessage> messagesById = new HashMap<>();
  private final Map<ClientKey, StoredMessage> messagesByClientKey = new HashMap<>();
  private boolean closed;

  /** An empty store. */
  public InMemoryChatStore() {}

  // ---- users and sessions

  @Override
  public void createUser(User user, String passwordHash, Instant createdAt) {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(passwordHash, "passwordHash");
    synchronized (lock) {
      ensureOpen();
      if (users.containsKey(user.id())) {
        throw new ChatException.Conflict("user id " + user.id() + " exists");
      }
      String lowerName = lower(user.username());
      if (userIdByLowerName.containsKey(lowerName)) {
        throw new ChatException.Conflict("username " + user.username() + " is taken");
      }
      users.put(user.id(), new UserRow(user, passwordHash, createdAt));
      userIdByLowerName.put(lowerName, user.id());
    }
  }

  @Override
  public Optional<Credentials> findCredentials(String username) {
    synchronized (lock) {
      ensureOpen();
      String id = userIdByLowerName.get(lower(username));
      UserRow row = id == null ? null : users.get(id);
      return row == null ? Optional.empty() : Optional.of(new Credentials(row.user, row.hash));
    }
  }

  @Override
  public Optional<User> findUser(String userId) {
    synchronized (lock) {
      ensureOpen();
      UserRow row = users.get(userId);
      return row == null ? Optional.empty() : Optional.of(row.user);
    }
  }

  @Override
  public List<User> findUsers(Collection<String> userIds) {
    Objects.requireNonNull(userIds, "userIds");
    synchronized (lock) {
      ensureOpen();
      return userIds.stream()
          .distinct()
          .map(users::get)
          .filter(Objects::nonNull)
          .map(row -> row.user)
          .toList();
    }
  }

  @Override
  public boolean updatePasswordHash(String userId, String passwordHash) {
    Objects.requireNonNull(passwordHash, "passwordHash");
    synchronized (lock) {
      ensureOpen();
      UserRow row = users.get(userId);
      if (row == null) {
        return false;
      }
      row.hash = passwordHash;
      return true;
    }
  }

  @Override
  public List<User> searchUsers(String query, int limit) {
    String needle = lower(query == null ? "" : query);
    synchronized (lock) {
      ensureOpen();
      return users.values().stream()
          .map(row -> row.user)
          .filter(
              u -> lower(u.username()).contains(needle) || lower(u.displayName()).contains(needle))
          .sorted(BY_USERNAME)
          .limit(Math.max(0, limit))
          .toList();
    }
  }

  @Override
  public void createSession(AuthSession session) {
    Objects.requireNonNull(session, "session");
    synchronized (lock) {
      ensureOpen();
      if (sessions.containsKey(session.id())) {
        throw new ChatException.Conflict("session exists");
      }
      if (!users.containsKey(session.userId())) {
        throw new ChatException.NotFound("no user " + session.userId());
      }
      sessions.put(session.id(), session);
    }
  }

  @Override
  public Optional<AuthSession> findSession(String sessionId) {
    synchronized (lock) {
      ensureOpen();
      return Optional.ofNullable(sessions.get(sessionId));
    }
  }

  @Override
  public boolean deleteSession(String sessionId) {
    synchronized (lock) {
      ensureOpen();
      return sessions.remove(sessionId) != null;
    }
  }

  @Override
  public List<String> deleteSessionsOf(String userId) {
    synchronized (lock) {
      ensureOpen();
      List<String> ids =
          sessions.values().stream()
              .filter(s -> s.userId().equals(userId))
              .map(AuthSession::id)
              .sorted()
              .toList();
      ids.forEach(sessions::remove);
      return ids;
    }
  }

  @Override
  public void updateLastSeen(String userId, Instant lastSeen) {
    synchronized (lock) {
      ensureOpen();
      UserRow row = users.get(userId);
      if (row != null) {
        row.lastSeen = lastSeen;
      }
    }
  }

  @Override
  public Optional<Instant> lastSeen(String userId) {
    synchronized (lock) {
      ensureOpen();
      UserRow row = users.get(userId);
      return row == null ? Optional.empty() : Optional.ofNullable(row.lastSeen);
    }
  }

  // ---- rooms and memberships

  @Override
  public void createRoom(NewRoom newRoom) {
    Objects.requireNonNull(newRoom, "newRoom");
    synchronized (lock) {
      ensureOpen();
      insertRoom(newRoom);
    }
  }

  @Override
  public DmResult findOrCreateDm(NewRoom newRoom) {
    Objects.requireNonNull(newRoom, "newRoom");
    if (newRoom.room().kind() != RoomKind.DM) {
      throw new ChatException.BadRequest("findOrCreateDm needs a DM room");
    }
    synchronized (lock) {
      ensureOpen();
      String existing = roomIdByDmKey.get(newRoom.room().dmKey());
      if (existing != null) {
        return new DmResult(rooms.get(existing).room, false);
      }
      insertRoom(newRoom);
      return new DmResult(newRoom.room(), true);
    }
  }

  /** Checks every constraint first, then writes, so a failure leaves nothing behind. */
  private void insertRoom(NewRoom newRoom) {
    Room room = newRoom.room();
    if (rooms.containsKey(room.id())) {
      throw new ChatException.Conflict("room " + room.id() + " exists");
    }
    if (room.dmKey() != null && roomIdByDmKey.containsKey(room.dmKey())) {
      throw new ChatException.Conflict("a DM for " + room.dmKey() + " exists");
    }
    for (String userId : newRoom.members().keySet()) {
      requireUser(userId);
    }
    RoomRow row = new RoomRow(room);
    rooms.put(room.id(), row);
    if (room.dmKey() != null) {
      roomIdByDmKey.put(room.dmKey(), room.id());
    }
    newRoom.members().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> putMember(row, e.getKey(), e.getValue(), room.createdAt()));
  }

  @Override
  public Optional<Room> findRoom(String roomId) {
    synchronized (lock) {
      ensureOpen();
      RoomRow row = rooms.get(roomId);
      return row == null ? Optional.empty() : Optional.of(row.room);
    }
  }

  @Override
  public Optional<Membership> findMembership(String roomId, String userId) {
    synchronized (lock) {
      ensureOpen();
      RoomRow row = rooms.get(roomId);
      return row == null ? Optional.empty() : Optional.ofNullable(row.members.get(userId));
    }
  }

  @Override
  public boolean addMember(String roomId, String userId, Role role, Instant joinedAt) {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(joinedAt, "joinedAt");
    synchronized (lock) {
      ensureOpen();
      RoomRow row = requireRoom(roomId);
      requireUser(userId);
      if (row.members.containsKey(userId)) {
        return false;
      }
      putMember(row, userId, role, joinedAt);
      return true;
    }
  }

  private void putMember(RoomRow row, String userId, Role role, Instant joinedAt) {
    row.members.put(userId, new Membership(row.room.id(), userId, role, 0, joinedAt));
    roomIdsByUser.computeIfAbsent(userId, u -> new LinkedHashSet<>()).add(row.room.id());
  }

  @Override
  public boolean removeMember(String roomId, String userId) {
    synchronized (lock) {
      ensureOpen();
      RoomRow row = rooms.get(roomId);
      if (row == null || row.members.remove(userId) == null) {
        return false;
      }
      Set<String> ids = roomIdsByUser.get(userId);
      ids.remove(roomId);
      if (ids.isEmpty()) {
        roomIdsByUser.remove(userId);
      }
      return true;
    }
  }

  @Override
  public boolean updateRole(String roomId, String userId, Role role) {
    Objects.requireNonNull(role, "role");
    synchronized (lock) {
      ensureOpen();
      RoomRow row = rooms.get(roomId);
      Membership m = row == null ? null : row.members.get(userId);
      if (m == null) {
        return false;
      }
      row.members.put(userId, new Membership(roomId, userId, role, m.lastReadSeq(), m.joinedAt()));
      return true;
    }
  }

  @Override
  public List<Membership> memberships(String roomId) {
    synchronized (lock) {
      ensureOpen();
      RoomRow row = rooms.get(roomId);
      if (row == null) {
        return List.of();
      }
      Comparator<Membership> byUsername =
          Comparator.comparing(m -> users.get(m.userId()).user, BY_USERNAME);
      return row.members.values().stream()
          .filter(m -> users.containsKey(m.userId()))
          .sorted(Comparator.comparing(Membership::joinedAt).thenComparing(byUsername))
          .toList();
    }
  }

  @Override
  public List<User> members(String roomId) {
    synchronized (lock) {
      ensureOpen();
      RoomRow row = rooms.get(roomId);
      return row == null ? List.of() : membersOf(row);
    }
  }

  private List<User> membersOf(RoomRow row) {
    return row.members.keySet().stream()
        .map(users::get)
        .filter(Objects::nonNull)
        .map(u -> u.user)
        .sorted(BY_USERNAME)
        .toList();
  }

  @Override
  public List<String> roomIdsOf(String userId) {
    synchronized (lock) {
      ensureOpen();
      return List.copyOf(roomIdsByUser.getOrDefault(userId, Set.of()));
    }
  }

  @Override
  public List<RoomSummary> roomSummaries(String userId) {
    synchronized (lock) {
      ensureOpen();
      return roomIdsByUser.getOrDefault(userId, Set.of()).stream()
          .map(rooms::get)
          .sorted(
              Comparator.comparing(RoomRow::lastActivity)
                  .reversed()
                  .thenComparing(r -> r.room.id()))
          .map(r -> summary(r, userId))
          .toList();
    }
  }

  @Override
  public Optional<RoomSummary> roomSummary(String roomId, String userId) {
    synchronized (lock) {
      ensureOpen();
      RoomRow row = rooms.get(roomId);
      if (row == null || !row.members.containsKey(userId)) {
        return Optional.empty();
      }
      return Optional.of(summary(row, userId));
    }
  }

  /**
   * The room as {@code userId} sees it. For someone who is not a member (a public room they might
   * join) the role is null, the read marker 0 and nothing counts as unread.
   */
  private RoomSummary summary(RoomRow row, String userId) {
    Membership me = row.members.get(userId);
    long lastRead = me == null ? 0 : me.lastReadSeq();
    long unread = 0;
    if (me != null) {
      for (int i = (int) Math.min(lastRead, row.messages.size()); i < row.messages.size(); i++) {
        StoredMessage m = row.messages.get(i);
        if (!m.deleted && !m.sender.id().equals(userId)) {
          unread++;
        }
      }
    }
    StoredMessage last = row.messages.isEmpty() ? null : row.messages.get(row.messages.size() - 1);
    return new RoomSummary(
        row.room,
        membersOf(row),
        me == null ? null : me.role(),
        row.messages.size(),
        last == null ? null : last.snapshot(),
        unread,
        lastRead);
  }

  @Override
  public List<RoomSummary> publicRoomsNotJoinedBy(String userId) {
    synchronized (lock) {
      ensureOpen();
      return rooms.values().stream()
          .filter(r -> r.room.kind() == RoomKind.GROUP)
          .filter(r -> r.room.visibility() == Visibility.PUBLIC)
          .filter(r -> !r.members.containsKey(userId))
          .sorted(
              Comparator.comparing((RoomRow r) -> r.room.name(), String.CASE_INSENSITIVE_ORDER)
                  .thenComparing(r -> r.room.name())
                  .thenComparing(r -> r.room.id()))
          .map(r -> summary(r, userId))
          .toList();
    }
  }

  @Override
  public List<String> contactsOf(String userId) {
    synchronized (lock) {
      ensureOpen();
      Set<String> contacts = new TreeSet<>();
      for (String roomId : roomIdsByUser.getOrDefault(userId, Set.of())) {
        contacts.addAll(rooms.get(roomId).members.keySet());
      }
      contacts.remove(userId);
      return List.copyOf(contacts);
    }
  }

  // ---- messages

  @Override
  public CompletableFuture<AppendResult> append(NewMessage message, Consumer<Message> onCommitted) {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(onCommitted, "onCommitted");
    AppendResult result;
    try {
      result = appendLocked(message, onCommitted);
    } catch (ChatException e) {
      return CompletableFuture.failedFuture(e);
    }
    // Completed outside the lock, so dependent stages never run while holding it.
    return CompletableFuture.completedFuture(result);
  }

  private AppendResult appendLocked(NewMessage message, Consumer<Message> onCommitted) {
    Objects.requireNonNull(message.messageId(), "messageId");
    Objects.requireNonNull(message.sender(), "sender");
    Objects.requireNonNull(message.body(), "body");
    Objects.requireNonNull(message.ts(), "ts");
    synchronized (lock) {
      ensureOpen();
      ClientKey key =
          message.clientMsgId() == null
              ? null
              : new ClientKey(message.sender().id(), message.clientMsgId());
      if (key != null) {
        StoredMessage original = messagesByClientKey.get(key);
        if (original != null) {
          return new AppendResult(original.snapshot(), true);
        }
      }
      RoomRow row = requireRoom(message.room());
      UserRow sender = requireUser(message.sender().id());
      if (messagesById.containsKey(message.messageId())) {
        throw new ChatException.Conflict("message id " + message.messageId() + " exists");
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
      row.messages.add(stored);
      messagesById.put(stored.messageId, stored);
      if (key != null) {
        messagesByClientKey.put(key, stored);
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
  }

  @Override
  public Optional<Message> findMessage(String roomId, String messageId) {
    synchronized (lock) {
      ensureOpen();
      StoredMessage m = messagesById.get(messageId);
      return m == null || !m.roomId.equals(roomId) ? Optional.empty() : Optional.of(m.snapshot());
    }
  }

  @Override
  public Message editMessage(String roomId, String messageId, String body, Instant editedAt) {
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(editedAt, "editedAt");
    synchronized (lock) {
      ensureOpen();
      StoredMessage m = requireLiveMessage(roomId, messageId);
      m.body = body;
      m.editedAt = editedAt;
      return m.snapshot();
    }
  }

  @Override
  public Message deleteMessage(String roomId, String messageId) {
    synchronized (lock) {
      ensureOpen();
      StoredMessage m = requireMessage(roomId, messageId);
      m.markDeleted();
      return m.snapshot();
    }
  }

  @Override
  public Message react(String roomId, String messageId, String userId, String emoji, boolean on) {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(emoji, "emoji");
    synchronized (lock) {
      ensureOpen();
      StoredMessage m = requireLiveMessage(roomId, messageId);
      m.react(userId, emoji, on);
      return m.snapshot();
    }
  }

  @Override
  public long lastSeq(String roomId) {
    synchronized (lock) {
      ensureOpen();
      RoomRow row = rooms.get(roomId);
      return row == null ? 0 : row.messages.size();
    }
  }

  @Override
  public List<Message> messagesBefore(String roomId, Long beforeSeq, int limit) {
    synchronized (lock) {
      ensureOpen();
      RoomRow row = rooms.get(roomId);
      if (row == null || limit <= 0) {
        return List.of();
      }
      // Messages with seq < beforeSeq are those at indexes [0, beforeSeq - 1).
      long end =
          beforeSeq == null ? row.messages.size() : Math.min(row.messages.size(), beforeSeq - 1);
      long start = Math.max(0, end - limit);
      return slice(row, start, end);
    }
  }

  @Override
  public List<Message> messagesAfter(String roomId, long afterSeq, int limit) {
    synchronized (lock) {
      ensureOpen();
      RoomRow row = rooms.get(roomId);
      if (row == null || limit <= 0) {
        return List.of();
      }
      // Messages with seq > afterSeq start at index afterSeq.
      long start = Math.max(0, afterSeq);
      long end = Math.min(row.messages.size(), start + limit);
      return slice(row, start, end);
    }
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

  /** Substring search; see {@link TextSearch}. Results are newest first (ts, then seq). */
  @Override
  public List<SearchHit> search(List<String> roomIds, String query, int limit) {
    TextSearch search = new TextSearch(query);
    if (!search.hasTerms() || limit <= 0 || roomIds == null || roomIds.isEmpty()) {
      return List.of();
    }
    synchronized (lock) {
      ensureOpen();
      List<StoredMessage> found = new ArrayList<>();
      for (String roomId : new LinkedHashSet<>(roomIds)) {
        RoomRow row = rooms.get(roomId);
        if (row == null) {
          continue;
        }
        for (StoredMessage m : row.messages) {
          if (!m.deleted && search.matches(m.body)) {
            found.add(m);
          }
        }
      }
      return found.stream()
          .sorted(
              Comparator.comparing((StoredMessage m) -> m.ts)
                  .thenComparingLong(m -> m.seq)
                  .reversed()
                  .thenComparing(m -> m.roomId))
          .limit(limit)
          .map(m -> new SearchHit(m.snapshot(), search.snippet(m.body)))
          .toList();
    }
  }

  // ---- read markers

  @Override
  public long markRead(String roomId, String userId, long seq) {
    synchronized (lock) {
      ensureOpen();
      RoomRow row = requireRoom(roomId);
      Membership m = row.members.get(userId);
      if (m == null) {
        throw new ChatException.NotFound(userId + " is not a member of " + roomId);
      }
      long target = Math.min(seq, row.messages.size());
      if (target > m.lastReadSeq()) {
        m = new Membership(m.roomId(), m.userId(), m.role(), target, m.joinedAt());
        row.members.put(userId, m);
      }
      return m.lastReadSeq();
    }
  }

  // ---- export and import

  @Override
  public List<ExportedUser> exportUsers(String afterUserId, int limit) {
    synchronized (lock) {
      ensureOpen();
      return users.values().stream()
          .filter(
              row -> afterUserId == null || BY_CODE_POINT.compare(row.user.id(), afterUserId) > 0)
          .sorted(Comparator.comparing((UserRow row) -> row.user.id(), BY_CODE_POINT))
          .limit(Math.max(0, limit))
          .map(row -> new ExportedUser(row.user, row.hash, row.createdAt, row.lastSeen))
          .toList();
    }
  }

  @Override
  public List<Room> exportRooms(String afterRoomId, int limit) {
    synchronized (lock) {
      ensureOpen();
      return rooms.values().stream()
          .map(row -> row.room)
          .filter(room -> afterRoomId == null || BY_CODE_POINT.compare(room.id(), afterRoomId) > 0)
          .sorted(Comparator.comparing(Room::id, BY_CODE_POINT))
          .limit(Math.max(0, limit))
          .toList();
    }
  }

  @Override
  public List<ExportedMessage> exportMessages(String roomId, long afterSeq, int limit) {
    synchronized (lock) {
      ensureOpen();
      RoomRow row = rooms.get(roomId);
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
    }
  }

  /** Checks every message first, then stores them all, so a failure leaves nothing behind. */
  @Override
  public void importMessages(List<ExportedMessage> messages) {
    List<ExportedMessage> batch = List.copyOf(messages);
    synchronized (lock) {
      ensureOpen();
      Map<String, Long> nextSeq = new HashMap<>();
      Set<String> messageIds = new HashSet<>();
      Set<ClientKey> clientKeys = new HashSet<>();
      for (ExportedMessage e : batch) {
        Message m = e.message();
        RoomRow row = requireRoom(m.room());
        requireUser(m.sender().id());
        m.reactions().values().forEach(reactors -> reactors.forEach(this::requireUser));
        long next = nextSeq.getOrDefault(row.room.id(), row.messages.size() + 1L);
        if (m.seq() != next) {
          throw new ChatException.Conflict(
              "room " + m.room() + ": seq " + m.seq() + " where " + next + " is next");
        }
        nextSeq.put(row.room.id(), next + 1);
        if (messagesById.containsKey(m.messageId()) || !messageIds.add(m.messageId())) {
          throw new ChatException.Conflict("message id " + m.messageId() + " exists");
        }
        if (e.clientMsgId() != null) {
          ClientKey key = new ClientKey(m.sender().id(), e.clientMsgId());
          if (messagesByClientKey.containsKey(key) || !clientKeys.add(key)) {
            throw new ChatException.Conflict(
                "client message id " + e.clientMsgId() + " of " + m.sender().id() + " exists");
          }
        }
      }
      for (ExportedMessage e : batch) {
        Message m = e.message();
        RoomRow row = rooms.get(m.room());
        StoredMessage stored =
            new StoredMessage(
                row.room.id(),
                m.seq(),
                m.messageId(),
                users.get(m.sender().id()).user,
                e.clientMsgId(),
                m.body(),
                m.replyTo(),
                m.ts());
        stored.editedAt = m.editedAt();
        stored.deleted = m.deleted();
        m.reactions()
            .forEach((emoji, reactors) -> reactors.forEach(u -> stored.react(u, emoji, true)));
        row.messages.add(stored);
        messagesById.put(stored.messageId, stored);
        if (e.clientMsgId() != null) {
          messagesByClientKey.put(new ClientKey(m.sender().id(), e.clientMsgId()), stored);
        }
      }
    }
  }

  /** Idempotent; afterwards every operation fails with {@code StoreFailure}. */
  @Override
  public void close() {
    synchronized (lock) {
      closed = true;
    }
  }

  // ---- helpers (callers hold lock)

  private void ensureOpen() {
    if (closed) {
      throw new ChatException.StoreFailure("the store is closed", null);
    }
  }

  private RoomRow requireRoom(String roomId) {
    RoomRow row = rooms.get(roomId);
    if (row == null) {
      throw new ChatException.NotFound("no room " + roomId);
    }
    return row;
  }

  private UserRow requireUser(String userId) {
    UserRow row = users.get(userId);
    if (row == null) {
      throw new ChatException.NotFound("no user " + userId);
    }
    return row;
  }

  private StoredMessage requireMessage(String roomId, String messageId) {
    requireRoom(roomId);
    StoredMessage m = messagesById.get(messageId);
    if (m == null || !m.roomId.equals(roomId)) {
      throw new ChatException.NotFound("no message " + messageId + " in " + roomId);
    }
    return m;
  }

  /** A message that exists and is not deleted: a deleted message cannot be edited or reacted to. */
  private StoredMessage requireLiveMessage(String roomId, String messageId) {
    StoredMessage m = requireMessage(roomId, messageId);
    if (m.deleted) {
      throw new ChatException.NotFound("message " + messageId + " was deleted");
    }
    return m;
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  /** A user row: the public user, the password hash and presence bookkeeping. */
  private static final class UserRow {
    final User user;
    final Instant createdAt;
    String hash;
    Instant lastSeen;

    UserRow(User user, String hash, Instant createdAt) {
      this.user = user;
      this.hash = hash;
      this.createdAt = createdAt;
    }
  }

  /** A room with its members (by user id) and its messages (index = seq - 1). */
  private static final class RoomRow {
    final Room room;
    final Map<String, Membership> members = new LinkedHashMap<>();
    final List<StoredMessage> messages = new ArrayList<>();

    RoomRow(Room room) {
      this.room = room;
    }

    Instant lastActivity() {
      return messages.isEmpty() ? room.createdAt() : messages.get(messages.size() - 1).ts;
    }
  }

  /** The idempotency key of a message. */
  private record ClientKey(String senderId, String clientMsgId) {}
}
