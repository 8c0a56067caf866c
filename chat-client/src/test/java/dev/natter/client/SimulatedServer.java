package dev.natter.client;

import dev.natter.core.model.Message;
import dev.natter.core.model.RoomSummary;
import dev.natter.core.model.User;
import dev.natter.core.protocol.ClientCommand;
import dev.natter.core.protocol.ErrorCode;
import dev.natter.core.protocol.ServerEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * A small in-process imitation of a Natter server for one client: idempotent sends, per-room seq,
 * sync with a replay limit, history pages, and faults on demand (lost live frames, dropped
 * connections, refused reconnects, a connection lost between commit and ack).
 */
final class SimulatedServer implements Transport {
  private final Random random;
  private final int syncLimit;
  private final int historyCap;
  private final double loseLive;
  private final double dropBeforeAck;
  final Map<String, List<Message>> rooms = new TreeMap<>();
  private final Map<String, ServerEvent.Ack> acks = new HashMap<>();
  private Conn current;
  private boolean refusing;
  int connections;

  SimulatedServer(
      Random random,
      List<String> roomIds,
      int syncLimit,
      int historyCap,
      double loseLive,
      double dropBeforeAck) {
    this.random = random;
    this.syncLimit = syncLimit;
    this.historyCap = historyCap;
    this.loseLive = loseLive;
    this.dropBeforeAck = dropBeforeAck;
    roomIds.forEach(r -> rooms.put(r, new ArrayList<>()));
  }

  @Override
  public synchronized CompletableFuture<?> open(String token, Listener listener) {
    if (refusing) {
      return CompletableFuture.failedFuture(new IOException("connection refused"));
    }
    connections++;
    Conn conn = new Conn(listener);
    listener.onOpen(conn);
    List<RoomSummary> summaries = new ArrayList<>();
    rooms.forEach((id, msgs) -> summaries.add(Fixtures.summary(id, msgs.size())));
    listener.onEvent(
        new ServerEvent.Ready(
            Fixtures.ME, new ServerEvent.HeartbeatSettings(0, 0), summaries, List.of()));
    current = conn;
    return CompletableFuture.completedFuture(null);
  }

  /** Someone else posts; the live frame may be lost when {@code mayLose}. */
  synchronized void post(String room, boolean mayLose) {
    Message m = append(room, Fixtures.BOB, "from bob");
    if (current != null && !(mayLose && random.nextDouble() < loseLive)) {
      current.emit(new ServerEvent.MessageEvent(m, null));
    }
  }

  synchronized void drop() {
    if (current != null) {
      Conn c = current;
      current = null;
      c.dead = true;
      c.listener.onClosed(1006, "dropped");
    }
  }

  synchronized void refuse(boolean refuse) {
    this.refusing = refuse;
  }

  synchronized Map<String, List<Message>> snapshot() {
    Map<String, List<Message>> copy = new TreeMap<>();
    rooms.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    return copy;
  }

  private Message append(String room, User sender, String body) {
    List<Message> msgs = rooms.get(room);
    Message m =
        new Message(
            room,
            msgs.size() + 1L,
            room + "#" + (msgs.size() + 1),
            sender,
            body,
            Fixtures.T0.plusSeconds(msgs.size()),
            null,
            null,
            false,
            Map.of());
    msgs.add(m);
    return m;
  }

  private void handle(Conn conn, ClientCommand command) {
    if (command instanceof ClientCommand.Send s) {
      ServerEvent.Ack original = acks.get(s.clientMsgId());
      if (original != null) {
        conn.emit(
            new ServerEvent.Ack(
                s.id(),
                original.clientMsgId(),
                original.room(),
                original.seq(),
                original.messageId(),
                original.ts()));
        return;
      }
      if (!rooms.containsKey(s.room())) {
        conn.emit(new ServerEvent.Error(s.id(), ErrorCode.FORBIDDEN, "not a member"));
        return;
      }
      Message m = append(s.room(), Fixtures.ME, s.body());
      ServerEvent.Ack ack =
          new ServerEvent.Ack(s.id(), s.clientMsgId(), s.room(), m.seq(), m.messageId(), m.ts());
      acks.put(s.clientMsgId(), ack);
      if (random.nextDouble() < dropBeforeAck) {
        drop(); // committed, but neither the echo nor the ack reached the client
        return;
      }
      conn.emit(new ServerEvent.MessageEvent(m, s.clientMsgId()));
      conn.emit(ack);
    } else if (command instanceof ClientCommand.Sync s) {
      for (Map.Entry<String, Long> e : new TreeMap<>(s.rooms()).entrySet()) {
        List<Message> msgs = rooms.get(e.getKey());
        long after = e.getValue();
        List<Message> missed =
            new ArrayList<>(msgs.subList((int) Math.min(after, msgs.size()), msgs.size()));
        boolean limited = missed.size() > syncLimit;
        if (limited) {
          missed = msgs.subList(msgs.size() - syncLimit, msgs.size());
        }
        missed.forEach(m -> conn.emit(new ServerEvent.MessageEvent(m, null)));
        conn.emit(new ServerEvent.Synced(s.id(), e.getKey(), msgs.size(), limited));
      }
    } else if (command instanceof ClientCommand.History h) {
      List<Message> msgs = rooms.get(h.room());
      int end = h.before() == null ? msgs.size() : (int) Math.min(h.before() - 1, msgs.size());
      int n = Math.min(h.limit() == null ? 50 : h.limit(), historyCap);
      int start = Math.max(0, end - n);
      conn.emit(
          new ServerEvent.HistoryPage(
              h.id(), h.room(), List.copyOf(msgs.subList(start, end)), start > 0));
    }
  }

  final class Conn implements Link {
    final Listener listener;
    volatile boolean dead;

    Conn(Listener listener) {
      this.listener = listener;
    }

    void emit(ServerEvent e) {
      if (!dead) {
        listener.onEvent(e);
      }
    }

    @Override
    public void send(ClientCommand command) {
      synchronized (SimulatedServer.this) {
        if (!dead) {
          handle(this, command);
        }
      }
    }

    @Override
    public void close(int code, String reason) {
      synchronized (SimulatedServer.this) {
        dead = true;
        if (current == this) {
          current = null;
        }
      }
    }

    @Override
    public void ping() {
      if (!dead) {
        listener.onActivity(); // the pong
      }
    }

    @Override
    public void abort() {
      close(1006, "abort");
    }
  }
}
