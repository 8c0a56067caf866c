package dev.natter.bus.redis;

import dev.natter.core.model.Message;
import dev.natter.core.protocol.ServerEvent;
import dev.natter.core.spi.EventBus.Envelope;
import java.util.Optional;

/**
 * What a {@code message} envelope is to its room's order. The engine publishes each committed
 * message twice: once to the room's members except the sender ({@link Kind#ROOM}), once to the
 * sender's own connections with the {@code clientMsgId} ({@link Kind#SENDER_COPY}).
 */
record MessagePart(Kind kind, Message message, boolean senderCopyFollows) {

  enum Kind {
    ROOM,
    SENDER_COPY
  }

  /** The part an envelope carries, or empty for every other event (delivered as it comes). */
  static Optional<MessagePart> of(Envelope envelope) {
    if (!(envelope.event() instanceof ServerEvent.MessageEvent event)) {
      return Optional.empty();
    }
    Message message = event.message();
    String sender = message.sender().id();
    if (envelope.userId() == null && message.room().equals(envelope.roomId())) {
      return Optional.of(
          new MessagePart(Kind.ROOM, message, sender.equals(envelope.excludeUserId())));
    }
    if (envelope.roomId() == null && sender.equals(envelope.userId())) {
      return Optional.of(new MessagePart(Kind.SENDER_COPY, message, false));
    }
    return Optional.empty();
  }

  long seq() {
    return message.seq();
  }

  /** The room part of a message read from the store. */
  static Envelope roomPart(Message message) {
    return new Envelope(
        message.room(), null, new ServerEvent.MessageEvent(message, null), message.sender().id());
  }

  /** The sender's copy of a message read from the store (its clientMsgId is not known here). */
  static Envelope senderCopy(Message message) {
    return new Envelope(
        null, message.sender().id(), new ServerEvent.MessageEvent(message, null), null);
  }
}
