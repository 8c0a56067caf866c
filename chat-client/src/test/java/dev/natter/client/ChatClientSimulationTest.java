package dev.natter.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.natter.core.model.Message;
import dev.natter.core.protocol.ServerEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;

/**
 * Seeded random runs against {@link SimulatedServer}: whatever the faults, the application sees
 * every room's messages exactly once and in seq order, and every send completes once with the
 * message stored once. The seed is in every assertion message; rerun one with {@code
 * -Dnatter.seed=<seed>}.
 */
class ChatClientSimulationTest {

  @RepeatedTest(6)
  void nothingMissedNothingTwiceWhateverTheFaults() throws Exception {
    long seed = Long.getLong("natter.seed", System.nanoTime());
    String why = "seed " + seed;
    Random random = new Random(seed);
    List<String> roomIds = List.of("a", "b", "c");
    SimulatedServer server =
        new SimulatedServer(
            random, roomIds, 1 + random.nextInt(5), 1 + random.nextInt(4), 0.08, 0.08);
    Peer peer =
        new Peer(
            ChatClientBuilder.withTransport(server)
                .token("t")
                .reconnectBackoff(Duration.ofMillis(1), Duration.ofMillis(8)));
    List<ServerEvent.MessageEvent> delivered = peer.messages;
    ChatClient client = peer.client;
    List<CompletableFuture<ServerEvent.Ack>> sends = new ArrayList<>();
    try {
      client.connect().get(5, TimeUnit.SECONDS);
      boolean refusing = false;
      for (int step = 0; step < 400; step++) {
        String room = roomIds.get(random.nextInt(roomIds.size()));
        int action = random.nextInt(100);
        if (action < 50) {
          server.post(room, true);
        } else if (action < 75) {
          sends.add(client.send(room, "mine " + step));
        } else if (action < 80) {
          server.drop();
        } else if (action < 83) {
          refusing = !refusing;
          server.refuse(refusing);
        } else if (action < 90) {
          Thread.sleep(random.nextInt(3));
        }
      }
      server.refuse(false);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> client.state() == ConnectionState.CONNECTED);
      for (String room : roomIds) {
        server.post(room, false); // a last message reveals any lost one before it
      }
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> sends.stream().allMatch(CompletableFuture::isDone));
      Map<String, List<Message>> stored = server.snapshot();
      try {
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> delivered.size() >= stored.values().stream().mapToInt(List::size).sum());
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        for (String room : roomIds) {
          System.err.println(
              why
                  + " room "
                  + room
                  + " stored "
                  + stored.get(room).size()
                  + " delivered "
                  + delivered.stream()
                      .filter(m -> m.message().room().equals(room))
                      .map(m -> m.message().seq())
                      .toList());
        }
        System.err.println("state " + client.state() + " lastSeen " + client.lastSeen());
        throw e;
      }

      for (String room : roomIds) {
        List<String> ids =
            delivered.stream()
                .map(ServerEvent.MessageEvent::message)
                .filter(m -> m.room().equals(room))
                .map(Message::messageId)
                .toList();
        assertThat(ids)
            .as(why + ", room " + room)
            .isEqualTo(stored.get(room).stream().map(Message::messageId).toList());
      }
      long mine =
          stored.values().stream()
              .flatMap(List::stream)
              .filter(m -> m.sender().equals(Fixtures.ME))
              .count();
      assertThat(mine).as(why + ": each send stored once").isEqualTo(sends.size());
      for (CompletableFuture<ServerEvent.Ack> f : sends) {
        assertThat(f).as(why).isCompleted();
      }
      assertThat(sends.stream().map(f -> f.join().messageId()).distinct().count())
          .as(why)
          .isEqualTo(sends.size());
      assertThat(client.outbox().entries()).as(why).isEmpty();
    } finally {
      client.close();
    }
  }
}
