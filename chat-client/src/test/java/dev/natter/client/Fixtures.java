package dev.natter.client;

import dev.natter.core.model.Message;
import dev.natter.core.model.Role;
import dev.natter.core.model.Room;
import dev.natter.core.model.RoomKind;
import dev.natter.core.model.RoomSummary;
import dev.natter.core.model.User;
import dev.natter.core.model.Visibility;
import dev.natter.core.protocol.ServerEvent;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Protocol records for tests. */
final class Fixtures {
  static final User ME = new User("u-me", "me", "Me");
  static final User BOB = new User("u-bob", "bob", "Bob");
  static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

  private Fixtures() {}

  static RoomSummary summary(String room, long lastSeq) {
    return new RoomSummary(
        new Room(room, RoomKind.GROUP, "room " + room, Visibility.PUBLIC, null, T0),
        List.of(ME, BOB),
        Role.MEMBER,
        lastSeq,
        null,
        0,
        0);
  }

  static ServerEvent.Ready ready(RoomSummary... rooms) {
    return new ServerEvent.Ready(
        ME, new ServerEvent.HeartbeatSettings(0, 0), Arrays.asList(rooms), List.of());
  }

  static Message message(String room, long seq) {
    return new Message(
        room,
        seq,
        room + "#" + seq,
        BOB,
        "m" + seq,
        T0.plusSeconds(seq),
        null,
        null,
        false,
        Map.of());
  }

  static ServerEvent.MessageEvent msg(String room, long seq) {
    return new ServerEvent.MessageEvent(message(room, seq), null);
  }
}
