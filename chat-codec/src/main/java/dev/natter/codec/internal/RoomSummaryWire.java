package dev.natter.codec.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.util.StdConverter;
import dev.natter.core.model.Message;
import dev.natter.core.model.NotifyLevel;
import dev.natter.core.model.Role;
import dev.natter.core.model.Room;
import dev.natter.core.model.RoomKind;
import dev.natter.core.model.RoomSummary;
import dev.natter.core.model.User;
import dev.natter.core.model.Visibility;
import java.time.Instant;
import java.util.List;

/**
 * The wire shape of a {@code roomSummary}: the room's fields and the member's view of it in one
 * object, {@code createdAt} last. The room's {@code dmKey} is not sent; a client derives it from
 * the two members.
 */
record RoomSummaryWire(
    String id,
    RoomKind kind,
    String name,
    Visibility visibility,
    List<User> members,
    @OptionalField Role myRole,
    long lastSeq,
    @OptionalField Message lastMessage,
    long unread,
    @OptionalField long mentions,
    long lastReadSeq,
    @OptionalField @JsonProperty("notify") NotifyLevel notifyLevel,
    @OptionalField Instant createdAt) {

  static RoomSummaryWire of(RoomSummary s) {
    Room room = s.room();
    return new RoomSummaryWire(
        room.id(),
        room.kind(),
        room.name(),
        room.visibility(),
        s.members(),
        s.myRole(),
        s.lastSeq(),
        s.lastMessage(),
        s.unread(),
        s.mentions(),
        s.lastReadSeq(),
        s.notifyLevel(),
        room.createdAt());
  }

  RoomSummary toSummary() {
    String dmKey = null;
    if (kind == RoomKind.DM) {
      dmKey = members.size() == 2 ? Room.dmKey(members.get(0).id(), members.get(1).id()) : id;
    }
    Room room =
        new Room(id, kind, name, visibility, dmKey, createdAt == null ? Instant.EPOCH : createdAt);
    return new RoomSummary(
        room, members, myRole, lastSeq, lastMessage, unread, lastReadSeq, mentions, notifyLevel);
  }

  static final class FromSummary extends StdConverter<RoomSummary, RoomSummaryWire> {
    @Override
    public RoomSummaryWire convert(RoomSummary summary) {
      return of(summary);
    }
  }

  static final class ToSummary extends StdConverter<RoomSummaryWire, RoomSummary> {
    @Override
    public RoomSummary convert(RoomSummaryWire wire) {
      return wire.toSummary();
    }
  }
}
