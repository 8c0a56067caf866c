package dev.natter.cli.chat;

import dev.natter.cli.term.RoomLabel;
import dev.natter.cli.term.Sanitizer;
import dev.natter.core.model.Message;
import dev.natter.core.model.NotifyLevel;
import dev.natter.core.model.RoomKind;
import dev.natter.core.model.RoomSummary;
import dev.natter.core.model.User;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the terminal client knows about the user's rooms: labels ({@code #name} for groups, {@code
 * @user} for DMs), unread counts, who is typing, the messages seen (to refer to them by seq) and
 * which of them were printed. Thread-safe: every method is synchronized.
 */
final class RoomBook {
  private static final int KEEP_MESSAGES = 2_000;

  /** One room as the client sees it. */
  static final class Entry {
    RoomSummary summary;
    String label;
    long unread;

    /** Unread messages that mention me (a part of {@link #unread}). */
    long mentions;

    long lastSeq;
    final TreeMap<Long, Message> messages = new TreeMap<>();
    final Map<String, Long> typing = new LinkedHashMap<>(); // username -> expiry (ms)

    String id() {
      return summary.room().id();
    }

    boolean isDm() {
      return summary.room().kind() == RoomKind.DM;
    }

    NotifyLevel notifyLevel() {
      return summary.notifyLevel();
    }
  }

  private final Map<String, Entry> rooms = new LinkedHashMap<>();
  private final Map<String, User> users = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
  private User me;
  private String current;

  synchronized void me(User me) {
    this.me = me;
    users.put(me.username(), me);
  }

  synchronized User me() {
    return me;
  }

  /** Whether {@code u} is the signed-in user. */
  synchronized boolean isMe(User u) {
    return me != null && me.id().equals(u.id());
  }

  /** Replaces the room list (after {@code ready}), keeping what was printed. */
  synchronized void reset(List<RoomSummary> summaries) {
    Map<String, Entry> old = new LinkedHashMap<>(rooms);
    rooms.clear();
    for (RoomSummary s : summaries) {
      Entry e = old.get(s.room().id());
      put(s, e);
    }
    if (current != null && !rooms.containsKey(current)) {
      current = null;
    }
  }

  /** Adds or updates one room. */
  synchronized Entry upsert(RoomSummary s) {
    return put(s, rooms.get(s.room().id()));
  }

  private Entry put(RoomSummary s, Entry e) {
    boolean fresh = e == null;
    if (fresh) {
      e = new Entry();
    }
    e.summary = s;
    e.label = RoomLabel.of(s, me);
    e.lastSeq = Math.max(e.lastSeq, s.lastSeq());
    if (fresh || !s.room().id().equals(current)) {
      e.unread = s.unread();
      e.mentions = s.mentions();
    }
    for (User u : s.members()) {
      users.put(u.username(), u);
    }
    rooms.put(s.room().id(), e);
    return e;
  }

  synchronized void remove(String roomId) {
    rooms.remove(roomId);
    if (roomId.equals(current)) {
      current = null;
    }
  }

  synchronized Optional<Entry> get(String roomId) {
    return Optional.ofNullable(rooms.get(roomId));
  }

  synchronized List<Entry> all() {
    return new ArrayList<>(rooms.values());
  }

  synchronized String current() {
    return current;
  }

  synchronized Optional<Entry> currentEntry() {
    return current == null ? Optional.empty() : Optional.ofNullable(rooms.get(current));
  }

  /** Makes a room current; its unread count drops to 0. */
  synchronized void setCurrent(String roomId) {
    current = roomId;
    Entry e = rooms.get(roomId);
    if (e != null) {
      e.unread = 0;
      e.mentions = 0;
    }
  }

  /** The label of a room for the screen: {@code #name} or {@code @user}; the id if unknown. */
  synchronized String label(String roomId) {
    Entry e = rooms.get(roomId);
    return e == null ? roomId : e.label;
  }

  /**
   * Records a message. Returns false when it was seen already (so it is printed once). A new
   * message of someone else in a room that is not current counts as unread.
   */
  synchronized boolean record(Message m) {
    Entry e = rooms.get(m.room());
    if (e == null) {
      return true; // a room we do not know yet: show it anyway
    }
    boolean fresh = !e.messages.containsKey(m.seq());
    e.messages.put(m.seq(), m);
    while (e.messages.size() > KEEP_MESSAGES) {
      e.messages.pollFirstEntry();
    }
    users.putIfAbsent(m.sender().username(), m.sender());
    if (fresh && m.seq() > e.lastSeq) {
      e.lastSeq = m.seq();
      boolean mine = me != null && m.sender().id().equals(me.id());
      if (!mine && !m.room().equals(current) && !m.deleted()) {
        e.unread++;
        if (mentionsMe(m)) {
          e.mentions++;
        }
      }
      e.typing.remove(Sanitizer.line(m.sender().username()));
    }
    return fresh;
  }

  /** Updates a remembered message (edit, delete, reaction). */
  synchronized void update(Message m) {
    Entry e = rooms.get(m.room());
    if (e != null && e.messages.containsKey(m.seq())) {
      e.messages.put(m.seq(), m);
    }
  }

  synchronized Optional<Message> message(String roomId, long seq) {
    Entry e = rooms.get(roomId);
    return e == null ? Optional.empty() : Optional.ofNullable(e.messages.get(seq));
  }

  /** The newest message of mine in a room that the client has seen (for a bare {@code /edit}). */
  synchronized Optional<Message> lastOwn(String roomId) {
    Entry e = rooms.get(roomId);
    if (e == null || me == null) {
      return Optional.empty();
    }
    for (Message m : e.messages.descendingMap().values()) {
      if (m.sender().id().equals(me.id()) && !m.deleted()) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  /** Whether a message of someone else mentions me. */
  synchronized boolean mentionsMe(Message m) {
    return me != null && !m.sender().id().equals(me.id()) && m.mentions().contains(me.id());
  }

  /** My notification level in a room ({@code all} for a room not known). */
  synchronized NotifyLevel notifyLevel(String roomId) {
    Entry e = rooms.get(roomId);
    return e == null ? NotifyLevel.ALL : e.notifyLevel();
  }

  /** The usernames of a room's members other than me, for {@code @} completion. */
  synchronized List<String> memberNames(String roomId) {
    Entry e = rooms.get(roomId);
    List<String> out = new ArrayList<>();
    if (e != null) {
      for (User u : e.summary.members()) {
        if (me == null || !u.id().equals(me.id())) {
          out.add(Sanitizer.line(u.username()));
        }
      }
    }
    out.sort(String.CASE_INSENSITIVE_ORDER);
    return out;
  }

  synchronized void typing(String roomId, User user, boolean active, long nowMs, long ttlMs) {
    Entry e = rooms.get(roomId);
    if (e == null || (me != null && user.id().equals(me.id()))) {
      return;
    }
    if (active) {
      e.typing.put(Sanitizer.line(user.username()), nowMs + ttlMs);
    } else {
      e.typing.remove(Sanitizer.line(user.username()));
    }
  }

  /** Who is typing in a room now. */
  synchronized List<String> typingIn(String roomId, long nowMs) {
    Entry e = rooms.get(roomId);
    if (e == null) {
      return List.of();
    }
    e.typing.values().removeIf(expiry -> expiry <= nowMs);
    return new ArrayList<>(e.typing.keySet());
  }

  /** The next room after the current one with unread messages (DMs count first), if any. */
  synchronized Optional<Entry> nextUnread() {
    List<Entry> list = new ArrayList<>(rooms.values());
    int start = 0;
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i).id().equals(current)) {
        start = i + 1;
      }
    }
    List<Entry> order = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      order.add(list.get((start + i) % list.size()));
    }
    return order.stream()
        .filter(e -> e.unread > 0 && !e.id().equals(current))
        .min(Comparator.comparing(e -> e.isDm() ? 0 : 1));
  }

  /**
   * Finds one of my rooms by what a user typed: its id, {@code #name}, {@code name} or {@code
   * @user} for a DM; case-insensitive.
   */
  synchronized Optional<Entry> find(String ref) {
    if (ref == null || ref.isBlank()) {
      return Optional.empty();
    }
    String r = ref.strip();
    Entry byId = rooms.get(r);
    if (byId != null) {
      return Optional.of(byId);
    }
    String lower = r.toLowerCase(Locale.ROOT);
    for (Entry e : rooms.values()) {
      String label = e.label.toLowerCase(Locale.ROOT);
      if (label.equals(lower)
          || label.substring(1).equals(lower)
          || (!e.isDm()
              && Sanitizer.line(e.summary.room().name()).toLowerCase(Locale.ROOT).equals(lower))) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  /** The labels of my rooms, for completion. */
  synchronized List<String> labels() {
    List<String> out = new ArrayList<>();
    for (Entry e : rooms.values()) {
      out.add(e.label);
    }
    return out;
  }

  /** Remembers users seen (members, senders) for completion. */
  synchronized void knowUser(User u) {
    users.put(u.username(), u);
  }

  synchronized TreeSet<String> usernames() {
    TreeSet<String> out = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    for (String name : users.keySet()) {
      out.add(Sanitizer.line(name));
    }
    return out;
  }

  synchronized long totalUnread() {
    long n = 0;
    for (Entry e : rooms.values()) {
      n += e.unread;
    }
    return n;
  }
}
