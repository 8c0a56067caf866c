package dev.natter.core.protocol;

import dev.natter.core.model.Message;
import dev.natter.core.model.Presence;
import dev.natter.core.model.RoomSummary;
import dev.natter.core.model.User;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Every event the server sends over the WebSocket. */
public sealed interface ServerEvent {

  /** The first frame on a connection. {@code presence} lists who is online among my contacts. */
  record Ready(
      User user, HeartbeatSettings heartbeat, List<RoomSummary> rooms, List<Presence> presence)
      implements ServerEvent {}

  /** The ping interval and the deadline after which a silent peer is closed. */
  record HeartbeatSettings(long intervalMs, long timeoutMs) {}

  /**
   * A new (or replayed) message. {@code clientMsgId} is set only on the sender's own connections.
   */
  record MessageEvent(Message message, String clientMsgId) implements ServerEvent {}

  /**
   * A message was edited, deleted or reacted to: its current state. {@code mentions} are the ids of
   * the members its (new) body mentions; null reads as none.
   */
  record MessageUpdated(
      String room,
      long seq,
      String messageId,
      String body,
      Instant editedAt,
      boolean deleted,
      Map<String, List<String>> reactions,
      List<String> mentions)
      implements ServerEvent {
    /**
     * Copies the mentions; null reads as none.
     *
     * @param room the room's id
     * @param seq the message's seq
     * @param messageId the message's id
     * @param body its body now
     * @param editedAt when it was last edited, or null
     * @param deleted whether it is deleted
     * @param reactions emoji to the ids of the users who reacted with it
     * @param mentions the ids of the members it mentions, or null for none
     */
    public MessageUpdated {
      mentions = mentions == null ? List.of() : List.copyOf(mentions);
    }

    /**
     * An update without mentions.
     *
     * @param room the room's id
     * @param seq the message's seq
     * @param messageId the message's id
     * @param body its body now
     * @param editedAt when it was last edited, or null
     * @param deleted whether it is deleted
     * @param reactions emoji to the ids of the users who reacted with it
     */
    public MessageUpdated(
        String room,
        long seq,
        String messageId,
        String body,
        Instant editedAt,
        boolean deleted,
        Map<String, List<String>> reactions) {
      this(room, seq, messageId, body, editedAt, deleted, reactions, List.of());
    }

    /**
     * The update event for a message as it is now.
     *
     * @param m the message after the change
     * @return its {@code messageUpdated} event
     */
    public static MessageUpdated of(Message m) {
      return new MessageUpdated(
          m.room(),
          m.seq(),
          m.messageId(),
          m.body(),
          m.editedAt(),
          m.deleted(),
          m.reactions(),
          m.mentions());
    }
  }

  /** The answer to {@code send}: the message is stored. */
  record Ack(String id, String clientMsgId, String room, long seq, String messageId, Instant ts)
      implements ServerEvent {}

  /** The answer to a request that has no other answer. */
  record Ok(String id) implements ServerEvent {}

  /** Someone started or stopped typing. */
  record TypingEvent(String room, User user, boolean active) implements ServerEvent {}

  /** Someone who shares a room with me came online or went offline. */
  record PresenceEvent(Presence presence) implements ServerEvent {}

  /** A member's read marker moved. */
  record ReadEvent(String room, User user, long seq) implements ServerEvent {}

  /** I joined, was invited to, or a room of mine changed. */
  record RoomEvent(RoomSummary room) implements ServerEvent {}

  /** I left or was removed from a room. */
  record RoomLeft(String room) implements ServerEvent {}

  /** The end of a room's replay after {@code sync}; {@code limited} means page back for more. */
  record Synced(String id, String room, long upToSeq, boolean limited) implements ServerEvent {}

  /** A page of history, in seq order. */
  record HistoryPage(String id, String room, List<Message> messages, boolean hasMore)
      implements ServerEvent {}

  /** A request failed; nothing changed. */
  record Error(String id, ErrorCode code, String message) implements ServerEvent {}
}
