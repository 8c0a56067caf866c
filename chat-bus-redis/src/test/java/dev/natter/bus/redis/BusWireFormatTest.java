package dev.natter.bus.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.natter.codec.JsonCodec;
import dev.natter.core.model.Message;
import dev.natter.core.model.User;
import dev.natter.core.protocol.ServerEvent;
import dev.natter.core.spi.EventBus.Envelope;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BusWireFormatTest {
  private static final User ALICE = new User("u-alice", "alice", "Alice");
  private final BusWireFormat wire = new BusWireFormat(JsonCodec.shared());

  @Test
  void anEnvelopeComesBackAsItWent() {
    Message message =
        new Message(
            "r-1",
            7,
            "m-7",
            ALICE,
            "hi \"there\"",
            Instant.parse("2026-01-02T03:04:05Z"),
            null,
            null,
            false,
            Map.of("👍", List.of("u-bob")));
    Envelope toRoom =
        new Envelope("r-1", null, new ServerEvent.MessageEvent(message, null), "u-alice");
    Envelope toUser =
        new Envelope(null, "u-alice", new ServerEvent.MessageEvent(message, "c-1"), null);
    Envelope typing =
        new Envelope("r-1", null, new ServerEvent.TypingEvent("r-1", ALICE, true), "u-alice");

    for (Envelope envelope : List.of(toRoom, toUser, typing)) {
      BusWireFormat.Published back = wire.decode(wire.encode("node-a", envelope));
      assertThat(back.node()).isEqualTo("node-a");
      assertThat(back.envelope()).isEqualTo(envelope);
    }
  }

  @Test
  void whatIsNotAnEnvelopeIsRejectedWithAReason() {
    assertThatThrownBy(() -> wire.decode("{not json")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> wire.decode("{\"node\":\"a\"}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a bus envelope");
    assertThatThrownBy(() -> wire.decode("{\"node\":\"a\",\"event\":{\"type\":\"nope\"}}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bad event");
  }
}
