package dev.natter.codec.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.natter.core.model.Message;
import dev.natter.core.model.Presence;
import dev.natter.core.protocol.ServerEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * How {@link ServerEvent}s bind: the {@code type} name of each event, and mix-ins for what the
 * records cannot say. Each record component is a field of the same name, except that a {@code
 * message} event and a {@code presence} event carry the fields of their message or presence inline.
 * Fields not marked {@link OptionalField} are required.
 */
final class EventBinding {
  private EventBinding() {}

  /** The protocol's {@code type} of each event. */
  private static final NamedType[] TYPES =
      ProtocolTypes.named(
          ServerEvent.class,
          new NamedType(ServerEvent.Ready.class, "ready"),
          new NamedType(ServerEvent.MessageEvent.class, "message"),
          new NamedType(ServerEvent.MessageUpdated.class, "messageUpdated"),
          new NamedType(ServerEvent.Ack.class, "ack"),
          new NamedType(ServerEvent.Ok.class, "ok"),
          new NamedType(ServerEvent.TypingEvent.class, "typing"),
          new NamedType(ServerEvent.PresenceEvent.class, "presence"),
          new NamedType(ServerEvent.ReadEvent.class, "read"),
          new NamedType(ServerEvent.RoomEvent.class, "room"),
          new NamedType(ServerEvent.RoomLeft.class, "roomLeft"),
          new NamedType(ServerEvent.Synced.class, "synced"),
          new NamedType(ServerEvent.HistoryPage.class, "history"),
          new NamedType(ServerEvent.Error.class, "error"));

  static void register(SimpleModule module) {
    module.registerSubtypes(TYPES);
    module.setMixInAnnotation(ServerEvent.class, Event.class);
    module.setMixInAnnotation(ServerEvent.Ready.class, Ready.class);
    module.setMixInAnnotation(ServerEvent.MessageEvent.class, MessageEvent.class);
    module.setMixInAnnotation(ServerEvent.MessageUpdated.class, MessageUpdated.class);
    module.setMixInAnnotation(ServerEvent.PresenceEvent.class, PresenceEvent.class);
    module.setMixInAnnotation(ServerEvent.Error.class, ErrorEvent.class);
    module.setMixInAnnotation(ServerEvent.Ack.class, Answer.class);
    module.setMixInAnnotation(ServerEvent.Ok.class, Answer.class);
    module.setMixInAnnotation(ServerEvent.Synced.class, Answer.class);
    module.setMixInAnnotation(ServerEvent.HistoryPage.class, Answer.class);
  }

  /** One JSON object per event, its kind in {@code type}. */
  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
  interface Event {}

  /** An answer to a request carries the request's {@code id} when it had one. */
  interface Answer {
    @OptionalField
    String id();
  }

  /** {@code presence} is always an array (older servers left it out). */
  interface Ready {
    @JsonSetter(nulls = Nulls.AS_EMPTY)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonSerialize(nullsUsing = NullAs.EmptyArray.class)
    List<Presence> presence();
  }

  /**
   * The message's fields inline, then {@code clientMsgId} on the sender's own connections; read
   * through {@link MessageWire}.
   */
  @JsonDeserialize(converter = MessageWire.ToMessageEvent.class)
  interface MessageEvent {
    @JsonUnwrapped
    Message message();
  }

  interface MessageUpdated {
    @OptionalField
    Instant editedAt();

    @JsonSetter(nulls = Nulls.AS_EMPTY)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonSerialize(nullsUsing = NullAs.EmptyObject.class)
    Map<String, List<String>> reactions();

    /** Written always (v1.1); a v1.0 frame without it reads as no mentions. */
    @OptionalField
    @JsonInclude(JsonInclude.Include.ALWAYS)
    List<String> mentions();
  }

  /** The presence's fields ({@code user, status, lastSeen}) inline. */
  interface PresenceEvent {
    @JsonUnwrapped
    Presence presence();
  }

  interface ErrorEvent extends Answer {
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonSerialize(nullsUsing = NullAs.EmptyString.class)
    String message();
  }
}
