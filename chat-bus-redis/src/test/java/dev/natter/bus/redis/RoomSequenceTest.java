package dev.natter.bus.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.natter.core.model.Message;
import dev.natter.core.model.User;
import dev.natter.core.protocol.ServerEvent;
import dev.natter.core.spi.EventBus.Envelope;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One room's order, without Redis: what is delivered, dropped, or reported as a gap. */
class RoomSequenceTest {
  private static final User ALICE = new User("u-alice", "alice", "Alice");
  private static final String ROOM = "r-1";

  private final List<Envelope> delivered = new ArrayList<>();
  private final RoomSequence sequence = new RoomSequence(ROOM, delivered::add, 0);

  private static Message message(long seq) {
    return new Message(
        ROOM, seq, "m-" + seq, ALICE, "hi " + seq, Instant.EPOCH, null, null, false, Map.of());
  }

  /** The engine's room part: to the members except the sender. */
  private static Envelope roomPart(long seq) {
    return new Envelope(ROOM, null, new ServerEvent.MessageEvent(message(seq), null), ALICE.id());
  }

  /** The engine's sender copy, with the clientMsgId. */
  private static Envelope senderCopy(long seq) {
    return new Envelope(
        null, ALICE.id(), new ServerEvent.MessageEvent(message(seq), "c-" + seq), null);
  }

  private RoomSequence.Outcome offer(Envelope envelope) {
    return sequence.offer(MessagePart.of(envelope).orElseThrow(), envelope, false, 0);
  }

  /** What was delivered, as "seq/room" or "seq/copy" (with "+id" when the clientMsgId came). */
  private List<String> deliveredParts() {
    return delivered.stream()
        .map(
            e -> {
              ServerEvent.MessageEvent m = (ServerEvent.MessageEvent) e.event();
              String part = e.roomId() != null ? "room" : "copy";
              return m.message().seq() + "/" + part + (m.clientMsgId() != null ? "+id" : "");
            })
        .toList();
  }

  @Test
  void deliversInOrderAndDropsWhatWasDelivered() {
    assertThat(offer(roomPart(5))).isEqualTo(RoomSequence.Outcome.DELIVERED);
    assertThat(offer(senderCopy(5))).isEqualTo(RoomSequence.Outcome.DELIVERED);
    assertThat(offer(roomPart(6))).isEqualTo(RoomSequence.Outcome.DELIVERED);
    assertThat(offer(roomPart(6))).isEqualTo(RoomSequence.Outcome.DROPPED);
    assertThat(offer(roomPart(4))).isEqualTo(RoomSequence.Outcome.DROPPED);

    assertThat(deliveredParts()).containsExactly("5/room", "5/copy+id", "6/room");
    assertThat(sequence.delivered()).isEqualTo(6);
  }

  @Test
  void reportsAGapAndDeliversAfterTheFill() {
    offer(roomPart(1));
    offer(senderCopy(1));

    assertThat(offer(roomPart(4))).isEqualTo(RoomSequence.Outcome.GAP);
    sequence.fill(List.of(message(1), message(2), message(3)), 0);
    assertThat(offer(roomPart(4))).isEqualTo(RoomSequence.Outcome.DELIVERED);

    assertThat(deliveredParts())
        .containsExactly("1/room", "1/copy+id", "2/room", "2/copy", "3/room", "3/copy", "4/room");
  }

  @Test
  void aLostRoomPartIsRebuiltFromTheSenderCopy() {
    offer(roomPart(1));
    offer(senderCopy(1));

    assertThat(offer(senderCopy(2))).isEqualTo(RoomSequence.Outcome.DELIVERED);

    assertThat(deliveredParts()).containsExactly("1/room", "1/copy+id", "2/room", "2/copy+id");
  }

  @Test
  void aSenderCopyThatLagsTheNextMessageGoesBeforeItAndTheLateOneIsDropped() {
    offer(roomPart(1));
    offer(roomPart(2)); // from another node, before seq 1's sender copy

    assertThat(offer(senderCopy(1))).isEqualTo(RoomSequence.Outcome.DROPPED);
    assertThat(deliveredParts()).containsExactly("1/room", "1/copy", "2/room");
  }

  @Test
  void aSenderCopyThatNeverComesIsDeliveredAfterTheGrace() {
    offer(roomPart(1));

    sequence.deliverStaleCopies(10, 100);
    assertThat(deliveredParts()).containsExactly("1/room");
    sequence.deliverStaleCopies(100, 100);
    assertThat(deliveredParts()).containsExactly("1/room", "1/copy");
  }

  @Test
  void otherEventsAreNotPartOfTheOrder() {
    Envelope typing =
        new Envelope(ROOM, null, new ServerEvent.TypingEvent(ROOM, ALICE, true), ALICE.id());
    Envelope someoneElses =
        new Envelope(null, "u-bob", new ServerEvent.MessageEvent(message(1), null), null);

    assertThat(MessagePart.of(typing)).isEmpty();
    assertThat(MessagePart.of(someoneElses)).isEmpty();
  }
}
