package dev.natter.transport;

import static dev.natter.transport.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.natter.store.sqlite.SqliteChatStore;
import dev.natter.transport.TestServer.Account;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server restarted on the same SQLite file: sessions, messages and idempotent sends survive. */
class SqliteRestartTest {
  @TempDir Path dir;

  private static String send(String id, String room, String clientMsgId, String body) {
    return "{\"type\":\"send\",\"id\":\""
        + id
        + "\",\"room\":\""
        + room
        + "\",\"clientMsgId\":\""
        + clientMsgId
        + "\",\"body\":\""
        + body
        + "\"}";
  }

  @Test
  void everythingAckedBeforeARestartIsThereAfterIt() {
    Path db = dir.resolve("natter.db");
    Account alice;
    Account bob;
    String dm;
    try (TestServer first = TestServer.start(SqliteChatStore.open(db), e -> {}, s -> {})) {
      alice = first.register("alice");
      bob = first.register("bob");
      dm = first.openDm(alice, bob);
      Ws a = first.connect(alice);
      for (int i = 1; i <= 3; i++) {
        a.send(send("s" + i, dm, "c-" + i, "message " + i));
        assertThat(a.next("ack").path("seq").asLong()).isEqualTo(i);
      }
    }
    try (TestServer second = TestServer.start(SqliteChatStore.open(db), e -> {}, s -> {})) {
      // sessions survive: the same tokens still work, over HTTP and WebSocket
      assertThat(json(second.get("/api/me", bob.token())).path("id").asText()).isEqualTo(bob.id());
      Ws b = second.connect(bob);
      Ws a = second.connect(alice);
      b.send("{\"type\":\"sync\",\"id\":\"sync\",\"rooms\":{\"" + dm + "\":0}}");
      for (int i = 1; i <= 3; i++) {
        JsonNode m = b.next("message");
        assertThat(m.path("seq").asLong()).isEqualTo(i);
        assertThat(m.path("body").asText()).isEqualTo("message " + i);
      }
      JsonNode synced = b.next("synced");
      assertThat(synced.path("upToSeq").asLong()).isEqualTo(3);
      assertThat(synced.path("limited").asBoolean()).isFalse();
      // a resend after the restart gets the original ack and creates nothing
      a.send(send("again", dm, "c-2", "message 2"));
      JsonNode ack = a.next("ack");
      assertThat(ack.path("id").asText()).isEqualTo("again");
      assertThat(ack.path("seq").asLong()).isEqualTo(2);
      a.send(send("new", dm, "c-4", "message 4"));
      assertThat(a.next("ack", j -> j.path("id").asText().equals("new")).path("seq").asLong())
          .isEqualTo(4);
      assertThat(b.next("message", j -> j.path("seq").asLong() == 4).path("body").asText())
          .isEqualTo("message 4");
      JsonNode page = json(second.get("/api/rooms/" + dm + "/messages", bob.token()));
      assertThat(page.path("messages").findValuesAsText("body"))
          .isEqualTo(List.of("message 1", "message 2", "message 3", "message 4"));
    }
  }
}
