package dev.natter.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.natter.core.model.Message;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acked means stored, even when the process dies: a child JVM appends through the store and prints
 * every acked client id; it is killed with SIGKILL at a random moment, and after each kill the
 * database must hold every acked message exactly once, seqs gapless from 1, and pass {@code PRAGMA
 * integrity_check}. Set {@code -Dnatter.crash.seed=...} to replay a run.
 */
class CrashSafetyTest {
  private static final int ROUNDS = 8;
  private static final int SENDERS = 8;

  @TempDir Path dir;

  @Test
  void everyAckedMessageSurvivesSigkillExactlyOnceWithGaplessSeqs() throws Exception {
    long seed = Long.getLong("natter.crash.seed", System.nanoTime());
    System.out.println(
        "CrashSafetyTest seed: " + seed + " (replay with -Dnatter.crash.seed=" + seed + ")");
    Random random = new Random(seed);
    Path file = dir.resolve("crash.db");
    Set<String> acked = new HashSet<>();
    long previousTotal = 0;

    for (int round = 0; round < ROUNDS; round++) {
      long delayMillis = 100 + random.nextInt(600);
      List<String> ackedThisRound = runAndKill(file, "r" + round, delayMillis);
      acked.addAll(ackedThisRound);

      // First look at the file with plain JDBC, before the store (and its migrations) touch it.
      List<String> stored;
      try (RawDb raw = new RawDb(file)) {
        assertThat(raw.integrityCheck()).as("integrity after round %d", round).isEqualTo("ok");
        List<Long> seqs =
            raw.longs("SELECT seq FROM messages WHERE room_id = ? ORDER BY seq", CrashChild.ROOM);
        assertThat(seqs)
            .as("seqs after round %d", round)
            .containsExactlyElementsOf(LongStream.rangeClosed(1, seqs.size()).boxed().toList());
        assertThat(raw.count("SELECT last_seq FROM rooms WHERE id = ?", CrashChild.ROOM))
            .isEqualTo(seqs.size());
        stored = raw.strings("SELECT client_msg_id FROM messages");
        assertThat(new HashSet<>(stored)).hasSize(stored.size());
      }
      Path index = SearchIndex.fileFor(file);
      if (Files.exists(index)) {
        try (RawDb raw = new RawDb(index)) {
          assertThat(raw.integrityCheck()).as("search index after round %d", round).isEqualTo("ok");
        }
      }
      assertThat(stored).as("acked messages after round %d", round).containsAll(acked);
      System.out.printf(
          "round %d: killed after %d ms, %d acked this round, %d stored in all%n",
          round, delayMillis, ackedThisRound.size(), stored.size());

      // Then through the store: it opens, reads everything back in order, and keeps appending.
      try (SqliteChatStore store = SqliteChatStore.open(file)) {
        long last = store.lastSeq(CrashChild.ROOM);
        assertThat(last).isEqualTo(stored.size()).isGreaterThanOrEqualTo(previousTotal);
        List<Long> seqs = new ArrayList<>();
        for (long after = 0; ; ) {
          List<Message> page = store.messagesAfter(CrashChild.ROOM, after, 1000);
          if (page.isEmpty()) {
            break;
          }
          page.forEach(m -> seqs.add(m.seq()));
          after = page.get(page.size() - 1).seq();
        }
        assertThat(seqs)
            .containsExactlyElementsOf(LongStream.rangeClosed(1, last).boxed().toList());
        // The search index, killed along with the store, catches up: every message is found.
        assertThat(store.search(List.of(CrashChild.ROOM), "body", Integer.MAX_VALUE))
            .as("search hits after round %d", round)
            .hasSize((int) last);
        previousTotal = last;
      }
    }
    assertThat(acked).as("the child acked something").isNotEmpty();
  }

  /** Starts the child, waits until it is appending, lets it run, kills it, returns its acks. */
  private static List<String> runAndKill(Path file, String prefix, long delayMillis)
      throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child =
        new ProcessBuilder(
                java,
                "-Xshare:auto",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                CrashChild.class.getName(),
                file.toString(),
                prefix,
                Integer.toString(SENDERS))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    List<String> acks = new ArrayList<>();
    CountDownLatch ready = new CountDownLatch(1);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                  // A line without its END marker was cut by the kill: it proves nothing.
                  if (line.equals("READY END")) {
                    ready.countDown();
                  } else if (line.startsWith("ACK ") && line.endsWith(" END")) {
                    synchronized (acks) {
                      acks.add(line.substring(4, line.length() - 4));
                    }
                  }
                }
              } catch (IOException e) {
                // the pipe breaks when the child dies
              }
            });
    reader.start();
    try {
      assertThat(ready.await(60, TimeUnit.SECONDS)).as("child ready").isTrue();
      Thread.sleep(delayMillis);
    } finally {
      child.destroyForcibly();
      child.waitFor(30, TimeUnit.SECONDS);
      reader.join(TimeUnit.SECONDS.toMillis(30));
    }
    synchronized (acks) {
      return List.copyOf(acks);
    }
  }
}
