package dev.natter.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.natter.codec.JsonCodec;
import dev.natter.core.ChatEngine;
import dev.natter.core.Limits;
import dev.natter.core.model.Message;
import dev.natter.core.model.Presence;
import dev.natter.core.model.Role;
import dev.natter.core.model.Room;
import dev.natter.core.model.RoomKind;
import dev.natter.core.model.RoomSummary;
import dev.natter.core.model.User;
import dev.natter.core.model.Visibility;
import dev.natter.core.protocol.ServerEvent;
import dev.natter.core.spi.HeartbeatPolicy;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Frames that arrive right after the WebSocket handshake, and under fan-out, reach the application
 * intact: every frame decodes, every message is the one sent (multi-byte UTF-8 bodies of {@link
 * Utf8Bodies}, at every alignment, from 100 bytes to 36 KB), and no connection is lost or replaced
 * (a reconnect would hide a lost frame behind the client's resume, so any state but CONNECTING and
 * CONNECTED fails the test, and so does a second {@code ready}).
 *
 * <p>This is what the JDK's WebSocket client got wrong for 0.5 to 6 % of connections (bytes that
 * came with the 101 response were lost; see {@code JdkWebSocketHandoverRepro} in
 * chat-transport-tyrus), and why the client now runs on Tyrus. 1,000 connections get their frames
 * in the same write as the 101 response from {@link HandshakeBurstServer}; 300 more connect to a
 * real Natter server, where a big {@code ready} goes out right after the handshake, followed at
 * once by the replay of the room's history (the client resumes from seq 0) and by live messages
 * that a member keeps sending, with the server's pings in between.
 */
@Timeout(150)
class FrameIntegrityTest {
  private static final JsonCodec CODEC = JsonCodec.shared();
  private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
  private static final Duration WAIT = Duration.ofSeconds(30);

  /** A transport that counts (as problems) the frames no protocol event could be read from. */
  private static Transport counting(Transport real, Queue<String> problems) {
    return (token, listener) ->
        real.open(
            token,
            new Transport.Listener() {
              @Override
              public void onOpen(Transport.Link link) {
                listener.onOpen(link);
              }

              @Override
              public void onEvent(ServerEvent event) {
                listener.onEvent(event);
              }

              @Override
              public void onUndecodable(String frame, RuntimeException error) {
                problems.add("a frame that does not decode (" + error + "), " + frame.length());
                listener.onUndecodable(frame, error);
              }

              @Override
              public void onActivity() {
                listener.onActivity();
              }

              @Override
              public void onClosed(int code, String reason) {
                listener.onClosed(code, reason);
              }
            });
  }

  /** One connected client and what it heard. */
  private static final class Member implements ChatListener {
    final String name;
    final ChatClient client;
    final List<ServerEvent.Ready> readies = new CopyOnWriteArrayList<>();
    final List<Message> messages = new CopyOnWriteArrayList<>();
    final List<String> trouble = new CopyOnWriteArrayList<>();
    volatile boolean resumed;

    Member(String name, ChatClientBuilder builder) {
      this.name = name;
      this.client = builder.build();
      client.addListener(this);
    }

    @Override
    public void onEvent(ChatClient c, ServerEvent event) {
      if (event instanceof ServerEvent.Ready r) {
        readies.add(r);
      } else if (event instanceof ServerEvent.MessageEvent m) {
        messages.add(m.message());
        if (!Utf8Bodies.intact(m.message().body())) {
          trouble.add("message #" + m.message().seq() + " arrived garbled");
        }
      } else if (event instanceof ServerEvent.Error e) {
        trouble.add("error " + e.code() + " " + e.message());
      }
    }

    @Override
    public void onConnectionEvent(ChatClient c, ConnectionEvent event) {
      if (event instanceof ConnectionEvent.StateChanged s
          && s.state() != ConnectionState.CONNECTING
          && s.state() != ConnectionState.CONNECTED) {
        trouble.add("state " + s.state());
      } else if (event instanceof ConnectionEvent.Disconnected d) {
        trouble.add("disconnected " + d.code() + " " + d.reason());
      } else if (event instanceof ConnectionEvent.ConnectFailed f
          && !(f.cause() instanceof ServerBusyException)) {
        // (a burst of handshakes may be shed with 503 by the server; the client tries again, and
        // what counts here is that every frame then arrives intact)
        trouble.add("connect failed: " + f.cause());
      } else if (event instanceof ConnectionEvent.Resumed) {
        resumed = true;
      }
    }

    List<String> bodies() {
      return messages.stream().map(Message::body).toList();
    }

    /** What went wrong, with its name; empty when nothing did. */
    List<String> problems() {
      List<String> all = new ArrayList<>();
      trouble.forEach(t -> all.add(name + ": " + t));
      if (readies.size() != 1) {
        all.add(name + ": " + readies.size() + " readies");
      }
      return all;
    }
  }

  // =====================================================================================
  // 1,000 connections, each with its frames in the write of the 101 response

  private static final int BURST_CONNECTIONS = 1_000;
  private static final int WAVE = 125;
  private static final int BURST_MESSAGES = Utf8Bodies.SIZES.length;
  private static final String ROOM = "r";

  /** Rooms of 200 members with multi-byte names make each {@code ready} about 60 KB. */
  private static final List<RoomSummary> BIG_ROOMS = bigRooms();

  private static List<RoomSummary> bigRooms() {
    List<User> members =
        IntStream.range(0, 200)
            .mapToObj(i -> new User("u-" + i, "member" + i, "Mémber " + i + " 😀 €"))
            .toList();
    List<RoomSummary> rooms = new ArrayList<>();
    rooms.add(summary(ROOM, "the room", members.subList(0, 2), null));
    for (int r = 0; r < 3; r++) {
      Message last = message("big-" + r, 1, "#" + r + ": ünïcödé 😀 ".repeat(200));
      rooms.add(summary("big-" + r, "Grôße Runde " + r + " 🎉", members, last));
    }
    return rooms;
  }

  private static RoomSummary summary(String id, String name, List<User> members, Message last) {
    return new RoomSummary(
        new Room(id, RoomKind.GROUP, name, Visibility.PUBLIC, null, T0),
        members,
        Role.MEMBER,
        last == null ? 0 : last.seq(),
        last,
        0,
        0);
  }

  private static Message message(String room, long seq, String body) {
    return new Message(
        room,
        seq,
        room + "#" + seq,
        new User("u-1", "member1", "Mémber 1"),
        body,
        T0.plusSeconds(seq),
        null,
        null,
        false,
        Map.of());
  }

  /** Connection n's frames: its {@code ready}, then one message of each size. */
  private static List<String> burstFrames(int n) {
    List<String> frames = new ArrayList<>();
    frames.add(CODEC.encode(burstReady(n)));
    for (int k = 0; k < BURST_MESSAGES; k++) {
      Message m = message(ROOM, k + 1, Utf8Bodies.body(n * BURST_MESSAGES + k));
      frames.add(CODEC.encode(new ServerEvent.MessageEvent(m, null)));
    }
    return frames;
  }

  private static ServerEvent.Ready burstReady(int n) {
    User me = new User("me-" + n, "client" + n, "Çlient " + n);
    return new ServerEvent.Ready(
        me,
        new ServerEvent.HeartbeatSettings(0, 0),
        BIG_ROOMS,
        List.of(new Presence(BIG_ROOMS.get(1).members().get(7), Presence.Status.ONLINE, T0)));
  }

  @Test
  void aThousandConnectionsGetTheFramesSentWithTheHandshakeResponseIntact() throws Exception {
    Queue<String> problems = new ConcurrentLinkedQueue<>();
    List<String> failures = new ArrayList<>();
    ServerEvent.Ready sampleReady = burstReady(0);
    assertThat(CODEC.encode(sampleReady).length()).as("a big ready").isGreaterThan(40_000);
    try (HandshakeBurstServer server =
        new HandshakeBurstServer("the-token", FrameIntegrityTest::burstFrames)) {
      for (int first = 0; first < BURST_CONNECTIONS; first += WAVE) {
        // The server numbers connections as they come; the client tells by the ready's user.
        List<Member> wave = new ArrayList<>();
        for (int i = 0; i < WAVE; i++) {
          wave.add(
              new Member(
                  "client " + (first + i),
                  ChatClientBuilder.withTransport(
                          counting(
                              new TyrusTransport(server.uri(), Duration.ofSeconds(10)), problems))
                      .token("the-token")));
        }
        try {
          wave.forEach(m -> m.client.connect());
          awaitAll(wave, m -> m.messages.size() >= BURST_MESSAGES || !m.trouble.isEmpty());
          for (Member m : wave) {
            failures.addAll(m.problems());
            failures.addAll(checkBurst(m));
          }
        } finally {
          wave.forEach(m -> m.client.close());
        }
        assertThat(failures).as("after %d connections", first + WAVE).isEmpty();
      }
      assertThat(server.problems).isEmpty();
    }
    assertThat(problems).isEmpty();
  }

  /** What a burst client got wrong: its ready and its messages, compared with what was sent. */
  private static List<String> checkBurst(Member m) {
    if (m.readies.isEmpty()) {
      return List.of(m.name + ": no ready");
    }
    ServerEvent.Ready ready = m.readies.get(0);
    int n = Integer.parseInt(ready.user().username().substring("client".length()));
    List<String> out = new ArrayList<>();
    if (!ready.equals(CODEC.decodeEvent(CODEC.encode(burstReady(n))))) {
      out.add(m.name + ": the ready differs from the one sent");
    }
    List<String> expected =
        IntStream.range(0, BURST_MESSAGES)
            .mapToObj(k -> Utf8Bodies.body(n * BURST_MESSAGES + k))
            .toList();
    if (!m.bodies().equals(expected)) {
      out.add(m.name + ": got " + m.messages.size() + " messages, not the " + expected.size());
    }
    return out;
  }

  // =====================================================================================
  // 300 connections to a real server: ready, the replay of the history, live fan-out

  private static final int MEMBERS = 100;
  private static final int ROUNDS = 3;
  private static final int HISTORY = 14;
  private static final int LIVE = 30;

  @Test
  void clientsOfARealServerGetTheirReadyReplayAndLiveMessagesIntact() throws Exception {
    Queue<String> problems = new ConcurrentLinkedQueue<>();
    try (LiveServer server =
        LiveServer.start(
            b ->
                b.limits(
                        Limits.defaults()
                            .withSendRate(10_000, Duration.ofSeconds(1))
                            .withMaxBodyChars(64_000))
                    .heartbeat(HeartbeatPolicy.of(300, 10_000)))) {
      ChatEngine engine = server.engine();
      List<String> tokens = new ArrayList<>();
      for (int i = 0; i < MEMBERS; i++) {
        tokens.add(
            engine.register("member" + i, LiveServer.PASSWORD, "Mémber " + i + " 😀").token());
      }
      User owner = engine.authenticate(tokens.get(0)).user();
      List<String> others = IntStream.range(1, MEMBERS).mapToObj(i -> "member" + i).toList();
      String room = engine.createRoom(owner, "fanout 🎉", Visibility.PRIVATE, others).room().id();

      try (Peer sender = Peer.connect(ChatClient.builder(server.uri()).token(tokens.get(0)))) {
        for (int i = 0; i < HISTORY; i++) {
          sender.client.send(room, Utf8Bodies.body(i)).get(10, TimeUnit.SECONDS);
        }
        int next = HISTORY;
        for (int round = 0; round < ROUNDS; round++) {
          next = round(server.uri(), tokens, room, sender.client, next, problems);
        }
        assertThat(sender.disconnects).as("the sender's connection").isEmpty();
      }
    }
    assertThat(problems).isEmpty();
  }

  /**
   * Members 1.. connect at once, resuming the room {@link #HISTORY} messages back (the replay goes
   * out right after their {@code ready}), while the sender sends {@link #LIVE} more; then each must
   * hold every message from there on, intact and in order, and nothing else. Body i is the message
   * with seq i + 1. Returns the next body.
   */
  private static int round(
      URI uri,
      List<String> tokens,
      String room,
      ChatClient sender,
      int next,
      Queue<String> problems)
      throws Exception {
    List<Member> members = new ArrayList<>();
    for (int i = 1; i < tokens.size(); i++) {
      members.add(
          new Member(
              "member " + i,
              ChatClientBuilder.withTransport(
                      counting(new TyrusTransport(uri, Duration.ofSeconds(10)), problems))
                  .token(tokens.get(i))
                  .resumeFrom(Map.of(room, (long) next - HISTORY))));
    }
    AtomicBoolean sending = new AtomicBoolean(true);
    List<CompletableFuture<ServerEvent.Ack>> acks = new CopyOnWriteArrayList<>();
    int first = next;
    Thread live =
        new Thread(
            () -> {
              for (int i = first; sending.get() && i < first + LIVE; i++) {
                acks.add(sender.send(room, Utf8Bodies.body(i)));
                sleep(50);
              }
            },
            "live-sender");
    try {
      live.start();
      members.forEach(m -> m.client.connect());
      awaitAll(members, m -> m.resumed || !m.trouble.isEmpty());
      live.join();
      CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
      long lastSeq = acks.stream().mapToLong(a -> a.join().seq()).max().orElseThrow();
      long firstSeq = next - HISTORY + 1;
      awaitAll(members, m -> m.messages.size() > lastSeq - firstSeq || !m.trouble.isEmpty());
      List<String> failures = new ArrayList<>();
      for (Member m : members) {
        failures.addAll(m.problems());
        List<Long> seqs = m.messages.stream().map(Message::seq).toList();
        if (!seqs.equals(LongStream.rangeClosed(firstSeq, lastSeq).boxed().toList())) {
          failures.add(m.name + ": got seqs " + seqs + ", not " + firstSeq + ".." + lastSeq);
        }
      }
      assertThat(failures).isEmpty();
      return first + acks.size();
    } finally {
      sending.set(false);
      members.forEach(m -> m.client.close());
    }
  }

  private static void awaitAll(List<Member> members, java.util.function.Predicate<Member> done) {
    BooleanSupplier all = () -> members.stream().allMatch(done);
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!all.getAsBoolean() && System.nanoTime() < deadline) {
      sleep(10);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
