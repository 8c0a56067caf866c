package dev.natter.store.sqlite.bench;

import dev.natter.core.model.Message;
import dev.natter.core.model.NewMessage;
import dev.natter.core.model.NewRoom;
import dev.natter.core.model.Role;
import dev.natter.core.model.Room;
import dev.natter.core.model.RoomKind;
import dev.natter.core.model.User;
import dev.natter.core.model.Visibility;
import dev.natter.core.spi.IdGenerator;
import dev.natter.store.sqlite.SqliteChatStore;
import dev.natter.store.sqlite.SqliteStoreOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The SQLite store's benchmark (not a test): durable appends through group commit, and history
 * pages over a million stored messages. Run it with {@code ./mvnw -q -pl chat-store-sqlite -am
 * -Pbench test-compile} (see the module README); options as {@code -Dbench.args="..."}:
 *
 * <ul>
 *   <li>{@code --dir PATH} where the databases go (default {@code target/bench}; deleted first)
 *   <li>{@code --warmup S} / {@code --seconds S} warm-up (discarded) and measured seconds per run
 *   <li>{@code --senders 1,8,64} the sender counts to run ({@code none}: skip appends)
 *   <li>{@code --in-flight N} appends each sender keeps in flight (default 1)
 *   <li>{@code --repeat N} runs per sender count (the report shows each and the median)
 *   <li>{@code --history N} messages stored for the history phase (default 1,000,000)
 *   <li>{@code --readers N} threads reading history pages at once (default 1)
 *   <li>{@code --linger MS} the store's batchLinger (default 0)
 *   <li>{@code --checkpoint MS} the store's checkpointInterval (0: SQLite's automatic checkpoint)
 *   <li>{@code --max-batch N} the store's maxBatchSize
 *   <li>{@code --page-size N} page size of the new databases (diagnostics; default SQLite's)
 *   <li>{@code --synchronous full|normal} full (default, durable) or normal (no fsync per commit:
 *       only to see what the fsync costs; not a durable configuration)
 * </ul>
 *
 * <p>Columns of the append runs: msgs/s; ack latency p50/p99/p999/max (us); mean writes per commit;
 * KiB the process wrote to disk per message; the writer's wall time running statements per message
 * (us) and per COMMIT (us, where the fsync happens); the writer thread's CPU time per message (us,
 * all of its work).
 *
 * <p>Latencies come from HdrHistogram (microseconds). Ack latency is the time from the {@code
 * append} call to the completion of its future, i.e. until the batch holding it committed
 * (synchronous=FULL, so after the fsync). Every figure is measured after a warm-up that is
 * discarded.
 */
public final class SqliteStoreBenchmark {
  private static final User SENDER = new User("u-bench", "bench", "Bench");
  private static final int ROOMS = 8;
  private static final String[] WORDS =
      ("the quick brown fox jumps over lazy dog hello world meeting tomorrow lunch coffee deploy"
              + " release build failed passed review merge branch ticket customer support sqlite"
              + " java natter chat message room online offline typing weekend plan idea thanks")
          .split(" ");

  /** Diagnostics only: the page size of a new database (0: SQLite's default). */
  private static int pageSize;

  private SqliteStoreBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = parse(args);
    Path dir = Path.of(options.getOrDefault("dir", "target/bench")).toAbsolutePath();
    int warmup = Integer.parseInt(options.getOrDefault("warmup", "5"));
    int seconds = Integer.parseInt(options.getOrDefault("seconds", "10"));
    int inFlight = Integer.parseInt(options.getOrDefault("in-flight", "1"));
    int repeat = Integer.parseInt(options.getOrDefault("repeat", "1"));
    int history = Integer.parseInt(options.getOrDefault("history", "1000000"));
    int readers = Integer.parseInt(options.getOrDefault("readers", "1"));
    long lingerMicros = (long) (Double.parseDouble(options.getOrDefault("linger", "0")) * 1000);
    List<Integer> senderCounts =
        Stream.of(options.getOrDefault("senders", "1,8,64").split(","))
            .map(String::trim)
            .filter(v -> !v.isEmpty() && !v.equals("none"))
            .map(Integer::parseInt)
            .toList();
    boolean full = options.getOrDefault("synchronous", "full").equals("full");
    pageSize = Integer.parseInt(options.getOrDefault("page-size", "0"));
    SqliteStoreOptions storeOptions =
        SqliteStoreOptions.builder()
            .batchLinger(Duration.ofNanos(lingerMicros * 1000))
            .synchronousFull(full)
            .checkpointInterval(
                Duration.ofMillis(Long.parseLong(options.getOrDefault("checkpoint", "500"))))
            .maxBatchSize(Integer.parseInt(options.getOrDefault("max-batch", "512")))
            .build();

    deleteRecursively(dir);
    Files.createDirectories(dir);
    System.out.printf(
        Locale.ROOT,
        "SQLite store benchmark: %s, %d cores, java %s, options %s%n",
        cpuModel(),
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"),
        storeOptions);

    if (!senderCounts.isEmpty()) {
      System.out.printf(
          Locale.ROOT,
          "%n== durable appends: %d s warm-up (discarded), %d s measured, %d in flight per sender%n",
          warmup,
          seconds,
          inFlight);
      System.out.printf(
          Locale.ROOT,
          "%8s %10s %9s %9s %9s %9s %8s %8s %9s %9s %9s %9s %9s %9s%n",
          "senders",
          "msgs/s",
          "p50 us",
          "p99 us",
          "p999 us",
          "max us",
          "batch",
          "KiB/msg",
          "exec us",
          "commit us",
          "cpu us",
          "compl us",
          "index us",
          "catch-up");
      for (int senders : senderCounts) {
        List<AppendRun> runs = new ArrayList<>();
        for (int r = 0; r < repeat; r++) {
          Path file = dir.resolve("appends-" + senders + "-" + r + ".db");
          AppendRun run = appends(file, storeOptions, senders, inFlight, warmup, seconds);
          runs.add(run);
          System.out.println(run.row(senders));
          deleteDatabase(file);
        }
        if (repeat > 1) {
          AppendRun median =
              runs.stream()
                  .sorted(Comparator.comparingDouble(AppendRun::perSecond))
                  .toList()
                  .get(runs.size() / 2);
          System.out.println(median.row(senders) + "   <- median of " + repeat);
        }
      }
    }

    if (history > 0) {
      Path file = dir.resolve("history.db");
      System.out.printf(Locale.ROOT, "%n== history pages over %,d stored messages%n", history);
      long started = System.nanoTime();
      bulkLoad(file, history);
      System.out.printf(
          Locale.ROOT,
          "bulk load: %,d messages in %.1f s (raw JDBC, 50,000-row transactions), file %,d MB%n",
          history,
          (System.nanoTime() - started) / 1e9,
          Files.size(file) / (1024 * 1024));
      started = System.nanoTime();
      indexFromScratch(file);
      System.out.printf(
          Locale.ROOT,
          "search index built from scratch (as after an upgrade): %,d messages in %.1f s%n",
          history,
          (System.nanoTime() - started) / 1e9);
      historyPages(file, storeOptions, history, readers, warmup, seconds);
    }
  }

  // ---- appends

  /**
   * One measured run: appends per second, ack latency, mean writes per commit, bytes the process
   * wrote to disk per message (WAL and checkpoints; Linux only, else -1).
   */
  record AppendRun(
      double perSecond,
      Histogram latency,
      double meanBatch,
      double bytesPerMessage,
      double executeMicrosPerMessage,
      double commitMicrosPerBatch,
      double writerCpuMicrosPerMessage,
      double completerCpuMicrosPerMessage,
      double indexCpuMicrosPerMessage,
      long catchUpMillis) {
    String row(int senders) {
      return String.format(
          Locale.ROOT,
          "%8d %10.0f %9d %9d %9d %9d %8.1f %8.1f %9.1f %9.0f %9.1f %9.1f %9.1f %6d ms",
          senders,
          perSecond,
          latency.getValueAtPercentile(50),
          latency.getValueAtPercentile(99),
          latency.getValueAtPercentile(99.9),
          latency.getMaxValue(),
          meanBatch,
          bytesPerMessage / 1024,
          executeMicrosPerMessage,
          commitMicrosPerBatch,
          writerCpuMicrosPerMessage,
          completerCpuMicrosPerMessage,
          indexCpuMicrosPerMessage,
          catchUpMillis);
    }
  }

  private static final String WRITER = "natter-sqlite-writer";
  private static final String COMPLETER = "natter-sqlite-completer";
  private static final String INDEXER = "natter-sqlite-search";

  /** CPU time of one of the store's threads so far, in nanoseconds (-1 if unknown). */
  private static long cpuNanos(String threadName) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && info.getThreadName().equals(threadName)) {
        return threads.getThreadCpuTime(info.getThreadId());
      }
    }
    return -1;
  }

  /** write_bytes of /proc/self/io: what this process caused to be written to storage. */
  private static long bytesWritten() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/self/io"))) {
      return lines
          .filter(l -> l.startsWith("write_bytes:"))
          .mapToLong(l -> Long.parseLong(l.substring(12).trim()))
          .findFirst()
          .orElse(-1);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static AppendRun appends(
      Path file,
      SqliteStoreOptions options,
      int senders,
      int inFlight,
      int warmupSeconds,
      int seconds)
      throws Exception {
    if (pageSize > 0) {
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
          Statement st = c.createStatement()) {
        st.execute("PRAGMA page_size = " + pageSize);
        st.execute("VACUUM");
      }
    }
    try (SqliteChatStore store = SqliteChatStore.open(file, options)) {
      Instant now = Instant.now();
      store.createUser(SENDER, "hash", now);
      for (int r = 0; r < ROOMS; r++) {
        store.createRoom(
            new NewRoom(
                new Room("r-" + r, RoomKind.GROUP, "room " + r, Visibility.PUBLIC, null, now),
                Map.of(SENDER.id(), Role.OWNER)));
      }
      Recorder recorder = new Recorder(3);
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicLong failures = new AtomicLong();
      List<Thread> threads = new ArrayList<>();
      for (int s = 0; s < senders; s++) {
        int sender = s;
        Thread t =
            new Thread(
                () -> send(store, sender, inFlight, recorder, running, failures), "sender-" + s);
        t.setDaemon(true);
        threads.add(t);
      }
      threads.forEach(Thread::start);

      TimeUnit.SECONDS.sleep(warmupSeconds);
      recorder.getIntervalHistogram(); // discard the warm-up
      SqliteChatStore.Stats before = store.stats();
      long writtenBefore = bytesWritten();
      long cpuBefore = cpuNanos(WRITER);
      long completerBefore = cpuNanos(COMPLETER);
      long indexBefore = cpuNanos(INDEXER);
      long start = System.nanoTime();
      TimeUnit.SECONDS.sleep(seconds);
      Histogram measured = recorder.getIntervalHistogram();
      long elapsed = System.nanoTime() - start;
      SqliteChatStore.Stats after = store.stats();
      long written = bytesWritten() - writtenBefore;
      long cpu = cpuNanos(WRITER) - cpuBefore;
      long completerCpu = cpuNanos(COMPLETER) - completerBefore;

      running.set(false);
      for (Thread t : threads) {
        t.join(TimeUnit.SECONDS.toMillis(30));
      }
      // How far the search index is behind when the load stops: a search waits until it caught up.
      long catchUpStarted = System.nanoTime();
      List<String> rooms = IntStream.range(0, ROOMS).mapToObj(r -> "r-" + r).toList();
      store.search(rooms, WORDS[0], 1);
      long catchUpMillis = (System.nanoTime() - catchUpStarted) / 1_000_000;
      // The index's CPU covers the measured messages even where it indexed them after the window.
      long indexCpu = cpuNanos(INDEXER) - indexBefore;
      if (failures.get() > 0) {
        throw new IllegalStateException(failures.get() + " appends failed");
      }
      long batches = after.batches() - before.batches();
      double meanBatch = batches == 0 ? 0 : (double) (after.writes() - before.writes()) / batches;
      long messages = after.writes() - before.writes();
      return new AppendRun(
          measured.getTotalCount() / (elapsed / 1e9),
          measured,
          meanBatch,
          writtenBefore < 0 || messages == 0 ? -1 : (double) written / messages,
          messages == 0 ? 0 : (after.executeNanos() - before.executeNanos()) / 1e3 / messages,
          batches == 0 ? 0 : (after.commitNanos() - before.commitNanos()) / 1e3 / batches,
          cpuBefore < 0 || messages == 0 ? -1 : cpu / 1e3 / messages,
          completerBefore < 0 || messages == 0 ? -1 : completerCpu / 1e3 / messages,
          indexBefore < 0 || messages == 0 ? -1 : indexCpu / 1e3 / messages,
          catchUpMillis);
    }
  }

  /** A sender: keeps {@code inFlight} appends outstanding, records each one's ack latency. */
  private static void send(
      SqliteChatStore store,
      int sender,
      int inFlight,
      Recorder recorder,
      AtomicBoolean running,
      AtomicLong failures) {
    Semaphore permits = new Semaphore(inFlight);
    SplittableRandom random = new SplittableRandom(sender);
    IdGenerator ids = IdGenerator.random();
    String room = "r-" + (sender % ROOMS);
    while (running.get()) {
      permits.acquireUninterruptibly();
      // Message ids as the engine makes them (time-ordered); client ids random, as browsers make.
      String messageId = ids.newId();
      String clientMsgId = UUID.randomUUID().toString();
      long t0 = System.nanoTime();
      store
          .append(
              new NewMessage(
                  room, messageId, SENDER, clientMsgId, body(random), null, Instant.now()),
              m -> {})
          .whenComplete(
              (result, error) -> {
                if (error != null) {
                  failures.incrementAndGet();
                } else {
                  recorder.recordValue((System.nanoTime() - t0) / 1000);
                }
                permits.release();
              });
    }
    permits.acquireUninterruptibly(inFlight);
  }

  private static String body(SplittableRandom random) {
    int words = 4 + random.nextInt(12);
    StringBuilder b = new StringBuilder();
    for (int w = 0; w < words; w++) {
      if (w > 0) {
        b.append(' ');
      }
      b.append(WORDS[random.nextInt(WORDS.length)]);
    }
    return b.toString();
  }

  // ---- history

  /**
   * Stores {@code total} messages in {@link #ROOMS} rooms fast: the store creates the schema, then
   * plain JDBC inserts rows in large transactions with {@code synchronous=OFF} (a throwaway
   * database; the search index is built afterwards, see {@link #indexFromScratch}).
   */
  private static void bulkLoad(Path file, int total) throws SQLException {
    Instant now = Instant.now();
    try (SqliteChatStore store = SqliteChatStore.open(file)) {
      store.createUser(SENDER, "hash", now);
      for (int r = 0; r < ROOMS; r++) {
        store.createRoom(
            new NewRoom(
                new Room("r-" + r, RoomKind.GROUP, "room " + r, Visibility.PUBLIC, null, now),
                Map.of(SENDER.id(), Role.OWNER)));
      }
    }
    long perRoom = total / ROOMS;
    long t0 = now.getEpochSecond() * 1_000_000_000L;
    SplittableRandom random = new SplittableRandom(42);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
      try (Statement st = c.createStatement()) {
        st.execute("PRAGMA synchronous = OFF");
        st.execute("PRAGMA cache_size = -262144");
      }
      c.setAutoCommit(false);
      try (PreparedStatement insert =
          c.prepareStatement(
              "INSERT INTO messages (room_id, seq, message_id, sender_id, client_msg_id, body, ts)"
                  + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
        long n = 0;
        for (long seq = 1; seq <= perRoom; seq++) {
          for (int r = 0; r < ROOMS; r++) {
            String id = "h-" + r + "-" + seq;
            insert.setString(1, "r-" + r);
            insert.setLong(2, seq);
            insert.setString(3, id);
            insert.setString(4, SENDER.id());
            insert.setString(5, id);
            boolean last = seq == perRoom && r == ROOMS - 1;
            insert.setString(6, last ? LAST_WORD : body(random));
            insert.setLong(7, t0 + seq * 1_000_000L);
            insert.addBatch();
            if (++n % 50_000 == 0) {
              insert.executeBatch();
              c.commit();
            }
          }
        }
        insert.executeBatch();
      }
      try (PreparedStatement update = c.prepareStatement("UPDATE rooms SET last_seq = ?")) {
        update.setLong(1, perRoom);
        update.execute();
      }
      c.commit();
      c.setAutoCommit(true);
      try (Statement st = c.createStatement()) {
        st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        st.execute("ANALYZE");
      }
    }
  }

  /** The body of the last bulk-loaded message: found by search once all of them are indexed. */
  private static final String LAST_WORD = "lastbulkmessage";

  /** Opens the store on a bulk-loaded file and waits until its search index holds everything. */
  private static void indexFromScratch(Path file) throws InterruptedException {
    try (SqliteChatStore store = SqliteChatStore.open(file)) {
      List<String> rooms = IntStream.range(0, ROOMS).mapToObj(r -> "r-" + r).toList();
      while (store.search(rooms, LAST_WORD, 1).isEmpty()) {
        TimeUnit.MILLISECONDS.sleep(100);
      }
    }
  }

  private static void historyPages(
      Path file, SqliteStoreOptions options, int total, int readers, int warmupSeconds, int seconds)
      throws Exception {
    long perRoom = total / ROOMS;
    try (SqliteChatStore store = SqliteChatStore.open(file, options)) {
      Recorder recorder = new Recorder(3);
      AtomicBoolean running = new AtomicBoolean(true);
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < readers; t++) {
        Thread reader =
            new Thread(
                () -> {
                  ThreadLocalRandom random = ThreadLocalRandom.current();
                  while (running.get()) {
                    String room = "r-" + random.nextInt(ROOMS);
                    long before = 2 + random.nextLong(perRoom);
                    long t0 = System.nanoTime();
                    List<Message> page = store.messagesBefore(room, before, 50);
                    recorder.recordValue((System.nanoTime() - t0) / 1000);
                    long expected = Math.min(50, before - 1);
                    if (page.size() != expected || page.get(page.size() - 1).seq() != before - 1) {
                      throw new IllegalStateException(
                          "wrong page before " + before + " in " + room);
                    }
                  }
                },
                "reader-" + t);
        reader.setDaemon(true);
        threads.add(reader);
      }
      threads.forEach(Thread::start);
      TimeUnit.SECONDS.sleep(warmupSeconds);
      recorder.getIntervalHistogram();
      long start = System.nanoTime();
      TimeUnit.SECONDS.sleep(seconds);
      Histogram h = recorder.getIntervalHistogram();
      long elapsed = System.nanoTime() - start;
      running.set(false);
      for (Thread t : threads) {
        t.join(TimeUnit.SECONDS.toMillis(30));
      }
      System.out.printf(
          Locale.ROOT,
          "%8s %12s %10s %10s %10s %10s%n",
          "readers",
          "pages/s",
          "p50 us",
          "p99 us",
          "p999 us",
          "max us");
      System.out.printf(
          Locale.ROOT,
          "%8d %12.0f %10d %10d %10d %10d%n",
          readers,
          h.getTotalCount() / (elapsed / 1e9),
          h.getValueAtPercentile(50),
          h.getValueAtPercentile(99),
          h.getValueAtPercentile(99.9),
          h.getMaxValue());
    }
  }

  // ---- odds and ends

  private static Map<String, String> parse(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --name value pairs, got " + List.of(args));
      }
      options.put(args[i].substring(2), args[++i]);
    }
    return options;
  }

  private static String cpuModel() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
      return lines
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst()
          .orElse("unknown CPU");
    } catch (IOException e) {
      return "unknown CPU";
    }
  }

  private static void deleteDatabase(Path file) throws IOException {
    for (String suffix : List.of("", "-wal", "-shm")) {
      Files.deleteIfExists(Path.of(file + suffix));
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
