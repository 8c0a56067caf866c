package dev.natter.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.natter.store.sqlite.SqliteChatStore;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding 9 (issue 12): a storm of WebSocket handshakes (hundreds opened at once, and opened then
 * reset) while another user's messages keep flowing, on SQLite. Every message is delivered, none
 * waits long (a generous bound: this is not a speed test), {@code /healthz} keeps answering, storm
 * handshakes over the server's handshake budget are refused cheaply with 503 and {@code
 * Retry-After}, and afterwards the server is back to its normal state.
 */
class ConnectionStormTest {
  private static final int STORM = Integer.getInteger("natter.stormSockets", 300);
  private static final int STORM_USERS = 20;

  @TempDir Path dir;

  @Test
  void othersKeepTheirDeliveriesDuringAHandshakeStorm() throws Exception {
    try (TestServer t =
        TestServer.start(
            SqliteChatStore.open(dir.resolve("natter.db")),
            e ->
                e.limits(
                    dev.natter.core.Limits.builder()
                        .sendRate(100_000, Duration.ofSeconds(1))
                        .build()),
            s -> {
              s.maxConnections(STORM, STORM * 2);
              Integer budget = Integer.getInteger("natter.stormBudget"); // for an A/B run
              if (budget != null) {
                s.maxConcurrentHandshakes(budget);
              }
            })) {
      TestServer.Account alice = t.register("alice");
      TestServer.Account bob = t.register("bob");
      List<String> stormNames = new ArrayList<>();
      List<String> tokens = new ArrayList<>();
      for (int i = 0; i < STORM_USERS; i++) {
        TestServer.Account a = t.register("storm" + i);
        stormNames.add(a.username());
        tokens.add(a.token());
      }
      // the storm users are bob's contacts: each coming online is news for him
      t.createRoom(bob, "crowd", "public", stormNames.toArray(String[]::new));
      String dm = t.openDm(alice, bob);
      Ws aliceWs = t.connect(alice);
      Ws bobWs = t.connect(bob);

      Deliveries deliveries = new Deliveries(aliceWs, bobWs, dm);
      long calm = System.nanoTime();
      deliveries.start();
      Thread.sleep(1_500); // deliveries flow before the storm

      long t0 = System.nanoTime();
      StormResult open = storm(t, tokens, Mode.OPEN);
      long t1 = System.nanoTime();
      StormResult reset = storm(t, tokens, Mode.RESET_AFTER_UPGRADE);
      long t2 = System.nanoTime();
      StormResult early = storm(t, tokens, Mode.RESET_AT_ONCE);
      long t3 = System.nanoTime();
      int health = t.get("/healthz", null).statusCode();
      Thread.sleep(500);
      deliveries.stop();
      open.close();
      System.out.printf(
          "ConnectionStormTest phases: %d / %d / %d ms, max delivery before %d, during %d / %d / %d"
              + " ms%n",
          (t1 - t0) / 1_000_000,
          (t2 - t1) / 1_000_000,
          (t3 - t2) / 1_000_000,
          deliveries.maxMillisBetween(calm, t0),
          deliveries.maxMillisBetween(t0, t1),
          deliveries.maxMillisBetween(t1, t2),
          deliveries.maxMillisBetween(t2, t3));

      System.out.printf(
          "ConnectionStormTest: open %s, reset %s, reset at once %s; deliveries %s%n",
          open, reset, early, deliveries);
      assertThat(health).isEqualTo(200);
      assertThat(open.accepted() + open.busy()).isEqualTo(STORM);
      assertThat(open.accepted()).as("some storm sockets got in").isPositive();
      assertThat(open.busy() + reset.busy())
          .as("handshakes over the budget are shed with 503 and Retry-After")
          .isPositive();
      assertThat(open.other() + reset.other()).isZero();
      assertThat(deliveries.lost()).as("messages sent but never delivered").isZero();
      assertThat(deliveries.sent()).isGreaterThan(20);
      assertThat(deliveries.maxMillis())
          .as("the slowest delivery during the storm (generous)")
          .isLessThan(10_000);
      assertThat(bobWs.closeCode).isNotDone();

      // afterwards: the storm's sockets are gone and a new connection works
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> t.server.connectionCount() == 2);
      Ws late = t.connect(t.register("late"));
      late.close();
    }
  }

  enum Mode {
    OPEN,
    RESET_AFTER_UPGRADE,
    RESET_AT_ONCE
  }

  /** What the storm's handshakes got: 101, 503 (busy), other. */
  record StormResult(int accepted, int busy, int other, List<Socket> open) {
    void close() {
      for (Socket s : open) {
        reset(s);
      }
    }

    @Override
    public String toString() {
      return accepted + " accepted, " + busy + " busy, " + other + " other";
    }
  }

  /**
   * Opens {@link #STORM} raw sockets at once: 32 threads connect and send their upgrade requests
   * first, then read the answers.
   */
  private static StormResult storm(TestServer t, List<String> tokens, Mode mode) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(32);
    AtomicInteger accepted = new AtomicInteger();
    AtomicInteger busy = new AtomicInteger();
    AtomicInteger other = new AtomicInteger();
    List<Socket> open = Collections.synchronizedList(new ArrayList<>());
    List<Socket> sent = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch go = new CountDownLatch(1);
    CountDownLatch connected = new CountDownLatch(STORM);
    for (int i = 0; i < STORM; i++) {
      String token = tokens.get(i % tokens.size());
      pool.execute(
          () -> {
            try {
              go.await();
              Socket s = new Socket();
              s.connect(new InetSocketAddress("127.0.0.1", t.server.port()), 10_000);
              s.setSoTimeout(20_000);
              s.getOutputStream().write(upgrade(t.server.port(), token));
              if (mode == Mode.RESET_AT_ONCE) {
                reset(s);
              } else {
                sent.add(s);
              }
            } catch (Exception e) {
              other.incrementAndGet();
            } finally {
              connected.countDown();
            }
          });
    }
    go.countDown();
    assertThat(connected.await(60, TimeUnit.SECONDS)).isTrue();
    CountDownLatch answered = new CountDownLatch(sent.size());
    for (Socket s : List.copyOf(sent)) {
      pool.execute(
          () -> {
            try {
              int status = status(s.getInputStream());
              if (status == 101) {
                accepted.incrementAndGet();
              } else if (status == 503) {
                busy.incrementAndGet();
                if (!headers(s.getInputStream()).contains("retry-after: 1")) {
                  other.incrementAndGet(); // a 503 must say when to come back
                }
              } else {
                other.incrementAndGet();
              }
              if (mode == Mode.OPEN && status == 101) {
                open.add(s);
              } else {
                reset(s);
              }
            } catch (Exception e) {
              other.incrementAndGet();
              reset(s);
            } finally {
              answered.countDown();
            }
          });
    }
    assertThat(answered.await(60, TimeUnit.SECONDS)).isTrue();
    pool.shutdown();
    return new StormResult(accepted.get(), busy.get(), other.get(), open);
  }

  private static byte[] upgrade(int port, String token) {
    byte[] key = new byte[16];
    new java.util.Random().nextBytes(key);
    return ("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:"
            + port
            + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
            + Base64.getEncoder().encodeToString(key)
            + "\r\nSec-WebSocket-Version: 13\r\nAuthorization: Bearer "
            + token
            + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  private static int status(InputStream in) throws Exception {
    StringBuilder line = new StringBuilder();
    for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
      line.append((char) b);
    }
    String[] parts = line.toString().split(" ");
    return parts.length > 1 ? Integer.parseInt(parts[1]) : -1;
  }

  /** The header lines after the status line, lower case. */
  private static String headers(InputStream in) throws Exception {
    StringBuilder all = new StringBuilder();
    StringBuilder line = new StringBuilder();
    for (int b = in.read(); b != -1; b = in.read()) {
      if (b == '\n') {
        if (line.toString().isBlank()) {
          break;
        }
        all.append(line.toString().strip().toLowerCase(java.util.Locale.ROOT)).append('\n');
        line.setLength(0);
      } else {
        line.append((char) b);
      }
    }
    return all.toString();
  }

  private static void reset(Socket s) {
    try {
      s.setSoLinger(true, 0); // RST instead of FIN
      s.close();
    } catch (Exception e) {
      // already gone
    }
  }
}
