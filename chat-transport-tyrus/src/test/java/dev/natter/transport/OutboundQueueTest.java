package dev.natter.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.natter.core.ConnectedClient;
import dev.natter.core.Limits;
import dev.natter.core.model.User;
import dev.natter.core.model.Visibility;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A connection whose reader falls behind: what waits behind the write in flight leaves in order and
 * whole, and a newer presence of a user replaces an older one that has not been written yet.
 */
class OutboundQueueTest {
  private static final String PASSWORD = "correct horse battery";

  /**
   * A backlog larger than any kernel socket buffer here (Linux autotunes a send buffer up to {@code
   * tcp_wmem}'s maximum, 4 MiB by default), so that frames really wait in the outbox: 600 messages
   * of 15 KB, about 9 MB, under a budget raised to 64 MiB.
   */
  private static final int MESSAGES = 600;

  private static final String FILLER = "x".repeat(15_000);

  private static TestServer server() {
    return TestServer.start(
        e ->
            e.limits(
                Limits.defaults().toBuilder()
                    .sendRate(100_000, Duration.ofSeconds(1))
                    .presenceDebounce(Duration.ZERO)
                    .build()),
        s -> s.outboundBudgetBytes(64L * 1024 * 1024));
  }

  @Test
  void aReaderThatFallsBehindGetsEveryFrameWholeAndInOrder() throws Exception {
    try (TestServer t = server()) {
      User sender = t.engine.createUser("sender", PASSWORD, null);
      t.engine.createUser("reader", PASSWORD, null);
      String room =
          t.engine.createRoom(sender, "backlog", Visibility.PRIVATE, List.of("reader")).room().id();
      RawWs reader =
          RawWs.connect(t.server.port(), t.engine.login("reader", PASSWORD, null).token(), 4096);
      try {
        assertThat(reader.read().text()).contains("\"type\":\"ready\"");
        for (int i = 0; i < MESSAGES; i++) {
          t.engine.send(sender, room, i + " " + FILLER).join(); // the reader reads nothing yet
        }

        long lastSeq = 0;
        for (int i = 0; i < MESSAGES; i++) {
          JsonNode event = nextOfType(reader, "message");
          assertThat(event.path("body").asText()).isEqualTo(i + " " + FILLER);
          assertThat(event.path("seq").asLong()).isGreaterThan(lastSeq);
          lastSeq = event.path("seq").asLong();
        }
      } finally {
        reader.close();
      }
    }
  }

  @Test
  void aNewerPresenceReplacesAnOlderOneThatWaits() throws Exception {
    try (TestServer t = server()) {
      User sender = t.engine.createUser("sender", PASSWORD, null);
      t.engine.createUser("reader", PASSWORD, null);
      User flapper = t.engine.createUser("flapper", PASSWORD, null);
      String room =
          t.engine
              .createRoom(sender, "crowd", Visibility.PRIVATE, List.of("reader", "flapper"))
              .room()
              .id();
      RawWs reader =
          RawWs.connect(t.server.port(), t.engine.login("reader", PASSWORD, null).token(), 4096);
      try {
        assertThat(reader.read().text()).contains("\"type\":\"ready\"");
        // a backlog the reader has not read, so that what follows waits behind it
        for (int i = 0; i < MESSAGES; i++) {
          t.engine.send(sender, room, i + " " + FILLER).join();
        }
        int changes = 40;
        for (int i = 0; i < changes / 2; i++) {
          ConnectedClient online = t.engine.listen(flapper, event -> {});
          online.close(); // online, then offline: two presence changes
        }

        List<String> flapperStatus = new ArrayList<>();
        int messages = 0;
        // the last change (offline) comes last; reading stops there (a timeout fails the test)
        while (messages < MESSAGES
            || flapperStatus.isEmpty()
            || !flapperStatus.get(flapperStatus.size() - 1).equals("offline")) {
          JsonNode event = TestServer.json(reader.read().text());
          String type = event.path("type").asText();
          if (type.equals("message")) {
            messages++;
          } else if (type.equals("presence")
              && event.path("user").path("id").asText().equals(flapper.id())) {
            flapperStatus.add(event.path("status").asText());
          }
        }
        // at most the one presence frame that may have been written before the backlog filled
        // the socket, plus the latest: not one frame per change
        assertThat(flapperStatus).hasSizeLessThanOrEqualTo(2).hasSizeLessThan(changes);
      } finally {
        reader.close();
      }
    }
  }

  private static JsonNode nextOfType(RawWs ws, String type) throws Exception {
    while (true) {
      JsonNode event = TestServer.json(ws.read().text());
      if (event.path("type").asText().equals(type)) {
        return event;
      }
    }
  }
}
