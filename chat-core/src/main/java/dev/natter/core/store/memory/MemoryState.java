package dev.natter.core.store.memory;

import dev.natter.core.model.AuthSession;
import dev.natter.core.model.Membership;
import dev.natter.core.model.Role;
import dev.natter.core.model.Room;
import dev.natter.core.model.User;
import dev.natter.core.spi.StoreErrors;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Everything an {@link InMemoryChatStore} holds, and the look-ups its roles share. Every operation
 * runs under one lock ({@link #call}, {@link #run}), which is how the store keeps the invariants a
 * database keeps with transactions.
 */
final class MemoryState {

  /** Orders users as {@code members} promises: by username (ignoring case, then exactly). */
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
  final Map<String, UserRow> users = new HashMap<>();
  final Map<String, String> userIdByLowerName = new HashMap<>();
  final Map<String, AuthSession> sessions = new HashMap<>();
  final Map<String, RoomRow> rooms = new HashMap<>();
  final Map<String, String> roomIdByDmKey = new HashMap<>();
  final Map<String, Set<String>> roomIdsByUser = new HashMap<>();
  final Map<String, StoredMessage> messagesById = new HashMap<>();
  final Map<ClientKey, StoredMessage> messagesByClientKey = new HashMap<>();
  final java.util.NavigableMap<String, dev.natter.core.model.StoredFile> files =
      new java.util.TreeMap<>(BY_CODE_POINT);
  private boolean closed;

  /** Runs {@code work} under the lock and returns its result; fails if the store is closed. */
  <T> T call(Supplier<T> work) {
    synchronized (lock) {
      ensureOpen();
      return work.get();
    }
  }

  /** Runs {@code work} under the lock; fails if the store is closed. */
  void run(Runnable work) {
    synchronized (lock) {
      ensureOpen();
      work.run();
    }
  }

  /**
   * Idempotent; afterwards every {@link #call} and {@link #run} fails with {@code StoreFailure}.
   */
  void close() {
    synchronized (lock) {
      closed = true;
    }
  }

  // ---- look-ups for callers that hold the lock

  private void ensureOpen() {
    if (closed) {
      throw StoreErrors.closed();
    }
  }

  RoomRow requireRoom(String roomId) {
    RoomRow row = rooms.get(roomId);
    if (row == null) {
      throw StoreErrors.noSuchRoom();
    }
    return row;
  }

  UserRow requireUser(String userId) {
    UserRow row = users.get(userId);
    if (row == null) {
      throw StoreErrors.noSuchUser();
    }
    return row;
  }

  /** A message of the room, deleted or not (a room that does not exist has no message). */
  StoredMessage requireMessage(String roomId, String messageId) {
    StoredMessage m = messagesById.get(messageId);
    if (m == null || !m.roomId.equals(roomId)) {
      throw StoreErrors.noSuchMessage();
    }
    return m;
  }

  /** A message that exists and is not deleted: a deleted message cannot be edited or reacted to. */
  StoredMessage requireLiveMessage(String roomId, String messageId) {
    StoredMessage m = requireMessage(roomId, messageId);
    if (m.deleted) {
      throw StoreErrors.messageDeleted();
    }
    return m;
  }

  /** Adds a member with a read marker at 0 (the caller checked the user exists). */
  void putMember(RoomRow row, String userId, Role role, Instant joinedAt) {
    row.members.put(userId, new Membership(row.room.id(), userId, role, 0, joinedAt));
    roomIdsByUser.computeIfAbsent(userId, u -> new LinkedHashSet<>()).add(row.room.id());
  }

  /** The members of a room, ordered by username. */
  List<User> membersOf(RoomRow row) {
    return row.members.keySet().stream()
        .map(users::get)
        .filter(Objects::nonNull)
        .map(u -> u.user)
        .sorted(BY_USERNAME)
        .toList();
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  /** A user row: the public user, the password hash and presence bookkeeping. */
  static final class UserRow {
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
  static final class RoomRow {
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
  record ClientKey(String senderId, String clientMsgId) {}
}
