package dev.natter.codec.internal;

import com.fasterxml.jackson.databind.util.StdConverter;
import dev.natter.core.model.FileInfo;
import dev.natter.core.model.Message;
import dev.natter.core.model.SearchHit;
import dev.natter.core.model.User;
import dev.natter.core.protocol.ServerEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A {@code message} as read from the wire, with the field that rides along in a {@code message}
 * event ({@code clientMsgId}) or a search hit ({@code snippet}). Reading this flat record and
 * converting it avoids Jackson's {@code @JsonUnwrapped} on a creator, which buffers the whole
 * object first (it took about twice as long per message event); writing uses
 * {@code @JsonUnwrapped}, which costs nothing extra.
 */
record MessageWire(
    String room,
    long seq,
    String messageId,
    User sender,
    String body,
    Instant ts,
    @OptionalField String replyTo,
    @OptionalField Instant editedAt,
    @OptionalField boolean deleted,
    @OptionalField Map<String, List<String>> reactions,
    @OptionalField List<FileInfo> files,
    @OptionalField List<String> mentions,
    @OptionalField String clientMsgId,
    @OptionalField String snippet) {

  Message toMessage() {
    return new Message(
        room, seq, messageId, sender, body, ts, replyTo, editedAt, deleted, reactions, files,
        mentions);
  }

  static final class ToMessage extends StdConverter<MessageWire, Message> {
    @Override
    public Message convert(MessageWire wire) {
      return wire.toMessage();
    }
  }

  static final class ToMessageEvent extends StdConverter<MessageWire, ServerEvent.MessageEvent> {
    @Override
    public ServerEvent.MessageEvent convert(MessageWire wire) {
      return new ServerEvent.MessageEvent(wire.toMessage(), wire.clientMsgId());
    }
  }

  static final class ToSearchHit extends StdConverter<MessageWire, SearchHit> {
    @Override
    public SearchHit convert(MessageWire wire) {
      return new SearchHit(wire.toMessage(), wire.snippet());
    }
  }
}
