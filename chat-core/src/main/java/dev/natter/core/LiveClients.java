package dev.natter.core;

import dev.natter.core.model.Presence;
import dev.natter.core.model.User;
import dev.natter.core.protocol.CloseCode;
import dev.natter.core.protocol.ServerEvent;
import dev.natter.core.spi.ChatStore;
import dev.natter.core.spi.Clock;
import dev.natter.core.spi.EventBus;
import dev.natter.core.spi.PresenceDirectory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The connections of this node, who is in which room, and delivery: events published on the {@link
 * EventBus} reach every connection of every recipient here. Presence (online while any connection
 * lives, on any node) comes from the {@link PresenceDirectory}.
 *
 * <p>The members of each room are cached for the fan-out. The engine's room operations keep the
 * cache in step on this node. With a bus that spans nodes, {@code room} and {@code roomLeft} events
 * for a user, from any node, update it too (and reload the room from the store), and an entry is
 * reloaded in the background once it is older than {@link #REFRESH_NANOS}, so a change whose event
 * the bus lost is picked up within that time.
 */
final class LiveClients {
  private final ChatStore store;
  private final Clock clock;
  private final EventBus bus;

  /**
   * Each online user's connections, copied on write (connections come and go far less often than
   * events are delivered, and a fan-out walks one of these per recipient).
   */
  private final Map<String, List<ConnectedClient>> byUser = new ConcurrentHashMap<>();

  /** How old a room's cached members may get with a bus that spans nodes. */
  static final long REFRESH_NANOS = 1_000_000_000L;

  private final Map<String, Set<String>> roomMembers = new ConcurrentHashMap<>();
  private final Map<String, Long> loadedAt = new ConcurrentHashMap<>();
  private final Set<String> refreshing = ConcurrentHashMap.newKeySet();
  private final Set<String> refreshAgain = ConcurrentHashMap.newKeySet();
  private final Executor refresher;
  private volatile PresenceDirectory presence;
  private volatile Consumer<ConnectedClient> onLastDisconnect = c -> {};

  /**
   * @param refresher where cached members are reloaded with a bus that spans nodes
   */
  LiveClients(ChatStore store, Clock clock, EventBus bus, Executor refresher) {
    this.store = store;
    this.clock = clock;
    this.bus = bus;
    this.refresher = refresher;
    this.presence = new LocalPresence(this::isOnline);
    bus.subscribe(this::deliver);
  }

  /** Who is online across nodes (default: this node's connections). */
  void usePresence(PresenceDirectory directory) {
    this.presence = directory;
  }

  PresenceDirectory presence() {
    return presence;
  }

  void onLastDisconnect(Consumer<ConnectedClient> listener) {
    this.onLastDisconnect = listener;
  }

  // ---- publishing (through the bus, so other nodes see it too)

  /** To every member of the room, except {@code excludeUserId} when it is set. */
  void toRoom(String roomId, ServerEvent event, String excludeUserId) {
    bus.publish(new EventBus.Envelope(roomId, null, event, excludeUserId));
  }

  /** To every connection of one user. */
  void toUser(String userId, ServerEvent event) {
    bus.publish(new EventBus.Envelope(null, userId, event, null));
  }

  private void deliver(EventBus.Envelope envelope) {
    if (envelope.userId() != null) {
      learnMembership(envelope.userId(), envelope.event());
      deliverToUser(envelope.userId(), envelope.event());
      return;
    }
    for (String userId : membersOf(envelope.roomId())) {
      if (!userId.equals(envelope.excludeUserId())) {
        deliverToUser(userId, envelope.event());
      }
    }
  }

  private void deliverToUser(String userId, ServerEvent event) {
    List<ConnectedClient> clients = byUser.get(userId);
    if (clients != null) {
      for (int i = 0, n = clients.size(); i < n; i++) {
        clients.get(i).deliver(event);
      }
    }
  }

  // ---- connections and presence

  /** Registers a connection; true if it is the user's first (the user came online). */
  boolean add(ConnectedClient client) {
    AtomicBoolean first = new AtomicBoolean();
    byUser.compute(
        client.user().id(),
        (id, list) -> {
          first.set(list == null);
          if (list == null) {
            return List.of(client);
          }
          List<ConnectedClient> more = new ArrayList<>(list.size() + 1);
          more.addAll(list);
          more.add(client);
          return List.copyOf(more);
        });
    return first.get();
  }

  /** Forgets a connection; when it was the user's last, tells the listener (went offline). */
  void remove(ConnectedClient client) {
    AtomicBoolean last = new AtomicBoolean();
    byUser.computeIfPresent(
        client.user().id(),
        (id, list) -> {
          if (!list.contains(client)) {
            return list;
          }
          List<ConnectedClient> rest = new ArrayList<>(list);
          rest.remove(client);
          last.set(rest.isEmpty());
          return rest.isEmpty() ? null : List.copyOf(rest);
        });
    if (last.get()) {
      onLastDisconnect.accept(client);
    }
  }

  /** Whether this node holds a connection of the user. */
  boolean isOnline(String userId) {
    return byUser.containsKey(userId);
  }

  /** Whether any node holds a connection of the user. */
  boolean isOnlineAnywhere(String userId) {
    return presence.isOnline(userId);
  }

  Presence presenceOf(User user) {
    if (isOnlineAnywhere(user.id())) {
      return new Presence(user, Presence.Status.ONLINE, clock.now());
    }
    return new Presence(user, Presence.Status.OFFLINE, store.lastSeen(user.id()).orElse(null));
  }

  /**
   * The presence of several users, with one store call for the last-seen times of those offline (a
   * new connection's snapshot of its contacts).
   */
  List<Presence> presenceOf(List<User> users) {
    Instant now = clock.now();
    List<String> ids = new ArrayList<>(users.size());
    users.forEach(u -> ids.add(u.id()));
    Set<String> online = presence.onlineAmong(ids);
    Set<String> offline = new HashSet<>();
    for (String id : ids) {
      if (!online.contains(id)) {
        offline.add(id);
      }
    }
    Map<String, Instant> lastSeen = offline.isEmpty() ? Map.of() : store.lastSeen(offline);
    List<Presence> presence = new ArrayList<>(users.size());
    for (User user : users) {
      presence.add(
          offline.contains(user.id())
              ? new Presence(user, Presence.Status.OFFLINE, lastSeen.get(user.id()))
              : new Presence(user, Presence.Status.ONLINE, now));
    }
    return presence;
  }

  /** Closes every connection of one login session (after logout or expiry). */
  void closeSession(String userId, String sessionId, CloseCode code) {
    for (ConnectedClient client : clientsOf(userId)) {
      if (sessionId.equals(client.sessionId())) {
        client.close(code);
      }
    }
  }

  /** Closes every connection whose login session has expired. */
  void closeExpired(java.time.Instant now) {
    for (List<ConnectedClient> list : byUser.values()) {
      for (ConnectedClient client : list) {
        if (client.sessionExpired(now)) {
          client.close(CloseCode.SESSION_REVOKED);
        }
      }
    }
  }

  /**
   * Closes every connection of a user that was opened with a login session (after a password
   * reset); in-process listeners, which have no session, stay.
   */
  void closeSessionsOf(String userId, CloseCode code) {
    for (ConnectedClient client : clientsOf(userId)) {
      if (client.hasSession()) {
        client.close(code);
      }
    }
  }

  /** Closes every connection (shutdown). */
  void closeAll(CloseCode code) {
    byUser.values().forEach(list -> list.forEach(c -> c.close(code)));
  }

  int connectionCount() {
    return byUser.values().stream().mapToInt(List::size).sum();
  }

  private List<ConnectedClient> clientsOf(String userId) {
    List<ConnectedClient> list = byUser.get(userId);
    return list == null ? List.of() : list;
  }

  // ---- room membership cache (kept in step by the engine's room operations)

  /**
   * The members of a room, loaded from the store on first use. Once loaded, a look-up takes no
   * lock, so it is safe in a store's {@code onCommitted} callback (the engine loads the room before
   * it appends; loading inside the callback could deadlock with another thread's first load).
   */
  Set<String> membersOf(String roomId) {
    Set<String> cached = roomMembers.get(roomId);
    if (cached != null) {
      if (bus.spansNodes()) {
        refreshWhenOld(roomId);
      }
      return cached;
    }
    return roomMembers.computeIfAbsent(
        roomId,
        id -> {
          loadedAt.put(id, clock.nanoTime());
          return loadMembers(id);
        });
  }

  private Set<String> loadMembers(String roomId) {
    Set<String> ids = ConcurrentHashMap.newKeySet();
    store.members(roomId).forEach(u -> ids.add(u.id()));
    return ids;
  }

  /** Reloads a room's members in the background when the cached ones are old. */
  private void refreshWhenOld(String roomId) {
    Long at = loadedAt.get(roomId);
    if (at != null && clock.nanoTime() - at < REFRESH_NANOS) {
      return;
    }
    refresh(roomId);
  }

  /** Reloads a cached room's members from the store in the background (once at a time). */
  private void refresh(String roomId) {
    if (!roomMembers.containsKey(roomId)) {
      return;
    }
    if (!refreshing.add(roomId)) {
      refreshAgain.add(roomId); // the running reload may have read the store before this change
      return;
    }
    try {
      refresher.execute(
          () -> {
            try {
              loadedAt.put(roomId, clock.nanoTime());
              Set<String> fresh = loadMembers(roomId);
              roomMembers.replace(roomId, fresh);
            } catch (RuntimeException e) {
              loadedAt.remove(roomId); // the store failed: try again on the next delivery
            } finally {
              refreshing.remove(roomId);
              if (refreshAgain.remove(roomId)) {
                refresh(roomId);
              }
            }
          });
    } catch (java.util.concurrent.RejectedExecutionException closing) {
      refreshing.remove(roomId);
    }
  }

  /**
   * With a bus that spans nodes: a {@code room} event tells a user they are a member, {@code
   * roomLeft} that they are not any more, whichever node made the change. The cache here applies it
   * at once, then reloads the room from the store (events from two nodes may arrive out of order;
   * the store has the last word). With one node the room operations keep the cache exact already.
   */
  private void learnMembership(String userId, ServerEvent event) {
    if (!bus.spansNodes()) {
      return;
    }
    if (event instanceof ServerEvent.RoomEvent r) {
      memberAdded(r.room().room().id(), userId);
      refresh(r.room().room().id());
    } else if (event instanceof ServerEvent.RoomLeft left) {
      memberRemoved(left.room(), userId);
      refresh(left.room());
    }
  }

  void memberAdded(String roomId, String userId) {
    roomMembers.computeIfPresent(
        roomId,
        (id, set) -> {
          set.add(userId);
          return set;
        });
  }

  void memberRemoved(String roomId, String userId) {
    roomMembers.computeIfPresent(
        roomId,
        (id, set) -> {
          set.remove(userId);
          return set;
        });
  }
}
