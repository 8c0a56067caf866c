package dev.natter.transport.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.natter.core.ChatEngine;
import dev.natter.core.security.Pbkdf2PasswordHasher;
import dev.natter.core.store.memory.InMemoryChatStore;
import dev.natter.transport.NatterServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Transport fan-out benchmark: one room of N members, messages at a fixed rate from 20 senders,
 * end-to-end latency (sender's {@code sendText} to each member's receipt, all in the load process,
 * so one clock) measured after a warm-up. Run the server and the load in separate processes, pinned
 * to different cores:
 *
 * <pre>
 * taskset -c 0 java -cp CP dev.natter.transport.bench.FanoutBench server /tmp/port
 * taskset -c 1 java -cp CP dev.natter.transport.bench.FanoutBench load natter PORT 500 20 20 60
 * </pre>
 *
 * <p>The same load generator drives the peers of {@code bench/fanout.sh} through a small protocol
 * adapter: {@code natter} (HTTP register, then {@code send} frames and {@code message} events),
 * {@code relay} (a broadcast server that echoes every text frame to every client: {@link
 * BareTyrusServer} and {@code bench/peers/ws-server.mjs}) and {@code socketio} (engine.io v4 over a
 * raw WebSocket, {@code bench/peers/socketio-server.mjs}). Every adapter carries the send time in
 * the payload as {@code t=<nanoTime>}.
 */
public final class FanoutBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSWORD = "benchmark password";

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("server")) {
      server(Path.of(args[1]));
    } else if (args.length > 0 && args[0].equals("bare-tyrus")) {
      BareTyrusServer.main(java.util.Arrays.copyOfRange(args, 1, args.length));
    } else if (args.length > 0 && args[0].equals("load")) {
      // "load PORT ..." (the old form) means "load natter PORT ..."
      boolean named = !args[1].chars().allMatch(Character::isDigit);
      Protocol protocol = named ? Protocol.parse(args[1]) : Protocol.NATTER;
      int a = named ? 2 : 1;
      load(
          protocol,
          Integer.parseInt(args[a]),
          Integer.parseInt(args[a + 1]),
          Integer.parseInt(args[a + 2]),
          Integer.parseInt(args[a + 3]),
          Integer.parseInt(args[a + 4]));
    } else {
      System.err.println(
          "usage: server <port-file> | bare-tyrus [port] [port-file]"
              + " | load [natter|relay|socketio] <port> <members> <msgs/s> <warmup s> <measure s>");
      System.exit(2);
    }
  }

  /**
   * An in-memory server with default limits (a low password hashing cost: setup is not measured).
   */
  static void server(Path portFile) throws Exception {
    InMemoryChatStore store = new InMemoryChatStore();
    ChatEngine engine =
        ChatEngine.builder(store).passwordHasher(new Pbkdf2PasswordHasher(1000)).build();
    NatterServer server = NatterServer.builder(engine).port(0).ui(false).build().start();
    Files.writeString(portFile, Integer.toString(server.port()));
    System.out.println("server on port " + server.port());
    Thread.currentThread().join();
  }

  /** How the load generator talks to a target. */
  enum Protocol {
    /** Natter: tokens over HTTP, {@code send} frames, {@code message} events. */
    NATTER,
    /** A relay that echoes every text frame to every client; the payload is the frame. */
    RELAY,
    /** Socket.IO 4 (engine.io v4) over a raw WebSocket, one room, {@code msg} events. */
    SOCKETIO;

    static Protocol parse(String name) {
      return switch (name) {
        case "natter" -> NATTER;
        case "relay", "bare-tyrus", "ws" -> RELAY;
        case "socketio", "socket.io" -> SOCKETIO;
        default -> throw new IllegalArgumentException("unknown target protocol: " + name);
      };
    }
  }

  private static final String FILLER = " hello everyone, this is a message of ordinary length";

  static void load(
      Protocol protocol, int port, int members, int rate, int warmupSec, int measureSec)
      throws Exception {
    String run = Long.toString(System.currentTimeMillis() % 100_000, 36);
    List<String> tokens = new ArrayList<>();
    String room = "";
    if (protocol == Protocol.NATTER) {
      room = natterSetup(port, members, run, tokens);
    } else {
      for (int i = 0; i < members; i++) {
        tokens.add(null);
      }
    }
    runLoad(protocol, port, members, rate, warmupSec, measureSec, run, tokens, room);
  }

  /** Registers the members, creates their room; returns the room id and fills {@code tokens}. */
  private static String natterSetup(int port, int members, String run, List<String> tokens) {
    String base = "http://127.0.0.1:" + port;
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    List<String> names = new ArrayList<>();
    ExecutorService setup = Executors.newFixedThreadPool(8);
    List<CompletableFuture<String>> registrations = new ArrayList<>();
    for (int i = 0; i < members; i++) {
      String name = "b" + run + "u" + i;
      names.add(name);
      registrations.add(
          CompletableFuture.supplyAsync(
              () ->
                  post(
                          http,
                          base + "/api/register",
                          null,
                          "{\"username\":\"" + name + "\",\"password\":\"" + PASSWORD + "\"}")
                      .path("token")
                      .asText(),
              setup));
    }
    for (CompletableFuture<String> r : registrations) {
      tokens.add(r.join());
    }
    setup.shutdown();
    StringBuilder list = new StringBuilder();
    for (int i = 1; i < members; i++) {
      list.append(i == 1 ? "" : ",").append('"').append(names.get(i)).append('"');
    }
    String room =
        post(
                http,
                base + "/api/rooms",
                tokens.get(0),
                "{\"name\":\"bench\",\"visibility\":\"private\",\"members\":[" + list + "]}")
            .path("id")
            .asText();
    System.out.printf("registered %d members in room %s%n", members, room);
    return room;
  }

  private static void runLoad(
      Protocol protocol,
      int port,
      int members,
      int rate,
      int warmupSec,
      int measureSec,
      String run,
      List<String> tokens,
      String room)
      throws Exception {

    Recorder recorder = new Recorder(3);
    AtomicLong received = new AtomicLong();
    AtomicLong acks = new AtomicLong();
    // A raw NIO client: one selector thread reads every member's socket. (The JDK's WebSocket
    // client is heavier, and now and then loses bytes that arrive right after the 101 response
    // beyond its first 16 KiB read; Natter's `ready` for a member of this room is far bigger, so
    // some members failed with "Invalid UTF-8" on valid frames. JdkWebSocketHandoverRepro shows
    // it without Natter.)
    Selector selector = Selector.open();
    List<Member> sockets = new ArrayList<>();
    for (int i = 0; i < members; i++) {
      Member m = Member.connect(protocol, port, tokens.get(i));
      sockets.add(m);
    }
    // A relay says nothing on connect: the completed handshake is the member's readiness.
    CountDownLatch ready = new CountDownLatch(protocol == Protocol.RELAY ? 0 : members);
    for (Member m : sockets) {
      m.channel.configureBlocking(false);
      m.channel.register(selector, SelectionKey.OP_READ, m);
    }
    Thread reader =
        new Thread(
            () -> {
              try {
                while (!Thread.currentThread().isInterrupted()) {
                  selector.select(1000);
                  for (SelectionKey key : selector.selectedKeys()) {
                    ((Member) key.attachment()).readable(recorder, received, acks, ready);
                  }
                  selector.selectedKeys().clear();
                }
              } catch (Exception e) {
                e.printStackTrace();
              }
            },
            "bench-reader");
    reader.setDaemon(true);
    reader.start();
    long readyStart = System.nanoTime();
    while (!ready.await(5, TimeUnit.SECONDS)) {
      System.out.printf("waiting: %d of %d members ready%n", members - ready.getCount(), members);
      if (System.nanoTime() - readyStart > TimeUnit.SECONDS.toNanos(180)) {
        throw new IllegalStateException("not every member got ready");
      }
    }
    System.out.printf(
        "%d sockets ready after %d ms%n", members, (System.nanoTime() - readyStart) / 1_000_000);

    int senders = Math.min(20, members);
    AtomicLong sent = new AtomicLong();
    ScheduledExecutorService tick = Executors.newSingleThreadScheduledExecutor();
    long periodMicros = 1_000_000L / rate;
    tick.scheduleAtFixedRate(
        () -> {
          long n = sent.getAndIncrement();
          int sender = (int) (n % senders);
          Member m = sockets.get(sender);
          String frame =
              switch (protocol) {
                case NATTER ->
                    "{\"type\":\"send\",\"id\":\""
                        + n
                        + "\",\"room\":\""
                        + room
                        + "\",\"clientMsgId\":\"m"
                        + run
                        + "-"
                        + n
                        + "\",\"body\":\"t="
                        + System.nanoTime()
                        + FILLER
                        + "\"}";
                case RELAY -> "t=" + System.nanoTime() + " s=" + sender + FILLER;
                case SOCKETIO ->
                    "42[\"msg\",{\"s\":"
                        + sender
                        + ",\"b\":\"t="
                        + System.nanoTime()
                        + FILLER
                        + "\"}]";
              };
          m.send(1, frame.getBytes(StandardCharsets.UTF_8));
        },
        0,
        periodMicros,
        TimeUnit.MICROSECONDS);

    Thread.sleep(warmupSec * 1000L);
    recorder.getIntervalHistogram(); // discard the warm-up
    long sentBefore = sent.get();
    long receivedBefore = received.get();
    Thread.sleep(measureSec * 1000L);
    Histogram h = recorder.getIntervalHistogram();
    long sentDuring = sent.get() - sentBefore;
    long receivedDuring = received.get() - receivedBefore;
    tick.shutdownNow();
    Thread.sleep(2_000);
    System.out.printf(
        "members=%d rate=%d/s warmup=%ds measured=%ds sent=%d deliveries=%d (expected about %d)"
            + " acks=%d%n",
        members,
        rate,
        warmupSec,
        measureSec,
        sentDuring,
        receivedDuring,
        sentDuring * members,
        acks.get());
    System.out.printf(
        "end-to-end latency ms: p50=%.2f p90=%.2f p99=%.2f p99.9=%.2f max=%.2f (n=%d)%n",
        h.getValueAtPercentile(50) / 1e6,
        h.getValueAtPercentile(90) / 1e6,
        h.getValueAtPercentile(99) / 1e6,
        h.getValueAtPercentile(99.9) / 1e6,
        h.getMaxValue() / 1e6,
        h.getTotalCount());
    // one machine-readable line for bench/fanout.sh
    System.out.printf(
        java.util.Locale.ROOT,
        "RESULT protocol=%s sent=%d deliveries=%d expected=%d closed=%d p50=%.3f p90=%.3f"
            + " p99=%.3f p999=%.3f max=%.3f%n",
        protocol.name().toLowerCase(java.util.Locale.ROOT),
        sentDuring,
        receivedDuring,
        sentDuring * members,
        CLOSED.get(),
        h.getValueAtPercentile(50) / 1e6,
        h.getValueAtPercentile(90) / 1e6,
        h.getValueAtPercentile(99) / 1e6,
        h.getValueAtPercentile(99.9) / 1e6,
        h.getMaxValue() / 1e6);
    System.exit(0);
  }

  private static final AtomicLong CLOSED = new AtomicLong();

  /** One member on a raw socket: answers pings, records the latency of every message. */
  static final class Member {
    final SocketChannel channel;
    private final Protocol protocol;
    private ByteBuffer in = ByteBuffer.allocate(256 * 1024);
    private boolean gotReady;
    private final java.util.Random random = new java.util.Random();

    private Member(SocketChannel channel, Protocol protocol) {
      this.channel = channel;
      this.protocol = protocol;
    }

    static Member connect(Protocol protocol, int port, String token) throws Exception {
      SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
      String path = protocol == Protocol.SOCKETIO ? "/socket.io/?EIO=4&transport=websocket" : "/ws";
      String request =
          "GET "
              + path
              + " HTTP/1.1\r\nHost: 127.0.0.1:"
              + port
              + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
              + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
              + "\r\n";
      ch.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
      Member m = new Member(ch, protocol);
      // read the response headers byte by byte (blocking), leaving frames in the channel
      ByteBuffer one = ByteBuffer.allocate(1);
      StringBuilder head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        one.clear();
        if (ch.read(one) < 0) {
          throw new IllegalStateException("closed during handshake");
        }
        head.append((char) one.get(0));
      }
      if (!head.toString().startsWith("HTTP/1.1 101")) {
        throw new IllegalStateException("handshake refused: " + head);
      }
      return m;
    }

    synchronized void send(int opcode, byte[] payload) {
      ByteBuffer frame = ByteBuffer.allocate(payload.length + 14);
      frame.put((byte) (0x80 | opcode));
      if (payload.length < 126) {
        frame.put((byte) (0x80 | payload.length));
      } else {
        frame.put((byte) (0x80 | 126));
        frame.putShort((short) payload.length);
      }
      byte[] mask = new byte[4];
      random.nextBytes(mask);
      frame.put(mask);
      for (int i = 0; i < payload.length; i++) {
        frame.put((byte) (payload[i] ^ mask[i % 4]));
      }
      frame.flip();
      try {
        while (frame.hasRemaining()) {
          channel.write(frame);
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    void readable(Recorder recorder, AtomicLong received, AtomicLong acks, CountDownLatch ready)
        throws java.io.IOException {
      if (!in.hasRemaining()) {
        ByteBuffer bigger = ByteBuffer.allocate(in.capacity() * 2);
        in.flip();
        bigger.put(in);
        in = bigger;
      }
      if (channel.read(in) < 0) {
        channel.close();
        return;
      }
      long now = System.nanoTime();
      in.flip();
      while (in.remaining() >= 2) {
        int start = in.position();
        int b0 = in.get(start) & 0xff;
        int b1 = in.get(start + 1) & 0x7f;
        int header = 2;
        long len = b1;
        if (b1 == 126) {
          if (in.remaining() < 4) {
            break;
          }
          len = in.getShort(start + 2) & 0xffff;
          header = 4;
        } else if (b1 == 127) {
          if (in.remaining() < 10) {
            break;
          }
          len = in.getLong(start + 2);
          header = 10;
        }
        if (in.remaining() < header + len) {
          break;
        }
        byte[] payload = new byte[(int) len];
        in.position(start + header);
        in.get(payload);
        int opcode = b0 & 0x0f;
        if (opcode == 9) {
          send(10, payload); // pong
        } else if (opcode == 1) {
          String frame = new String(payload, StandardCharsets.UTF_8);
          switch (protocol) {
            case NATTER -> natterFrame(frame, now, recorder, received, acks, ready);
            case RELAY -> record(frame, 0, now, recorder, received);
            case SOCKETIO -> socketIoFrame(frame, now, recorder, received, ready);
          }
        } else if (opcode == 8) {
          CLOSED.incrementAndGet();
          System.out.println(
              "member closed by the server: "
                  + (len >= 2 ? ((payload[0] & 0xff) << 8 | (payload[1] & 0xff)) : 1005));
        }
      }
      in.compact();
    }

    private void natterFrame(
        String frame,
        long now,
        Recorder recorder,
        AtomicLong received,
        AtomicLong acks,
        CountDownLatch ready) {
      if (frame.startsWith("{\"type\":\"message\"")) {
        int i = frame.indexOf("\"body\":\"t=");
        if (i >= 0) {
          record(frame, i + 8, now, recorder, received);
        }
      } else if (frame.startsWith("{\"type\":\"ack\"")) {
        acks.incrementAndGet();
      } else if (frame.startsWith("{\"type\":\"ready\"")) {
        markReady(ready);
      }
    }

    /** Engine.io v4 packets: 0 open, 2 ping, 3 pong, 4 message; Socket.IO 0 connect, 2 event. */
    private void socketIoFrame(
        String frame, long now, Recorder recorder, AtomicLong received, CountDownLatch ready) {
      if (frame.startsWith("42[\"msg\"")) {
        int i = frame.indexOf("\"b\":\"t=");
        if (i >= 0) {
          record(frame, i + 5, now, recorder, received);
        }
      } else if (frame.equals("2")) {
        send(1, new byte[] {'3'});
      } else if (frame.startsWith("0{")) {
        send(1, new byte[] {'4', '0'}); // connect to the main namespace
      } else if (frame.startsWith("40")) {
        markReady(ready);
      } else if (frame.startsWith("44")) {
        System.out.println("socket.io connect error: " + frame);
      }
    }

    private void markReady(CountDownLatch ready) {
      if (!gotReady) {
        gotReady = true;
        ready.countDown();
      }
    }

    /** Records the latency of a frame carrying {@code t=<nanoTime> } at {@code at}. */
    private static void record(
        String frame, int at, long now, Recorder recorder, AtomicLong received) {
      if (!frame.startsWith("t=", at)) {
        return;
      }
      int s = at + 2;
      long sentAt = Long.parseLong(frame.substring(s, frame.indexOf(' ', s)));
      recorder.recordValue(Math.max(0, now - sentAt));
      received.incrementAndGet();
    }
  }

  private static JsonNode post(HttpClient http, String url, String token, String body) {
    try {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(url))
              .timeout(Duration.ofSeconds(30))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
      if (token != null) {
        b.header("Authorization", "Bearer " + token);
      }
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() >= 300) {
        throw new IllegalStateException(url + " -> " + r.statusCode() + " " + r.body());
      }
      return JSON.readTree(r.body());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
