package dev.natter.store.postgres.bench;

import dev.natter.core.model.NewMessage;
import dev.natter.core.model.NewRoom;
import dev.natter.core.model.Role;
import dev.natter.core.model.Room;
import dev.natter.core.model.RoomKind;
import dev.natter.core.model.User;
import dev.natter.core.model.Visibility;
import dev.natter.store.postgres.PostgresChatStore;
import dev.natter.store.postgres.PostgresStoreOptions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The PostgreSQL store's hot-room benchmark (not a test): durable appends per second to one room
 * with many concurrent senders, each sending its next message when the previous one is acked, with
 * batching off ({@code maxBatchSize} 1: one transaction per message) and on. Run it with {@code
 * ./mvnw -q -Dskip.npm -pl chat-store-postgres -am -Pbench test-compile} (see the module README);
 * options as {@code -Dbench.args="..."}:
 *
 * <ul>
 *   <li>{@code --url URL} the database (default {@code NATTER_TEST_PG_URL}, else the test default)
 *   <li>{@code --senders N} concurrent senders (default 64)
 *   <li>{@code --batches 1,256} the {@code maxBatchSize} values to run (default 1 and 256)
 *   <li>{@code --warmup S} / {@code --seconds S} warm-up (discarded) and measured seconds per run
 *   <li>{@code --repeat N} runs per batch size (default 3; the report shows each)
 *   <li>{@code --pool N} the store's pool size (default 10)
 * </ul>
 *
 * <p>Each run uses a fresh schema ({@code natter_bench}, dropped before and after). Columns:
 * msgs/s; ack latency p50/p99/p999/max (us) from the {@code append} call until its future
 * completed, i.e. after the commit ({@code synchronous_commit} on); mean messages per transaction.
 */
public final class PostgresStoreBenchmark {
  private static final String SCHEMA = "natter_bench";
  private static final String ROOM = "r-hot";
  private static final Instant T0 = Instant.parse("2024-03-01T10:00:00Z");

  private PostgresStoreBenchmark() {}

  /**
   * Runs the benchmark.
   *
   * @param args the options listed in the class comment
   * @throws Exception if the database cannot be used
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    String env = System.getenv("NATTER_TEST_PG_URL");
    String url =
        opts.getOrDefault(
            "url",
            env == null || env.isBlank() ? "jdbc:postgresql://127.0.0.1:5432/test?user=root" : env);
    int senders = Integer.parseInt(opts.getOrDefault("senders", "64"));
    int warmup = Integer.parseInt(opts.getOrDefault("warmup", "3"));
    int seconds = Integer.parseInt(opts.getOrDefault("seconds", "10"));
    int repeat = Integer.parseInt(opts.getOrDefault("repeat", "3"));
    int pool = Integer.parseInt(opts.getOrDefault("pool", "10"));
    int[] batches =
        Arrays.stream(opts.getOrDefault("batches", "1,256").split(","))
            .mapToInt(Integer::parseInt)
            .toArray();

    System.out.printf(
        Locale.ROOT,
        "hot room: %d senders, %d s measured after %d s warm-up, %d runs each%n",
        senders,
        seconds,
        warmup,
        repeat);
    System.out.printf(
        Locale.ROOT,
        "%-10s %10s %9s %9s %9s %9s %10s%n",
        "maxBatch",
        "msgs/s",
        "p50 us",
        "p99 us",
        "p999 us",
        "max us",
        "msgs/tx");
    for (int batch : batches) {
      for (int run = 0; run < repeat; run++) {
        PostgresStoreOptions options =
            PostgresStoreOptions.builder(url)
                .schema(SCHEMA)
                .poolSize(pool)
                .maxBatchSize(batch)
                .build();
        dropSchema(url);
        try (PostgresChatStore store = PostgresChatStore.open(options)) {
          System.out.println(run(store, batch, senders, warmup, seconds));
        } finally {
          dropSchema(url);
        }
      }
    }
  }

  private static String run(
      PostgresChatStore store, int batch, int senders, int warmup, int seconds)
      throws InterruptedException {
    List<User> users = new ArrayList<>();
    Map<String, Role> roles = new HashMap<>();
    for (int i = 0; i < senders; i++) {
      User u = new User("u-" + i, "sender" + i, "Sender " + i);
      store.createUser(u, "hash", T0);
      users.add(u);
      roles.put(u.id(), i == 0 ? Role.OWNER : Role.MEMBER);
    }
    store.createRoom(
        new NewRoom(new Room(ROOM, RoomKind.GROUP, "hot", Visibility.PUBLIC, null, T0), roles));

    Recorder latencies = new Recorder(3);
    AtomicBoolean measuring = new AtomicBoolean();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong acked = new AtomicLong();
    CountDownLatch done = new CountDownLatch(senders);
    for (int s = 0; s < senders; s++) {
      User sender = users.get(s);
      Thread t =
          new Thread(
              () -> {
                try {
                  for (long n = 0; !stop.get(); n++) {
                    long start = System.nanoTime();
                    store
                        .append(
                            new NewMessage(
                                ROOM,
                                sender.id() + "-" + n,
                                sender,
                                "c-" + n,
                                "hello from " + sender.username() + " number " + n,
                                null,
                                Instant.now()),
                            m -> {})
                        .join();
                    if (measuring.get()) {
                      latencies.recordValue((System.nanoTime() - start) / 1000);
                      acked.incrementAndGet();
                    }
                  }
                } finally {
                  done.countDown();
                }
              },
              "sender-" + s);
      t.setDaemon(true);
      t.start();
    }
    Thread.sleep(warmup * 1000L);
    latencies.reset();
    PostgresChatStore.Stats before = store.stats();
    measuring.set(true);
    long started = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    measuring.set(false);
    double elapsed = (System.nanoTime() - started) / 1e9;
    PostgresChatStore.Stats after = store.stats();
    stop.set(true);
    done.await();
    Histogram h = latencies.getIntervalHistogram();
    long transactions = after.transactions() - before.transactions();
    double perTx =
        transactions == 0 ? 0 : (double) (after.appended() - before.appended()) / transactions;
    return String.format(
        Locale.ROOT,
        "%-10d %10.0f %9d %9d %9d %9d %10.1f",
        batch,
        acked.get() / elapsed,
        h.getValueAtPercentile(50),
        h.getValueAtPercentile(99),
        h.getValueAtPercentile(99.9),
        h.getMaxValue(),
        perTx);
  }

  private static void dropSchema(String url) throws Exception {
    try (Connection c = DriverManager.getConnection(jdbc(url));
        Statement st = c.createStatement()) {
      st.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
    }
  }

  /** The benchmark takes JDBC URLs only for its own schema clean-up (the store takes both). */
  private static String jdbc(String url) {
    if (!url.startsWith("jdbc:")) {
      throw new IllegalArgumentException("--url: give a jdbc:postgresql: URL");
    }
    return url;
  }
}
