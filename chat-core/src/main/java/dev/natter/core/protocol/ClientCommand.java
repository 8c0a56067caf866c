package dev.natter.core.protocol;

import java.util.List;
import java.util.Map;

/**
 * Every command a client sends over the WebSocket. {@code id} is the client's request id, echoed in
 * the answer; it may be null where the protocol makes it optional.
 */
public sealed interface ClientCommand {
  /**
   * The request id, echoed in the answer.
   *
   * @return the id, or null
   */
  String id();

  /**
   * Send a message; answered with {@code ack} after commit. {@code files} are ids of files the
   * sender uploaded to the room and has not sent yet ({@code body} may be empty when there are
   * some); null or empty for none.
   */
  record Send(
      String id, String room, String clientMsgId, String body, String replyTo, List<String> files)
      implements ClientCommand {
    /**
     * A send without files.
     *
     * @param id the request id, or null
     * @param room the room's id
     * @param clientMsgId the sender's idempotency key
     * @param body the text
     * @param replyTo the id of the message it answers, or null
     */
    public Send(String id, String room, String clientMsgId, String body, String replyTo) {
      this(id, room, clientMsgId, body, replyTo, null);
    }

    /**
     * The file ids, empty when there are none.
     *
     * @return the ids
     */
    public List<String> fileIds() {
      return files == null ? List.of() : files;
    }
  }

  /** Edit one's own message. */
  record Edit(String id, String room, String messageId, String body) implements ClientCommand {}

  /** Delete one's own message (owners and admins may delete any). */
  record Delete(String id, String room, String messageId) implements ClientCommand {}

  /** Add ({@code on}) or remove a reaction. */
  record React(String id, String room, String messageId, String emoji, boolean on)
      implements ClientCommand {}

  /** Start or stop typing in a room. */
  record Typing(String room, boolean active) implements ClientCommand {
    @Override
    public String id() {
      return null;
    }
  }

  /** Move my read marker in a room forward to {@code seq}. */
  record Read(String room, long seq) implements ClientCommand {
    @Override
    public String id() {
      return null;
    }
  }

  /** Replay what I missed: for each room, the messages after the given seq. */
  record Sync(String id, Map<String, Long> rooms) implements ClientCommand {
    /**
     * Copies the rooms.
     *
     * @param id the request id
     * @param rooms room id to the last seq the client has
     */
    public Sync {
      rooms = Map.copyOf(rooms);
    }
  }

  /** A page of history before {@code before} (or the newest page when null). */
  record History(String id, String room, Long before, Integer limit) implements ClientCommand {}
}
