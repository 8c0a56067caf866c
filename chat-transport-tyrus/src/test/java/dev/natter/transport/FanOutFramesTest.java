package dev.natter.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.natter.core.model.Message;
import dev.natter.core.model.User;
import dev.natter.core.model.Visibility;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The transport encodes an event once: every recipient receives the very same frame. */
class FanOutFramesTest {
  private static final String PASSWORD = "correct horse battery";
  private static final int MEMBERS = 200;

  @Test
  void oneEventReachesTwoHundredConnectionsByteIdentical() throws Exception {
    List<RawWs> sockets = new ArrayList<>();
    try (TestServer t = TestServer.start()) {
      User sender = t.engine.createUser("sender", PASSWORD, null);
      List<String> names = new ArrayList<>();
      for (int i = 0; i < MEMBERS; i++) {
        names.add("member" + i);
        t.engine.createUser(names.get(i), PASSWORD, null);
      }
      String room = t.engine.createRoom(sender, "crowd", Visibility.PRIVATE, names).room().id();
      for (String name : names) {
        RawWs ws = RawWs.connect(t.server.port(), t.engine.login(name, PASSWORD, null).token(), 0);
        sockets.add(ws);
        assertThat(ws.status).isEqualTo(101);
        assertThat(ws.read().text()).contains("\"type\":\"ready\"");
      }
      // multi-byte characters, and longer than 125 bytes (a 16-bit length in the header)
      String body = "h\u00e9llo \u2713 \uD83C\uDF89 " + "x".repeat(300);

      Message sent = t.engine.send(sender, room, body).join();

      byte[] first = null;
      for (RawWs ws : sockets) {
        RawWs.Frame f = nextMessage(ws);
        assertThat(f.opcode()).isEqualTo(RawWs.TEXT);
        if (first == null) {
          first = f.payload();
        } else {
          assertThat(f.payload()).isEqualTo(first);
        }
      }
      JsonNode event = TestServer.json(new String(first, StandardCharsets.UTF_8));
      assertThat(event.path("body").asText()).isEqualTo(body);
      assertThat(event.path("messageId").asText()).isEqualTo(sent.messageId());
    } finally {
      for (RawWs ws : sockets) {
        ws.close();
      }
    }
  }

  /** Skips the presence events of the members who came online after this one. */
  private static RawWs.Frame nextMessage(RawWs ws) throws Exception {
    while (true) {
      RawWs.Frame f = ws.read();
      if (f.opcode() != RawWs.TEXT || f.text().contains("\"type\":\"message\"")) {
        return f;
      }
    }
  }
}
