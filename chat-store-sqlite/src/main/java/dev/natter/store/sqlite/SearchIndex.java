package dev.natter.store.sqlite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The full-text index of message bodies (SQLite FTS5), in a database file of its own beside the
 * store's, kept up to date by its own thread and connection.
 *
 * <p>Why apart: tokenizing and indexing inside the append transaction took about 40 % of the single
 * writer's time. Here it runs beside the writer, on its own write lock, and acks never wait for it.
 * The index is derived data: it holds the bodies of live messages by their rowid in {@code
 * messages}, the store's file is the truth, and an index that is missing, of another layout, built
 * from another database, ahead of the database or behind changes it pruned is rebuilt in the
 * background.
 *
 * <p>How it follows the store: messages are never removed and their ids only grow, so new messages
 * are the rows above the highest id indexed; every edit or delete leaves a row in {@code
 * search_changes} in the transaction that made it (a trigger of migration V4). The indexer reads
 * both from one snapshot, applies them in one transaction of the index that also records how far it
 * got, then lets the writer prune the applied changes.
 *
 * <p>Searches read their own writes: {@link #awaitCaughtUp} waits (briefly) until everything the
 * store held when the search began is indexed.
 */
final class SearchIndex implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SearchIndex.class);

  /** The index file's layout ({@code PRAGMA user_version}); another value means rebuild. */
  static final int LAYOUT = 1;

  /** The most new messages, and the most changes, one indexing transaction takes. */
  static final int CHUNK = 2_000;

  /** How many existing index files were found unfit and rebuilt, in this JVM (for tests). */
  static final AtomicLong REBUILDS = new AtomicLong();

  private static final Duration IDLE_POLL = Duration.ofSeconds(1);
  private static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(1);

  /**
   * How long a commit's poke waits for the commits after it before they are indexed together: one
   * transaction per commit made FTS5 write (and later merge) a segment per commit, and compiled the
   * indexer's statements each time. A search does not wait for it ({@link #awaitCaughtUp}).
   */
  static final Duration GATHER = Duration.ofMillis(100);

  /** Where {@code file}'s index lives: {@code chat.db} -> {@code chat.search.db}. */
  static Path fileFor(Path storeFile) {
    String name = storeFile.getFileName().toString();
    String base = name.endsWith(".db") ? name.substring(0, name.length() - 3) : name;
    return storeFile.resolveSibling(base + ".search.db");
  }

  private final Connection index;
  private final Connection source;
  private final LongConsumer pruneChangesUpTo;
  private final Thread thread;
  private final Object progress = new Object();

  // Guarded by progress.
  private long indexedMessageId;
  private long appliedChangeId;
  private boolean poked;
  private boolean wanted; // a search waits: index now, without gathering
  private boolean closing;
  private long steps;

  private SearchIndex(
      Connection index,
      Connection source,
      Position start,
      LongConsumer pruneChangesUpTo,
      String threadName) {
    this.index = index;
    this.source = source;
    this.pruneChangesUpTo = pruneChangesUpTo;
    this.indexedMessageId = start.messageId;
    this.appliedChangeId = start.changeId;
    this.thread = new Thread(this::run, threadName);
    this.thread.setDaemon(true);
  }

  /**
   * Opens (creating or rebuilding it as needed) the index of the store in {@code database}, whose
   * schema is current, and starts following it. {@code pruneChangesUpTo} is called on the indexer
   * thread with the highest {@code search_changes} id applied, to have the writer delete those
   * rows.
   */
  static SearchIndex open(Database database, LongConsumer pruneChangesUpTo) throws SQLException {
    Connection source = database.openReader();
    Connection index = null;
    try {
      Path file = database.searchFile();
      index = openOrRebuild(database, file, source);
      Position start = Position.read(index);
      SearchIndex searchIndex =
          new SearchIndex(index, source, start, pruneChangesUpTo, "natter-sqlite-search");
      searchIndex.thread.start();
      return searchIndex;
    } catch (SQLException | RuntimeException e) {
      closeQuietly(index);
      closeQuietly(source);
      throw e;
    }
  }

  /**
   * The index connection, on a file that fits {@code store}: same layout, same database lineage,
   * not ahead of the store (an index ahead of it was built before the store was restored from a
   * backup). An index that does not fit is emptied and started afresh inside one write transaction
   * of its own file, so another process using it (a server, while an admin command opens the store)
   * sees the change through SQLite's locking and follows it; only a file that is not a database at
   * all is deleted.
   */
  private static Connection openOrRebuild(Database database, Path file, Connection source)
      throws SQLException {
    boolean existed = Files.exists(file);
    try {
      return openAndFit(database, file, source, existed);
    } catch (SQLiteException e) {
      SQLiteErrorCode code = e.getResultCode();
      if (code != SQLiteErrorCode.SQLITE_NOTADB && code != SQLiteErrorCode.SQLITE_CORRUPT) {
        throw e;
      }
      LOG.info("the search index " + file + " is not a database (" + code + "); starting afresh");
      deleteIndexFiles(file);
      return openAndFit(database, file, source, false);
    }
  }

  private static Connection openAndFit(
      Database database, Path file, Connection source, boolean existed) throws SQLException {
    Connection index = database.openSearchWriter(file);
    try {
      index.setAutoCommit(false); // BEGIN IMMEDIATE: one process at a time decides
      // Read under the index's lock: no other process's indexer can move the index past it.
      StoreState store = StoreState.read(source);
      String why = unfitness(index, store);
      if (why != null) {
        if (existed) {
          LOG.info("rebuilding the search index " + file + ": " + why);
          REBUILDS.incrementAndGet();
        }
        startAfresh(index, store);
      }
      index.commit();
      index.setAutoCommit(true);
      return index;
    } catch (SQLException | RuntimeException e) {
      closeQuietly(index);
      throw e;
    }
  }

  /**
   * Empties the index, inside the caller's transaction, to be built again from the first message.
   * Its change position starts at the store's newest change: every edit or delete made so far is in
   * the bodies the indexer will read.
   */
  private static void startAfresh(Connection index, StoreState store) throws SQLException {
    try (Statement st = index.createStatement()) {
      st.execute("DROP TABLE IF EXISTS messages_fts");
      st.execute("DROP TABLE IF EXISTS index_state");
      st.execute(
          "CREATE VIRTUAL TABLE messages_fts USING fts5 (body,"
              + " tokenize = 'unicode61 remove_diacritics 2')");
      st.execute(
          "CREATE TABLE index_state (id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),"
              + " store_token TEXT NOT NULL, message_id INTEGER NOT NULL,"
              + " change_id INTEGER NOT NULL)");
      try (PreparedStatement insert =
          index.prepareStatement("INSERT INTO index_state VALUES (1, ?, 0, ?)")) {
        insert.setString(1, store.token);
        insert.setLong(2, store.maxChangeId);
        insert.executeUpdate();
      }
      st.execute("PRAGMA user_version = " + LAYOUT);
    }
  }

  /** Why the index cannot serve {@code store}, or null if it can. */
  private static String unfitness(Connection index, StoreState store) throws SQLException {
    try (Statement st = index.createStatement();
        ResultSet rs = st.executeQuery("PRAGMA user_version")) {
      int layout = rs.next() ? rs.getInt(1) : 0;
      if (layout != LAYOUT) {
        return layout == 0 ? "it is new" : "it has layout " + layout + ", not " + LAYOUT;
      }
    }
    try (Statement st = index.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT store_token, message_id, change_id FROM index_state")) {
      if (!rs.next()) {
        return "it has no state";
      }
      if (!store.token.equals(rs.getString(1))) {
        return "it was built from another database";
      }
      if (rs.getLong(2) > store.maxMessageId || rs.getLong(3) > store.maxChangeId) {
        return "it is ahead of the database (restored from a backup?)";
      }
      // The writer keeps the last applied change row when it prunes: a gap below it means edits
      // or deletes this index never applied are gone (an older copy of the index file).
      if (rs.getLong(3) < store.minChangeId - 1) {
        return "it missed edits the database no longer lists (an older copy of the index?)";
      }
    } catch (SQLiteException e) {
      if (e.getResultCode() != SQLiteErrorCode.SQLITE_ERROR) {
        throw e;
      }
      return "its state cannot be read (" + e.getMessage() + ")";
    }
    return null;
  }

  private static void deleteIndexFiles(Path file) throws SQLException {
    try {
      for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
        Files.deleteIfExists(file.resolveSibling(file.getFileName() + suffix));
      }
    } catch (IOException e) {
      throw new SQLException("cannot delete the old search index " + file + ": " + e, e);
    }
  }

  /** Wakes the indexer: something was committed that it may need to index. Cheap. */
  void poke() {
    synchronized (progress) {
      if (!poked) {
        poked = true;
        progress.notifyAll();
      }
    }
  }

  /**
   * Waits until the index holds every message and change up to {@code target}, or {@code timeout}
   * passed. True if it caught up.
   */
  boolean awaitCaughtUp(Position target, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (progress) {
      while (indexedMessageId < target.messageId || appliedChangeId < target.changeId) {
        if (closing) {
          return false;
        }
        poked = true;
        wanted = true;
        progress.notifyAll();
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(progress, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return true;
    }
  }

  /** The highest message id indexed. */
  long indexedMessageId() {
    synchronized (progress) {
      return indexedMessageId;
    }
  }

  /** How many indexing transactions ran (for tests). */
  long steps() {
    synchronized (progress) {
      return steps;
    }
  }

  private void run() {
    while (true) {
      synchronized (progress) {
        if (closing) {
          return;
        }
        poked = false;
        wanted = false;
        steps++;
      }
      boolean more;
      try {
        more = step();
      } catch (SQLException | RuntimeException e) {
        LOG.warn("indexing for search failed; retrying", e);
        rollbackQuietly();
        if (e instanceof SQLiteException se
            && se.getResultCode() == SQLiteErrorCode.SQLITE_CORRUPT) {
          startAfreshAfterCorruption();
        }
        pause(RETRY_AFTER_FAILURE);
        continue;
      }
      if (!more && pause(IDLE_POLL)) {
        gather();
      }
    }
  }

  /** After a poke: waits {@link #GATHER} for more commits, unless a search wants the index. */
  private void gather() {
    synchronized (progress) {
      waitUntil(GATHER, () -> wanted || closing);
    }
  }

  /** Sleeps until poked, closed, or {@code duration} passed; true if poked. */
  private boolean pause(Duration duration) {
    synchronized (progress) {
      waitUntil(duration, () -> poked || closing);
      return poked && !closing;
    }
  }

  /** Holding {@code progress}: waits until {@code done} holds or {@code duration} passed. */
  private void waitUntil(Duration duration, BooleanSupplier done) {
    long deadline = System.nanoTime() + duration.toNanos();
    while (!done.getAsBoolean()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      try {
        TimeUnit.NANOSECONDS.timedWait(progress, left);
      } catch (InterruptedException e) {
        // Only close() stops the indexer.
      }
    }
  }

  /**
   * Indexes one chunk of new messages and changes; true if more may be waiting. The position is
   * read inside the index's write transaction, so two processes on one database (a server and an
   * admin command) never index the same rows twice.
   */
  private boolean step() throws SQLException {
    index.setAutoCommit(false); // BEGIN IMMEDIATE
    try {
      Position from = Position.read(index);
      Pending pending = Pending.read(source, from);
      Position to = pending.end(from);
      if (!to.equals(from)) {
        apply(pending, from, to);
      }
      index.commit();
      index.setAutoCommit(true);
      synchronized (progress) {
        indexedMessageId = to.messageId;
        appliedChangeId = to.changeId;
        progress.notifyAll();
      }
      if (to.changeId > from.changeId) {
        pruneChangesUpTo.accept(to.changeId);
      }
      return pending.full();
    } finally {
      if (!index.getAutoCommit()) {
        rollbackQuietly();
      }
    }
  }

  private void apply(Pending pending, Position from, Position to) throws SQLException {
    try (PreparedStatement insert =
            index.prepareStatement("INSERT INTO messages_fts (rowid, body) VALUES (?, ?)");
        PreparedStatement delete =
            index.prepareStatement("DELETE FROM messages_fts WHERE rowid = ?");
        PreparedStatement state =
            index.prepareStatement(
                "UPDATE index_state SET message_id = ?, change_id = ? WHERE id = 1")) {
      for (Body body : pending.added) {
        body.addTo(insert);
      }
      // Only a message indexed before this step needs its entry replaced: one added now was read
      // in the same snapshot as the changes, so it has its latest body already; one beyond this
      // step is read as it is when its turn comes.
      for (Body body : pending.changed.values()) {
        if (body.id <= from.messageId) {
          delete.setLong(1, body.id);
          delete.addBatch();
          body.addTo(insert);
        }
      }
      delete.executeBatch();
      insert.executeBatch();
      state.setLong(1, to.messageId);
      state.setLong(2, to.changeId);
      state.executeUpdate();
    }
  }

  /**
   * What the index lacks past a position, read from one snapshot of the store: new messages by id,
   * and the messages changed (edited or deleted) by change id, as they are now.
   */
  private record Pending(
      List<Body> added, Map<Long, Body> changed, long lastChangeId, int changeRows) {
    static Pending read(Connection source, Position from) throws SQLException {
      List<Body> added = new ArrayList<>();
      Map<Long, Body> changed = new LinkedHashMap<>();
      long lastChangeId = from.changeId;
      int changeRows = 0;
      source.setAutoCommit(false); // both reads from one snapshot
      try {
        try (PreparedStatement st =
            source.prepareStatement(
                "SELECT id, body, deleted FROM messages WHERE id > ? ORDER BY id LIMIT " + CHUNK)) {
          st.setLong(1, from.messageId);
          try (ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
              added.add(new Body(rs.getLong(1), rs.getString(2), rs.getInt(3) != 0));
            }
          }
        }
        try (PreparedStatement st =
            source.prepareStatement(
                "SELECT c.id, m.id, m.body, m.deleted FROM search_changes c"
                    + " JOIN messages m ON m.id = c.message_id"
                    + " WHERE c.id > ? ORDER BY c.id LIMIT "
                    + CHUNK)) {
          st.setLong(1, from.changeId);
          try (ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
              lastChangeId = rs.getLong(1);
              changeRows++;
              Body body = new Body(rs.getLong(2), rs.getString(3), rs.getInt(4) != 0);
              changed.put(body.id, body);
            }
          }
        }
      } finally {
        source.rollback();
        source.setAutoCommit(true);
      }
      return new Pending(added, changed, lastChangeId, changeRows);
    }

    /** Where the index is once this is applied. */
    Position end(Position from) {
      long lastMessageId = added.isEmpty() ? from.messageId : added.get(added.size() - 1).id;
      return new Position(lastMessageId, lastChangeId);
    }

    /** True if a read limit was reached, so more may be waiting. */
    boolean full() {
      return added.size() == CHUNK || changeRows == CHUNK;
    }
  }

  /** The index file is damaged: empty it in place (readers have it attached) and build again. */
  private void startAfreshAfterCorruption() {
    try {
      index.setAutoCommit(false);
      StoreState store = StoreState.read(source);
      startAfresh(index, store);
      index.commit();
      index.setAutoCommit(true);
      synchronized (progress) {
        indexedMessageId = 0;
        appliedChangeId = store.maxChangeId;
      }
      LOG.warn("the search index was damaged; rebuilding it");
    } catch (SQLException | RuntimeException e) {
      LOG.error("the damaged search index cannot be rebuilt", e);
      rollbackQuietly();
    }
  }

  private void rollbackQuietly() {
    try {
      if (!index.getAutoCommit()) {
        index.rollback();
        index.setAutoCommit(true);
      }
    } catch (SQLException | RuntimeException e) {
      LOG.debug("rolling back the search index failed", e);
    }
  }

  /** Stops the indexer (what it has not indexed is indexed on the next open) and closes. */
  @Override
  public void close() {
    synchronized (progress) {
      closing = true;
      progress.notifyAll();
    }
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    closeQuietly(index);
    closeQuietly(source);
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
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

  /** A message's text as the index should hold it (nothing, for a deleted message). */
  private record Body(long id, String text, boolean deleted) {
    void addTo(PreparedStatement insert) throws SQLException {
      if (!deleted && !text.isEmpty()) {
        insert.setLong(1, id);
        insert.setString(2, text);
        insert.addBatch();
      }
    }
  }

  /** How far an index got: the highest message id and {@code search_changes} id it holds. */
  record Position(long messageId, long changeId) {
    static Position read(Connection index) throws SQLException {
      try (Statement st = index.createStatement();
          ResultSet rs = st.executeQuery("SELECT message_id, change_id FROM index_state")) {
        rs.next();
        return new Position(rs.getLong(1), rs.getLong(2));
      }
    }
  }

  /** What the index is checked against when it opens. */
  private record StoreState(String token, long maxMessageId, long maxChangeId, long minChangeId) {
    static StoreState read(Connection source) throws SQLException {
      try (Statement st = source.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT (SELECT token FROM store_identity),"
                      + " (SELECT coalesce(max(id), 0) FROM messages),"
                      + " (SELECT coalesce(max(seq), 0) FROM sqlite_sequence"
                      + " WHERE name = 'search_changes'),"
                      + " (SELECT coalesce(min(id), 0) FROM search_changes)")) {
        rs.next();
        return new StoreState(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4));
      }
    }
  }
}
