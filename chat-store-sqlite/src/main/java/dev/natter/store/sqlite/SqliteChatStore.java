package dev.natter.store.sqlite;

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
import dev.natter.core.spi.ChatStore;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;

/**
 * A {@link ChatStore} in one SQLite file: the store behind {@code natter serve}.
 *
 * <p>Durable by default: the database runs in WAL mode with {@code synchronous=FULL} and foreign
 * keys on. Every write goes through one writer thread that commits writes in groups (see {@link
 * SqliteStoreOptions}); a write's future completes, and a synchronous write returns, only after the
 * commit that holds it. Reads use a small pool of read-only connections and never wait for the
 * writer. The schema is created and upgraded in place by Flyway migrations when the store opens.
 *
 * <p>Open with {@link #open(Path)} or {@link #open(Path, SqliteStoreOptions)}; copy a live database
 * with {@link #backupTo(Path)}; {@link #close()} commits what is queued and releases the file.
 */
public final class SqliteChatStore implements ChatStore {
  private static final System.Logger LOG = System.getLogger(SqliteChatStore.class.getName());

  /** The longest a search waits for the index to catch up with what was committed before it. */
  static final java.time.Duration SEARCH_CATCH_UP = java.time.Duration.ofSeconds(2);

  private final Path file;
  private final Database database;
  private final ReadPool readPool;
  private final Jdbi reads;
  private final GroupCommitWriter writer;
  private final SearchIndex searchIndex;
  private final ScheduledExecutorService checkpoints;
  private final Connection checkpointConnection;
  private volatile boolean closed;

  /**
   * What the store has done since it opened: committed batches and the writes they held, batches
   * rolled back, and the writer's time running writes and committing (the commit is where the fsync
   * happens); and now: the writes waiting for the writer, and how many stored messages the search
   * index does not hold yet.
   */
  public record Stats(
      long batches,
      long writes,
      long failedBatches,
      long executeNanos,
      long commitNanos,
      int queuedWrites,
      long searchIndexBehind) {
    /** The mean number of writes per committed batch. */
    public double meanBatchSize() {
      return batches == 0 ? 0 : (double) writes / batches;
    }
  }

  private SqliteChatStore(
      Path file,
      Database database,
      ReadPool readPool,
      GroupCommitWriter writer,
      SearchIndex searchIndex,
      ScheduledExecutorService checkpoints,
      Connection checkpointConnection) {
    this.file = file;
    this.database = database;
    this.readPool = readPool;
    this.reads = configure(Jdbi.create(readPool));
    this.reads.setStatementBuilderFactory(new StatementCache());
    this.writer = writer;
    this.searchIndex = searchIndex;
    this.checkpoints = checkpoints;
    this.checkpointConnection = checkpointConnection;
  }

  /**
   * Opens (creating it if needed, with its parent directories) the database at {@code databaseFile}
   * with the default options, and brings its schema up to date.
   *
   * @throws ChatException.StoreFailure if the file cannot be opened or migrated
   */
  public static SqliteChatStore open(Path databaseFile) {
    return open(databaseFile, SqliteStoreOptions.defaults());
  }

  /** Like {@link #open(Path)}, with tuning options. */
  public static SqliteChatStore open(Path databaseFile, SqliteStoreOptions options) {
    return open(databaseFile, options, UnaryOperator.identity());
  }

  /**
   * Opens the store, passing each connection the writer opens through {@code writerConnections}
   * (tests wrap it to inject failures).
   */
  static SqliteChatStore open(
      Path databaseFile, SqliteStoreOptions options, UnaryOperator<Connection> writerConnections) {
    Objects.requireNonNull(databaseFile, "databaseFile");
    Objects.requireNonNull(options, "options");
    Path file = databaseFile.toAbsolutePath();
    Database database = new Database(file, options);
    ReadPool readPool = null;
    GroupCommitWriter writer = null;
    SearchIndex searchIndex = null;
    Connection checkpointConnection = null;
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      database.migrate();
      writer =
          new GroupCommitWriter(
              () -> writerConnections.apply(database.openWriter()),
              SqliteChatStore::writeContext,
              options,
              "natter-sqlite-writer",
              "natter-sqlite-completer");
      searchIndex = SearchIndex.open(database, pruner(writer));
      readPool = new ReadPool(database, options.readConnections());
      ScheduledExecutorService checkpoints = null;
      if (!options.checkpointInterval().isZero()) {
        checkpointConnection = database.openMaintenance();
        checkpoints =
            Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread t = new Thread(r, "natter-sqlite-checkpoint");
                  t.setDaemon(true);
                  return t;
                });
      }
      SqliteChatStore store =
          new SqliteChatStore(
              file, database, readPool, writer, searchIndex, checkpoints, checkpointConnection);
      if (checkpoints != null) {
        long every = options.checkpointInterval().toNanos();
        checkpoints.scheduleWithFixedDelay(store::checkpoint, every, every, TimeUnit.NANOSECONDS);
      }
      return store;
    } catch (SQLException | IOException | RuntimeException e) {
      if (searchIndex != null) {
        searchIndex.close();
      }
      if (readPool != null) {
        readPool.close();
      }
      if (writer != null) {
        writer.close();
      }
      closeQuietly(checkpointConnection);
      if (e instanceof ChatException c) {
        throw c;
      }
      throw new ChatException.StoreFailure("cannot open the database " + file + ": " + e, e);
    }
  }

  /** Has the writer forget the edits and deletes the search index applied (asynchronously). */
  private static java.util.function.LongConsumer pruner(GroupCommitWriter writer) {
    return upTo -> {
      try {
        writer.submit(
            GroupCommitWriter.of(
                c -> {
                  c.messages.pruneSearchChanges(upTo);
                  return null;
                }));
      } catch (ChatException e) {
        // Closing: the rows stay and are pruned after the next open.
      }
    };
  }

  private static Jdbi configure(Jdbi jdbi) {
    jdbi.installPlugin(new SqlObjectPlugin());
    Rows.register(jdbi);
    return jdbi;
  }

  /** The writer's context on a (new) writer connection. */
  private static WriteContext writeContext(Connection connection) throws SQLException {
    Jdbi jdbi =
        configure(
            Jdbi.create(
                new org.jdbi.v3.core.ConnectionFactory() {
                  @Override
                  public Connection openConnection() {
                    return connection;
                  }

                  @Override
                  public void closeConnection(Connection c) {
                    // The writer owns the connection and closes it.
                  }
                }));
    jdbi.setStatementBuilderFactory(new StatementCache());
    return new WriteContext(jdbi.open());
  }

  /** The database file. */
  public Path file() {
    return file;
  }

  /** What the store has done since it opened, and what it has still to do (one small read). */
  public Stats stats() {
    long lastMessageId;
    try {
      lastMessageId = read(h -> h.attach(MessageDao.class).searchTarget()).messageId();
    } catch (ChatException.StoreFailure e) {
      lastMessageId = 0; // closed (a metrics scrape during shutdown)
    }
    return new Stats(
        writer.batches(),
        writer.writes(),
        writer.failedBatches(),
        writer.executeNanos(),
        writer.commitNanos(),
        writer.queued(),
        Math.max(0, lastMessageId - searchIndex.indexedMessageId()));
  }

  /**
   * Writes a consistent copy of the database to {@code target} while the store stays in use ({@code
   * VACUUM INTO} in a read transaction: writers go on, the copy holds every commit made before it
   * started and nothing after). The copy is written next to the target, synced, then renamed into
   * place, so {@code target} never holds a partial backup.
   *
   * @throws ChatException.Conflict if {@code target} exists
   * @throws ChatException.StoreFailure if the copy fails
   */
  public void backupTo(Path target) {
    ensureOpen();
    Path out = target.toAbsolutePath();
    if (Files.exists(out)) {
      throw new ChatException.Conflict("the backup target exists: " + out);
    }
    Path dir = out.getParent();
    Path partial = dir.resolve(out.getFileName() + ".partial-" + UUID.randomUUID());
    try {
      Files.createDirectories(dir);
      try (Connection c = database.openMaintenance();
          PreparedStatement vacuum = c.prepareStatement("VACUUM INTO ?")) {
        vacuum.setString(1, partial.toString());
        vacuum.execute();
      }
      try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      Files.move(partial, out, StandardCopyOption.ATOMIC_MOVE);
      syncDirectory(dir);
    } catch (FileAlreadyExistsException e) {
      throw new ChatException.Conflict("the backup target exists: " + out);
    } catch (SQLException | IOException | RuntimeException e) {
      throw new ChatException.StoreFailure("backup to " + out + " failed: " + e, e);
    } finally {
      try {
        Files.deleteIfExists(partial);
      } catch (IOException e) {
        LOG.log(System.Logger.Level.WARNING, "could not remove " + partial, e);
      }
    }
  }

  private static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | RuntimeException e) {
      // Not every platform can open a directory; the rename is durable on the next sync anyway.
    }
  }

  /** The highest message id this store's search index has seen indexed (for tests). */
  long indexedMessageId() {
    return searchIndex.indexedMessageId();
  }

  /** How many writes wait for the writer (for tests). */
  int queuedWrites() {
    return writer.queued();
  }

  /** Runs {@code work} as a write on the writer's connection and waits for its commit. */
  <T> T onWriter(GroupCommitWriter.Work<T> work) {
    return write(work);
  }

  private void checkpoint() {
    try (Statement st = checkpointConnection.createStatement()) {
      st.execute("PRAGMA wal_checkpoint(PASSIVE)");
    } catch (SQLException | RuntimeException e) {
      LOG.log(System.Logger.Level.DEBUG, "background checkpoint failed", e);
    }
  }

  // ---- plumbing

  private void ensureOpen() {
    if (closed) {
      throw new ChatException.StoreFailure("the store is closed", null);
    }
  }

  private <T> T read(HandleCallback<T, Exception> work) {
    ensureOpen();
    try {
      return reads.withHandle(work);
    } catch (Exception e) {
      throw SqlErrors.translate(e);
    }
  }

  /** A read of several statements that must see one snapshot. */
  private <T> T readConsistent(HandleCallback<T, Exception> work) {
    ensureOpen();
    try {
      return reads.inTransaction(work);
    } catch (Exception e) {
      throw SqlErrors.translate(e);
    }
  }

  private <T> T write(GroupCommitWriter.Work<T> work) {
    ensureOpen();
    return writer.execute(GroupCommitWriter.of(work));
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        // closing anyway
      }
    }
  }

  // ---- users and sessions

  @Override
  public void createUser(User user, String passwordHash, Instant createdAt) {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(passwordHash, "passwordHash");
    Objects.requireNonNull(createdAt, "createdAt");
    write(
        c -> {
          c.users.insert(
              user.id(),
              user.username(),
              user.displayName(),
              passwordHash,
              Times.toNanos(createdAt));
          return null;
        });
  }

  @Override
  public Optional<Credentials> findCredentials(String username) {
    return read(h -> h.attach(UserDao.class).findCredentials(username));
  }

  @Override
  public Optional<User> findUser(String userId) {
    return read(h -> h.attach(UserDao.class).find(userId));
  }

  /** How many ids one {@code IN (...)} look-up binds at most. */
  private static final int IN_LIST_CHUNK = 500;

  /** One query per {@value #IN_LIST_CHUNK} distinct ids. */
  @Override
  public List<User> findUsers(Collection<String> userIds) {
    Objects.requireNonNull(userIds, "userIds");
    List<String> ids = List.copyOf(new LinkedHashSet<>(userIds));
    if (ids.isEmpty()) {
      ensureOpen();
      return List.of();
    }
    return read(
        h -> {
          UserDao users = h.attach(UserDao.class);
          List<User> found = new ArrayList<>(ids.size());
          for (int from = 0; from < ids.size(); from += IN_LIST_CHUNK) {
            found.addAll(
                users.findAll(ids.subList(from, Math.min(ids.size(), from + IN_LIST_CHUNK))));
          }
          return List.copyOf(found);
        });
  }

  @Override
  public boolean updatePasswordHash(String userId, String passwordHash) {
    Objects.requireNonNull(passwordHash, "passwordHash");
    return write(c -> c.users.updatePasswordHash(userId, passwordHash) > 0);
  }

  @Override
  public List<User> searchUsers(String query, int limit) {
    if (limit <= 0) {
      ensureOpen();
      return List.of();
    }
    String pattern = "%" + escapeLike(query == null ? "" : query) + "%";
    return read(h -> List.copyOf(h.attach(UserDao.class).search(pattern, limit)));
  }

  private static String escapeLike(String text) {
    return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
  }

  @Override
  public void createSession(AuthSession session) {
    Objects.requireNonNull(session, "session");
    write(
        c -> {
          c.users.insertSession(
              session.id(),
              session.userId(),
              Times.toNanos(session.createdAt()),
              Times.toNanos(session.expiresAt()));
          return null;
        });
  }

  @Override
  public Optional<AuthSession> findSession(String sessionId) {
    return read(h -> h.attach(UserDao.class).findSession(sessionId));
  }

  @Override
  public boolean deleteSession(String sessionId) {
    return write(c -> c.users.deleteSession(sessionId) > 0);
  }

  @Override
  public List<String> deleteSessionsOf(String userId) {
    return write(c -> c.users.deleteSessionsOf(userId).stream().sorted().toList());
  }

  @Override
  public void updateLastSeen(String userId, Instant lastSeen) {
    Objects.requireNonNull(lastSeen, "lastSeen");
    write(c -> c.users.updateLastSeen(userId, Times.toNanos(lastSeen)));
  }

  @Override
  public Optional<Instant> lastSeen(String userId) {
    return read(h -> h.attach(UserDao.class).lastSeen(userId).map(Times::fromNanos));
  }

  // ---- rooms and memberships

  @Override
  public void createRoom(NewRoom newRoom) {
    Objects.requireNonNull(newRoom, "newRoom");
    write(
        c -> {
          insertRoom(c, newRoom);
          return null;
        });
  }

  @Override
  public DmResult findOrCreateDm(NewRoom newRoom) {
    Objects.requireNonNull(newRoom, "newRoom");
    if (newRoom.room().kind() != RoomKind.DM) {
      throw new ChatException.BadRequest("findOrCreateDm needs a DM room");
    }
    return write(
        c -> {
          Optional<Room> existing = c.rooms.findByDmKey(newRoom.room().dmKey());
          if (existing.isPresent()) {
            return new DmResult(existing.get(), false);
          }
          insertRoom(c, newRoom);
          return new DmResult(newRoom.room(), true);
        });
  }

  /** Inserts a room and its first members; the caller's savepoint undoes it all on failure. */
  private static void insertRoom(WriteContext c, NewRoom newRoom) {
    Room room = newRoom.room();
    long createdAt = Times.toNanos(room.createdAt());
    c.rooms.insert(
        room.id(),
        room.kind().wireName(),
        room.name(),
        room.visibility().wireName(),
        room.dmKey(),
        createdAt);
    List<Map.Entry<String, Role>> members = new ArrayList<>(newRoom.members().entrySet());
    members.sort(Map.Entry.comparingByKey());
    for (Map.Entry<String, Role> member : members) {
      c.rooms.insertMember(room.id(), member.getKey(), member.getValue().wireName(), createdAt);
    }
  }

  @Override
  public Optional<Room> findRoom(String roomId) {
    return read(h -> h.attach(RoomDao.class).find(roomId));
  }

  @Override
  public Optional<Membership> findMembership(String roomId, String userId) {
    return read(h -> h.attach(RoomDao.class).findMembership(roomId, userId));
  }

  @Override
  public boolean addMember(String roomId, String userId, Role role, Instant joinedAt) {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(joinedAt, "joinedAt");
    return write(
        c -> c.rooms.insertMember(roomId, userId, role.wireName(), Times.toNanos(joinedAt)) > 0);
  }

  @Override
  public boolean removeMember(String roomId, String userId) {
    return write(c -> c.rooms.deleteMember(roomId, userId) > 0);
  }

  /** One UPDATE: the member never stops being one. */
  @Override
  public boolean updateRole(String roomId, String userId, Role role) {
    Objects.requireNonNull(role, "role");
    return write(c -> c.rooms.updateRole(roomId, userId, role.wireName()) > 0);
  }

  @Override
  public List<Membership> memberships(String roomId) {
    return read(h -> List.copyOf(h.attach(RoomDao.class).memberships(roomId)));
  }

  @Override
  public List<User> members(String roomId) {
    return read(h -> List.copyOf(h.attach(RoomDao.class).members(roomId)));
  }

  @Override
  public List<String> roomIdsOf(String userId) {
    return read(h -> List.copyOf(h.attach(RoomDao.class).roomIdsOf(userId)));
  }

  @Override
  public List<RoomSummary> roomSummaries(String userId) {
    return readConsistent(
        h -> {
          RoomDao rooms = h.attach(RoomDao.class);
          MessageDao messages = h.attach(MessageDao.class);
          List<RoomSummary> out = new ArrayList<>();
          for (Rows.MemberRoom r : rooms.roomsOf(userId)) {
            out.add(summary(rooms, messages, r, userId));
          }
          return List.copyOf(out);
        });
  }

  @Override
  public Optional<RoomSummary> roomSummary(String roomId, String userId) {
    return readConsistent(
        h -> {
          RoomDao rooms = h.attach(RoomDao.class);
          MessageDao messages = h.attach(MessageDao.class);
          return rooms.roomOf(roomId, userId).map(r -> summary(rooms, messages, r, userId));
        });
  }

  @Override
  public List<RoomSummary> publicRoomsNotJoinedBy(String userId) {
    return readConsistent(
        h -> {
          RoomDao rooms = h.attach(RoomDao.class);
          MessageDao messages = h.attach(MessageDao.class);
          List<RoomSummary> out = new ArrayList<>();
          for (Rows.MemberRoom r : rooms.publicRoomsWithout(userId)) {
            out.add(summary(rooms, messages, r, userId));
          }
          return List.copyOf(out);
        });
  }

  /**
   * A room as {@code userId} sees it. For a non-member (role null) the marker is 0 and nothing is
   * unread.
   */
  private static RoomSummary summary(
      RoomDao rooms, MessageDao messages, Rows.MemberRoom r, String userId) {
    String roomId = r.room().id();
    Message last = null;
    if (r.lastSeq() > 0) {
      last = messages.atSeq(roomId, r.lastSeq()).map(Rows.MessageRow::toMessage).orElse(null);
    }
    long unread = r.role() == null ? 0 : rooms.unread(roomId, userId, r.lastReadSeq());
    return new RoomSummary(
        r.room(), rooms.members(roomId), r.role(), r.lastSeq(), last, unread, r.lastReadSeq());
  }

  @Override
  public List<String> contactsOf(String userId) {
    return read(h -> List.copyOf(h.attach(RoomDao.class).contactsOf(userId)));
  }

  // ---- messages

  @Override
  public CompletableFuture<AppendResult> append(NewMessage message, Consumer<Message> onCommitted) {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(onCommitted, "onCommitted");
    Objects.requireNonNull(message.room(), "room");
    Objects.requireNonNull(message.messageId(), "messageId");
    Objects.requireNonNull(message.sender(), "sender");
    Objects.requireNonNull(message.body(), "body");
    Objects.requireNonNull(message.ts(), "ts");
    if (closed) {
      return CompletableFuture.failedFuture(
          new ChatException.StoreFailure("the store is closed", null));
    }
    try {
      return writer.submit(new Append(message, onCommitted));
    } catch (ChatException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Stores a message at its room's next seq in the batch's transaction: one INSERT ... SELECT reads
   * {@code rooms.last_seq + 1} and stores the row (or does nothing for a resend), and the trigger
   * of migration V3 advances the counter in that same statement. A broken constraint aborts the
   * statement whole, so an append needs no savepoint.
   */
  private final class Append extends GroupCommitWriter.Write<AppendResult> {
    private final NewMessage m;
    private final Consumer<Message> onCommitted;

    Append(NewMessage m, Consumer<Message> onCommitted) {
      this.m = m;
      this.onCommitted = onCommitted;
    }

    @Override
    boolean selfContained() {
      return true;
    }

    @Override
    AppendResult run(WriteContext c) throws SQLException {
      long ts = Times.toNanos(m.ts());
      OptionalLong seq =
          c.append.insert(
              m.room(), m.messageId(), m.sender().id(), m.clientMsgId(), m.body(), m.replyTo(), ts);
      if (seq.isPresent()) {
        Message stored =
            new Message(
                m.room(),
                seq.getAsLong(),
                m.messageId(),
                m.sender(),
                m.body(),
                m.ts(),
                m.replyTo(),
                null,
                false,
                Map.of());
        return new AppendResult(stored, false);
      }
      if (m.clientMsgId() != null) {
        Optional<Rows.MessageRow> original =
            c.messages.findByClientMsgId(m.sender().id(), m.clientMsgId());
        if (original.isPresent()) {
          return new AppendResult(original.get().toMessage(), true);
        }
      }
      throw new ChatException.NotFound("no room " + m.room());
    }

    @Override
    void afterCommit(AppendResult result) {
      if (!result.duplicate()) {
        searchIndex.poke();
        onCommitted.accept(result.message());
      }
    }
  }

  @Override
  public Optional<Message> findMessage(String roomId, String messageId) {
    return read(
        h -> h.attach(MessageDao.class).find(roomId, messageId).map(Rows.MessageRow::toMessage));
  }

  @Override
  public Message editMessage(String roomId, String messageId, String body, Instant editedAt) {
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(editedAt, "editedAt");
    Message edited =
        write(
            c -> {
              Rows.MessageRow row = requireLive(c.messages, roomId, messageId);
              c.messages.edit(row.rowid(), body, Times.toNanos(editedAt));
              return reread(c.messages, roomId, messageId);
            });
    searchIndex.poke();
    return edited;
  }

  @Override
  public Message deleteMessage(String roomId, String messageId) {
    Message deleted =
        write(
            c -> {
              Rows.MessageRow row = require(c.messages, roomId, messageId);
              if (!row.deleted()) {
                c.messages.markDeleted(row.rowid());
                c.messages.deleteReactions(row.rowid());
              }
              return reread(c.messages, roomId, messageId);
            });
    searchIndex.poke();
    return deleted;
  }

  @Override
  public Message react(String roomId, String messageId, String userId, String emoji, boolean on) {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(emoji, "emoji");
    return write(
        c -> {
          Rows.MessageRow row = requireLive(c.messages, roomId, messageId);
          if (on) {
            c.messages.addReaction(row.rowid(), emoji, userId);
          } else {
            c.messages.removeReaction(row.rowid(), emoji, userId);
          }
          return reread(c.messages, roomId, messageId);
        });
  }

  private static Rows.MessageRow require(MessageDao messages, String roomId, String messageId) {
    return messages
        .find(roomId, messageId)
        .orElseThrow(() -> new ChatException.NotFound("no message " + messageId + " in " + roomId));
  }

  /** A message that exists and is not deleted: a deleted message cannot be edited or reacted to. */
  private static Rows.MessageRow requireLive(MessageDao messages, String roomId, String messageId) {
    Rows.MessageRow row = require(messages, roomId, messageId);
    if (row.deleted()) {
      throw new ChatException.NotFound("message " + messageId + " was deleted");
    }
    return row;
  }

  private static Message reread(MessageDao messages, String roomId, String messageId) {
    return require(messages, roomId, messageId).toMessage();
  }

  @Override
  public long lastSeq(String roomId) {
    return read(h -> h.attach(RoomDao.class).lastSeq(roomId).orElse(0L));
  }

  @Override
  public List<Message> messagesBefore(String roomId, Long beforeSeq, int limit) {
    if (limit <= 0) {
      ensureOpen();
      return List.of();
    }
    long before = beforeSeq == null ? Long.MAX_VALUE : beforeSeq;
    return read(
        h -> {
          List<Rows.MessageRow> rows =
              new ArrayList<>(h.attach(MessageDao.class).before(roomId, before, limit));
          Collections.reverse(rows);
          return toMessages(rows);
        });
  }

  @Override
  public List<Message> messagesAfter(String roomId, long afterSeq, int limit) {
    if (limit <= 0) {
      ensureOpen();
      return List.of();
    }
    return read(h -> toMessages(h.attach(MessageDao.class).after(roomId, afterSeq, limit)));
  }

  /**
   * Full-text search with FTS5 over the given rooms, newest first (as the store contract orders
   * hits), deleted messages excluded. See {@link TextQuery} for how the text becomes a query.
   *
   * <p>A search sees every message and edit committed before it began: it first waits for the
   * {@link SearchIndex} to catch up with them (usually a few milliseconds), at most {@link
   * #SEARCH_CATCH_UP}; past that (an index being rebuilt after an upgrade, say) it answers from
   * what is indexed so far.
   */
  @Override
  public List<SearchHit> search(List<String> roomIds, String query, int limit) {
    String fts = TextQuery.toFts(query);
    if (roomIds == null || roomIds.isEmpty() || limit <= 0 || fts == null) {
      ensureOpen();
      return List.of();
    }
    List<String> rooms = List.copyOf(new LinkedHashSet<>(roomIds));
    SearchIndex.Position target = read(h -> h.attach(MessageDao.class).searchTarget());
    if (!searchIndex.awaitCaughtUp(target, SEARCH_CATCH_UP)) {
      LOG.log(
          System.Logger.Level.INFO,
          "search answered from an index still catching up (at message {0} of {1})",
          searchIndex.indexedMessageId(),
          target.messageId());
    }
    return read(
        h -> {
          List<SearchHit> hits = new ArrayList<>();
          for (Rows.SearchRow row : h.attach(MessageDao.class).search(fts, rooms, limit)) {
            Rows.MessageRow m = row.message();
            hits.add(new SearchHit(m.toMessage(), TextQuery.snippet(m.body(), row.marked())));
          }
          return List.copyOf(hits);
        });
  }

  private static List<Message> toMessages(List<Rows.MessageRow> rows) {
    List<Message> out = new ArrayList<>(rows.size());
    for (Rows.MessageRow row : rows) {
      out.add(row.toMessage());
    }
    return List.copyOf(out);
  }

  // ---- export and import

  @Override
  public List<ExportedUser> exportUsers(String afterUserId, int limit) {
    if (limit <= 0) {
      ensureOpen();
      return List.of();
    }
    return read(
        h -> {
          ExportDao export = h.attach(ExportDao.class);
          return List.copyOf(
              afterUserId == null
                  ? export.firstUsers(limit)
                  : export.usersAfter(afterUserId, limit));
        });
  }

  @Override
  public List<Room> exportRooms(String afterRoomId, int limit) {
    if (limit <= 0) {
      ensureOpen();
      return List.of();
    }
    return read(
        h -> {
          ExportDao export = h.attach(ExportDao.class);
          return List.copyOf(
              afterRoomId == null
                  ? export.firstRooms(limit)
                  : export.roomsAfter(afterRoomId, limit));
        });
  }

  @Override
  public List<ExportedMessage> exportMessages(String roomId, long afterSeq, int limit) {
    if (limit <= 0) {
      ensureOpen();
      return List.of();
    }
    return read(h -> List.copyOf(h.attach(ExportDao.class).messagesAfter(roomId, afterSeq, limit)));
  }

  /**
   * One write, so one transaction (its savepoint undoes the whole list on a failure). Each message
   * is checked against its room's last seq first, for a clear {@code Conflict}; missing senders or
   * reacting users break a foreign key ({@code NotFound}), taken ids a unique key ({@code
   * Conflict}).
   */
  @Override
  public void importMessages(List<ExportedMessage> messages) {
    List<ExportedMessage> batch = List.copyOf(messages);
    if (batch.isEmpty()) {
      ensureOpen();
      return;
    }
    write(
        c -> {
          ExportDao export = c.handle.attach(ExportDao.class);
          for (ExportedMessage e : batch) {
            Message m = e.message();
            long next =
                c.rooms
                        .lastSeq(m.room())
                        .orElseThrow(() -> new ChatException.NotFound("no room " + m.room()))
                    + 1;
            if (m.seq() != next) {
              throw new ChatException.Conflict(
                  "room " + m.room() + ": seq " + m.seq() + " where " + next + " is next");
            }
            long rowid =
                export.insertMessage(
                    m.room(),
                    m.seq(),
                    m.messageId(),
                    m.sender().id(),
                    e.clientMsgId(),
                    m.body(),
                    m.replyTo(),
                    Times.toNanos(m.ts()),
                    Times.toNanosOrNull(m.editedAt()),
                    m.deleted());
            int emojiPos = 0;
            for (Map.Entry<String, List<String>> r : m.reactions().entrySet()) {
              emojiPos++;
              for (String userId : r.getValue()) {
                export.insertReaction(rowid, r.getKey(), userId, emojiPos);
              }
            }
          }
          return null;
        });
    searchIndex.poke();
  }

  // ---- read markers

  @Override
  public long markRead(String roomId, String userId, long seq) {
    return write(
        c ->
            c.rooms
                .markRead(roomId, userId, seq)
                .orElseThrow(
                    () ->
                        new ChatException.NotFound(
                            userId + " is not a member of " + roomId + " (or no such room)")));
  }

  /**
   * Commits every queued write, stops the writer, and closes every connection (after a final
   * checkpoint that empties the write-ahead log). Idempotent; afterwards every call fails with
   * {@link ChatException.StoreFailure}.
   */
  @Override
  public void close() {
    if (writer.isStoreThread()) {
      throw new IllegalStateException("the store cannot be closed from its own threads");
    }
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    if (checkpoints != null) {
      checkpoints.shutdownNow();
      try {
        checkpoints.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    closeQuietly(checkpointConnection);
    // Readers first: then nothing holds an old snapshot when the writer truncates the log, and
    // the index's connection, the last on its file, checkpoints it as it closes.
    readPool.close();
    searchIndex.close();
    writer.close();
  }
}
