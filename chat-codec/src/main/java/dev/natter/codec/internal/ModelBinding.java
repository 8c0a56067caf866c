package dev.natter.codec.internal;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.natter.core.model.FileInfo;
import dev.natter.core.model.Message;
import dev.natter.core.model.NotifyLevel;
import dev.natter.core.model.Presence;
import dev.natter.core.model.Role;
import dev.natter.core.model.RoomKind;
import dev.natter.core.model.RoomSummary;
import dev.natter.core.model.SearchHit;
import dev.natter.core.model.Visibility;
import dev.natter.core.protocol.ErrorCode;
import java.time.Instant;

/**
 * How the model records bind: {@code message} (read through {@link MessageWire}), {@code
 * roomSummary} (through {@link RoomSummaryWire}, its wire shape), presence, search hits, and the
 * protocol's enums by their wire names. Records without a mix-in ({@code User}, {@code
 * MessagePage}, heartbeat settings) bind as they are, every field required.
 */
final class ModelBinding {
  private ModelBinding() {}

  static void register(SimpleModule module) {
    module.setMixInAnnotation(Message.class, MessageFields.class);
    module.setMixInAnnotation(Presence.class, PresenceFields.class);
    module.setMixInAnnotation(SearchHit.class, SearchHitFields.class);
    module.setMixInAnnotation(RoomSummary.class, RoomSummaryShape.class);
    module.setMixInAnnotation(FileInfo.class, FileInfoFields.class);
    WireEnum.register(module, RoomKind.class, RoomKind::wireName);
    WireEnum.register(module, Visibility.class, Visibility::wireName);
    WireEnum.register(module, Role.class, Role::wireName);
    WireEnum.register(module, Presence.Status.class, Presence.Status::wireName);
    WireEnum.register(module, NotifyLevel.class, NotifyLevel::wireName);
    // a code this client does not know yet still reads as an error
    WireEnum.register(module, ErrorCode.class, ErrorCode::wireName, ErrorCode.INTERNAL);
  }

  /** Written as the record is; read through {@link MessageWire}. */
  @JsonDeserialize(converter = MessageWire.ToMessage.class)
  interface MessageFields {}

  /** Width and height are there for images only. */
  interface FileInfoFields {
    @OptionalField
    Integer width();

    @OptionalField
    Integer height();
  }

  interface PresenceFields {
    @OptionalField
    Instant lastSeen();
  }

  /** A search hit is a {@code message} with an extra {@code snippet}. */
  @JsonDeserialize(converter = MessageWire.ToSearchHit.class)
  interface SearchHitFields {
    @JsonUnwrapped
    Message message();
  }

  @JsonSerialize(converter = RoomSummaryWire.FromSummary.class)
  @JsonDeserialize(converter = RoomSummaryWire.ToSummary.class)
  interface RoomSummaryShape {}
}
