package dev.natter.client;

import dev.natter.core.model.Message;
import dev.natter.core.model.RoomSummary;
import dev.natter.core.protocol.ClientCommand;
import dev.natter.core.protocol.ServerEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers each room's messages once and in seq order: one {@link RoomCursor} per room, and the gap
 * filling: a {@code sync} from the last delivered seq (after each {@code ready}, and when a message
 * arrives ahead of a gap), then {@code history} pages when the replay was {@code limited}. After a
 * reconnect it reports, once every room has caught up, how many messages each delivered. Event
 * thread only, except {@link #lastSeen()}.
 */
final class RoomSequencer {
  private static final Logger LOG = LoggerFactory.getLogger(ChatClient.class);
  private static final int SYNC_CHUNK = 1_000;

  private final Wire wire;
  private final Consumer<ServerEvent.MessageEvent> listener;
  private final Consumer<ConnectionEvent.Resumed> onResumed;
  private final ResumeProgress resume = new ResumeProgress();
  private final Map<String, Long> resumeFrom;
  private final AtomicLong ids = new AtomicLong();
  private final Map<String, RoomCursor> cursors = new HashMap<>();
  private final Map<String, Long> seen = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> syncRequests = new HashMap<>();
  private final Map<String, String> pagingRequests = new HashMap<>();

  RoomSequencer(
      Wire wire,
      Map<String, Long> resumeFrom,
      Consumer<ServerEvent.MessageEvent> listener,
      Consumer<ConnectionEvent.Resumed> onResumed) {
    this.wire = wire;
    this.resumeFrom = Map.copyOf(resumeFrom);
    this.listener = listener;
    this.onResumed = onResumed;
  }

  /**
   * The rooms of a {@code ready} compared with the rooms followed until then; {@code resume} when
   * the ready follows a reconnect or has rooms to resume from an earlier run.
   */
  record Reconciled(
      Map<String, Long> toSync,
      List<String> gone,
      List<ServerEvent.RoomEvent> appeared,
      boolean resume) {}

  /**
   * Follows the rooms of a {@code ready}: new ones from their last seq (or from {@code resumeFrom}
   * on the first ready), stops following the ones that are gone. Returns what to sync and what to
   * report.
   */
  Reconciled reconcile(List<RoomSummary> rooms, boolean first) {
    Set<String> present = new HashSet<>();
    List<ServerEvent.RoomEvent> appeared = new ArrayList<>();
    Map<String, Long> toSync = new LinkedHashMap<>();
    for (RoomSummary summary : rooms) {
      String id = summary.room().id();
      present.add(id);
      RoomCursor cursor = cursors.get(id);
      if (cursor == null) {
        Long resume = first ? resumeFrom.get(id) : null;
        cursor = track(id, resume != null ? resume : summary.lastSeq());
        if (resume != null) {
          toSync.put(id, cursor.delivered());
        }
        if (!first) {
          appeared.add(new ServerEvent.RoomEvent(summary));
        }
      } else {
        toSync.put(id, cursor.delivered());
      }
    }
    List<String> gone = new ArrayList<>();
    for (String id : cursors.keySet()) {
      if (!present.contains(id)) {
        gone.add(id);
      }
    }
    gone.forEach(this::drop);
    return new Reconciled(toSync, gone, appeared, !first || !toSync.isEmpty());
  }

  /** Syncs the rooms of a {@code ready}; for a resume, counts until every room has caught up. */
  void catchUp(Reconciled ready) {
    sync(ready.toSync());
    if (ready.resume()) {
      resume.start(ready.toSync().keySet());
      checkResume();
    }
  }

  /** Starts following a room from {@code lastSeq} (no-op when it is followed already). */
  RoomCursor track(String room, long lastSeq) {
    RoomCursor cursor = cursors.get(room);
    if (cursor == null) {
      cursor = new RoomCursor(lastSeq);
      cursors.put(room, cursor);
      seen.put(room, cursor.delivered());
    }
    return cursor;
  }

  /** Stops following a room. */
  void drop(String room) {
    RoomCursor cursor = cursors.remove(room);
    seen.remove(room);
    if (cursor != null && cursor.pagingId != null) {
      pagingRequests.remove(cursor.pagingId);
    }
    checkResume();
  }

  /** The highest seq delivered per room; any thread. */
  Map<String, Long> lastSeen() {
    return Map.copyOf(seen);
  }

  /** Asks the server for what followed these positions (in chunks the server accepts). */
  void sync(Map<String, Long> rooms) {
    Map<String, Long> chunk = new LinkedHashMap<>();
    Iterator<Map.Entry<String, Long>> it = rooms.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<String, Long> entry = it.next();
      chunk.put(entry.getKey(), entry.getValue());
      if (chunk.size() == SYNC_CHUNK || !it.hasNext()) {
        String id = "sync-" + ids.incrementAndGet();
        syncRequests.put(id, new HashSet<>(chunk.keySet()));
        for (String room : chunk.keySet()) {
          cursors.get(room).syncId = id;
        }
        wire.send(new ClientCommand.Sync(id, chunk), true);
        chunk = new LinkedHashMap<>();
      }
    }
  }

  /** A live or replayed message. */
  void message(ServerEvent.MessageEvent event) {
    Message m = event.message();
    RoomCursor cursor = track(m.room(), m.seq() - 1);
    deliver(m.room(), cursor, cursor.offer(event));
    if (cursor.hasGap() && cursor.syncId == null && cursor.pagingId == null && wire.isReady()) {
      // A message went missing on a live connection: ask for what follows our position.
      sync(Map.of(m.room(), cursor.delivered()));
    }
  }

  /**
   * An update of a message; false when the application should see it (the message was delivered),
   * true when it was folded into a message held ahead of a gap or will come with the gap's filling.
   */
  boolean absorbUpdate(ServerEvent.MessageUpdated update) {
    RoomCursor cursor = cursors.get(update.room());
    return cursor != null && cursor.absorbUpdate(update);
  }

  /** The end of one room's replay: fill what is still missing with history pages. */
  void synced(ServerEvent.Synced synced) {
    Set<String> rooms = syncRequests.get(synced.id());
    if (rooms != null) {
      rooms.remove(synced.room());
      if (rooms.isEmpty()) {
        syncRequests.remove(synced.id());
      }
    }
    RoomCursor cursor = cursors.get(synced.room());
    if (cursor != null) {
      if (Objects.equals(cursor.syncId, synced.id())) {
        cursor.syncId = null;
      }
      fillGap(synced.room(), cursor);
    }
    checkResume();
  }

  /** Takes a history page if it answers a gap-filling request; false when it answers another. */
  boolean page(ServerEvent.HistoryPage page) {
    String room = pagingRequests.remove(page.id());
    if (room == null) {
      return false;
    }
    RoomCursor cursor = cursors.get(room);
    if (cursor != null) {
      gapPage(room, cursor, page);
    }
    checkResume();
    return true;
  }

  /** An error answered one of our sync or history requests: it is retried on the next gap. */
  void failed(String id) {
    if (pagingRequests.containsKey(id)) {
      RoomCursor cursor = cursors.get(pagingRequests.remove(id));
      if (cursor != null) {
        cursor.pagingId = null; // retried on the next gap or reconnect
      }
    } else if (syncRequests.containsKey(id)) {
      for (String room : syncRequests.remove(id)) {
        RoomCursor cursor = cursors.get(room);
        if (cursor != null && id.equals(cursor.syncId)) {
          cursor.syncId = null;
        }
      }
    }
    checkResume();
  }

  /** The connection is gone, and with it every request in flight. */
  void connectionLost() {
    for (RoomCursor cursor : cursors.values()) {
      cursor.syncId = null;
      cursor.pagingId = null;
    }
    syncRequests.clear();
    pagingRequests.clear();
    resume.pause();
  }

  /** Whether a sync or history request of ours waits for its answer. */
  boolean awaitingAnswers() {
    return !syncRequests.isEmpty() || !pagingRequests.isEmpty();
  }

  /**
   * Fills the gap after the last delivered message with {@code history} pages: each asks for the
   * {@code pageSize} messages that follow the last delivered one (history pages end just before
   * {@code before}), so the gap closes from its start and messages are delivered as pages arrive.
   */
  private void fillGap(String room, RoomCursor cursor) {
    if (!cursor.hasGap() || cursor.pagingId != null || !wire.isReady()) {
      return;
    }
    String id = "page-" + ids.incrementAndGet();
    long before = Math.min(cursor.firstAhead(), cursor.delivered() + 1 + cursor.pageSize);
    cursor.pagingId = id;
    cursor.pagingBefore = before;
    pagingRequests.put(id, room);
    wire.send(new ClientCommand.History(id, room, before, cursor.pageSize), true);
  }

  private void gapPage(String room, RoomCursor cursor, ServerEvent.HistoryPage page) {
    cursor.pagingId = null;
    long before = cursor.pagingBefore;
    int n = page.messages().size();
    if (page.hasMore() && n > 0 && n < cursor.pageSize) {
      cursor.pageSize = n; // the server's page limit is lower than ours
    }
    boolean missingInWindow = true;
    for (Message m : page.messages()) {
      if (m.seq() > cursor.delivered() && m.seq() < before) {
        missingInWindow = false;
      }
      deliver(room, cursor, cursor.offer(new ServerEvent.MessageEvent(m, null)));
    }
    if (missingInWindow && cursor.delivered() < before - 1) {
      // The server has none of the messages we asked for: they are gone (never silently: log).
      LOG.warn(
          "room {}: messages {}..{} are not on the server; skipping them",
          room,
          cursor.delivered() + 1,
          before - 1);
      deliver(room, cursor, cursor.skipTo(before - 1));
    }
    fillGap(room, cursor);
  }

  private void deliver(String room, RoomCursor cursor, List<ServerEvent.MessageEvent> events) {
    if (events.isEmpty()) {
      return;
    }
    seen.put(room, cursor.delivered());
    resume.delivered(room, events.size());
    events.forEach(listener);
  }

  private void checkResume() {
    ConnectionEvent.Resumed done = resume.check(this::caughtUp);
    if (done != null) {
      onResumed.accept(done);
    }
  }

  /** Whether a room has nothing more to wait for: no sync or page in flight, no gap. */
  private boolean caughtUp(String room) {
    RoomCursor c = cursors.get(room);
    return c == null || (c.syncId == null && c.pagingId == null && !c.hasGap());
  }
}
