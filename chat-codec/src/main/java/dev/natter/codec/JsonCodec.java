package dev.natter.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.natter.core.ChatException;
import dev.natter.core.model.Message;
import dev.natter.core.model.MessagePage;
import dev.natter.core.model.Presence;
import dev.natter.core.model.Role;
import dev.natter.core.model.Room;
import dev.natter.core.model.RoomKind;
import dev.natter.core.model.RoomSummary;
import dev.natter.core.model.SearchHit;
import dev.natter.core.model.User;
import dev.natter.core.model.Visibility;
import dev.natter.core.protocol.ClientCommand;
import dev.natter.core.protocol.ErrorCode;
import dev.natter.core.protocol.ServerEvent;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The JSON wire format of Natter protocol v1, both directions: server events and client commands
 * over the WebSocket, and the model objects in HTTP bodies. One instance is thread-safe and may be
 * shared; {@link #shared()} is one.
 *
 * <p>Encoding omits null optional fields and writes times as ISO-8601 UTC strings. Decoding ignores
 * unknown fields (forward compatibility) but rejects malformed JSON, a missing or unknown {@code
 * type}, and missing or wrongly typed fields with a {@link ChatException.BadRequest} whose message
 * says what is wrong.
 */
public final class JsonCodec {
  private static final JsonCodec SHARED = new JsonCodec();

  private final ObjectMapper mapper;
  private final JsonNodeFactory nodes = JsonNodeFactory.instance;

  public JsonCodec() {
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder().maxNestingDepth(64).maxNumberLength(100).build())
            .build();
    this.mapper =
        JsonMapper.builder(factory)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
  }

  /** A shared instance. */
  public static JsonCodec shared() {
    return SHARED;
  }

  // =====================================================================================
  // Server events

  /** Encodes a server event as one JSON object with a {@code type}. */
  public String encode(ServerEvent event) {
    return write(eventNode(event));
  }

  /** Decodes a server event (what clients do). */
  public ServerEvent decodeEvent(String json) {
    Obj o = parseObject(json);
    String type = o.requireType();
    switch (type) {
      case "ready":
        {
          Obj hb = o.obj("heartbeat");
          return new ServerEvent.Ready(
              user(o.obj("user")),
              new ServerEvent.HeartbeatSettings(
                  hb.longValue("intervalMs"), hb.longValue("timeoutMs")),
              o.list("rooms", JsonCodec::roomSummary),
              o.optList("presence", JsonCodec::presence));
        }
      case "message":
        return new ServerEvent.MessageEvent(message(o), o.optString("clientMsgId"));
      case "messageUpdated":
        return new ServerEvent.MessageUpdated(
            o.string("room"),
            o.longValue("seq"),
            o.string("messageId"),
            o.string("body"),
            o.optInstant("editedAt"),
            o.bool("deleted"),
            reactions(o));
      case "ack":
        return new ServerEvent.Ack(
            o.optString("id"),
            o.string("clientMsgId"),
            o.string("room"),
            o.longValue("seq"),
            o.string("messageId"),
            o.instant("ts"));
      case "ok":
        return new ServerEvent.Ok(o.optString("id"));
      case "typing":
        return new ServerEvent.TypingEvent(o.string("room"), user(o.obj("user")), o.bool("active"));
      case "presence":
        return new ServerEvent.PresenceEvent(presence(o));
      case "read":
        return new ServerEvent.ReadEvent(o.string("room"), user(o.obj("user")), o.longValue("seq"));
      case "room":
        return new ServerEvent.RoomEvent(roomSummary(o.obj("room")));
      case "roomLeft":
        return new ServerEvent.RoomLeft(o.string("room"));
      case "synced":
        return new ServerEvent.Synced(
            o.optString("id"), o.string("room"), o.longValue("upToSeq"), o.bool("limited"));
      case "history":
        return new ServerEvent.HistoryPage(
            o.optString("id"),
            o.string("room"),
            o.list("messages", JsonCodec::message),
            o.bool("hasMore"));
      case "error":
        return new ServerEvent.Error(
            o.optString("id"), errorCode(o.string("code")), o.string("message"));
      default:
        throw new ChatException.BadRequest("unknown event type \"" + type + "\"");
    }
  }

  // =====================================================================================
  // Client commands

  /** Encodes a client command as one JSON object with a {@code type}. */
  public String encode(ClientCommand command) {
    Objects.requireNonNull(command, "command");
    ObjectNode n = nodes.objectNode();
    if (command instanceof ClientCommand.Send c) {
      n.put("type", "send");
      putOpt(n, "id", c.id());
      n.put("room", c.room());
      n.put("clientMsgId", c.clientMsgId());
      n.put("body", c.body());
      putOpt(n, "replyTo", c.replyTo());
    } else if (command instanceof ClientCommand.Edit c) {
      n.put("type", "edit");
      putOpt(n, "id", c.id());
      n.put("room", c.room());
      n.put("messageId", c.messageId());
      n.put("body", c.body());
    } else if (command instanceof ClientCommand.Delete c) {
      n.put("type", "delete");
      putOpt(n, "id", c.id());
      n.put("room", c.room());
      n.put("messageId", c.messageId());
    } else if (command instanceof ClientCommand.React c) {
      n.put("type", "react");
      putOpt(n, "id", c.id());
      n.put("room", c.room());
      n.put("messageId", c.messageId());
      n.put("emoji", c.emoji());
      n.put("on", c.on());
    } else if (command instanceof ClientCommand.Typing c) {
      n.put("type", "typing");
      n.put("room", c.room());
      n.put("active", c.active());
    } else if (command instanceof ClientCommand.Read c) {
      n.put("type", "read");
      n.put("room", c.room());
      n.put("seq", c.seq());
    } else if (command instanceof ClientCommand.Sync c) {
      n.put("type", "sync");
      putOpt(n, "id", c.id());
      ObjectNode rooms = n.putObject("rooms");
      c.rooms().entrySet().stream()
          .sorted(Map.Entry.comparingByKey())
          .forEach(e -> rooms.put(e.getKey(), e.getValue()));
    } else if (command instanceof ClientCommand.History c) {
      n.put("type", "history");
      putOpt(n, "id", c.id());
      n.put("room", c.room());
      if (c.before() != null) {
        n.put("before", c.before());
      }
      if (c.limit() != null) {
        n.put("limit", c.limit());
      }
    } else {
      throw new IllegalArgumentException("unknown command " + command.getClass().getName());
    }
    return write(n);
  }

  /**
   * Decodes a client command (what the server does with each text frame).
   *
   * @throws ChatException.BadRequest for malformed JSON, a missing or unknown {@code type}, or a
   *     missing or wrongly typed field; {@link #requestId} still gives the frame's {@code id} when
   *     it has one
   */
  public ClientCommand decodeCommand(String json) {
    Obj o = parseObject(json);
    String type = o.requireType();
    switch (type) {
      case "send":
        return new ClientCommand.Send(
            o.optString("id"),
            o.string("room"),
            o.string("clientMsgId"),
            o.string("body"),
            o.optString("replyTo"));
      case "edit":
        return new ClientCommand.Edit(
            o.optString("id"), o.string("room"), o.string("messageId"), o.string("body"));
      case "delete":
        return new ClientCommand.Delete(o.optString("id"), o.string("room"), o.string("messageId"));
      case "react":
        return new ClientCommand.React(
            o.optString("id"),
            o.string("room"),
            o.string("messageId"),
            o.string("emoji"),
            o.bool("on"));
      case "typing":
        return new ClientCommand.Typing(o.string("room"), o.bool("active"));
      case "read":
        return new ClientCommand.Read(o.string("room"), o.longValue("seq"));
      case "sync":
        {
          Obj rooms = o.obj("rooms");
          Map<String, Long> lastSeqs = new LinkedHashMap<>();
          for (Iterator<String> it = rooms.node.fieldNames(); it.hasNext(); ) {
            String roomId = it.next();
            lastSeqs.put(roomId, rooms.longValue(roomId));
          }
          return new ClientCommand.Sync(o.optString("id"), lastSeqs);
        }
      case "history":
        return new ClientCommand.History(
            o.optString("id"), o.string("room"), o.optLong("before"), o.optInt("limit"));
      default:
        throw new ChatException.BadRequest("unknown type \"" + type + "\"");
    }
  }

  /**
   * The {@code id} of a frame that may not decode as a command, so an error can still carry it;
   * null when the frame is not a JSON object or its {@code id} is not a string.
   */
  public String requestId(String json) {
    try {
      JsonNode n = mapper.readTree(json);
      JsonNode id = n == null ? null : n.get("id");
      return id != null && id.isTextual() ? id.textValue() : null;
    } catch (JsonProcessingException | RuntimeException e) {
      return null;
    }
  }

  // =====================================================================================
  // HTTP bodies

  /** {@code {id, username, displayName}}. */
  public String encodeUser(User user) {
    return write(userNode(user));
  }

  /** {@code [user]}. */
  public String encodeUsers(List<User> users) {
    ArrayNode a = nodes.arrayNode();
    users.forEach(u -> a.add(userNode(u)));
    return write(a);
  }

  /** {@code roomSummary}. */
  public String encodeRoomSummary(RoomSummary summary) {
    return write(roomSummaryNode(summary));
  }

  /** {@code [roomSummary]}. */
  public String encodeRoomSummaries(List<RoomSummary> summaries) {
    ArrayNode a = nodes.arrayNode();
    summaries.forEach(s -> a.add(roomSummaryNode(s)));
    return write(a);
  }

  /** {@code message}. */
  public String encodeMessage(Message message) {
    return write(messageNode(message));
  }

  /** {@code {messages: [message], hasMore}}. */
  public String encodeMessagePage(MessagePage page) {
    ObjectNode n = nodes.objectNode();
    ArrayNode a = n.putArray("messages");
    page.messages().forEach(m -> a.add(messageNode(m)));
    n.put("hasMore", page.hasMore());
    return write(n);
  }

  /** {@code [message]}, each with an extra {@code snippet}. */
  public String encodeSearchHits(List<SearchHit> hits) {
    ArrayNode a = nodes.arrayNode();
    for (SearchHit hit : hits) {
      ObjectNode m = messageNode(hit.message());
      putOpt(m, "snippet", hit.snippet());
      a.add(m);
    }
    return write(a);
  }

  /** {@code {user, token}}: the answer to register and login. */
  public String encodeAuth(User user, String token) {
    ObjectNode n = nodes.objectNode();
    n.set("user", userNode(user));
    n.put("token", token);
    return write(n);
  }

  /** {@code {"error": {"code", "message"}}}. */
  public String encodeError(ErrorCode code, String message) {
    ObjectNode n = nodes.objectNode();
    ObjectNode e = n.putObject("error");
    e.put("code", code.wireName());
    e.put("message", message == null ? "" : message);
    return write(n);
  }

  /** {@code {"error": {"code", "message"}}} for an exception. */
  public String encodeError(ChatException e) {
    return encodeError(e.code(), e.getMessage());
  }

  /** Encodes a flat request body such as {@code {username, password}}; null values are omitted. */
  public String encodeObject(Map<String, ?> fields) {
    ObjectNode n = nodes.objectNode();
    fields.forEach(
        (k, v) -> {
          if (v != null) {
            n.set(k, mapper.valueToTree(v));
          }
        });
    return write(n);
  }

  public User decodeUser(String json) {
    return user(parseObject(json));
  }

  public List<User> decodeUsers(String json) {
    return parseArray(json, JsonCodec::user);
  }

  public RoomSummary decodeRoomSummary(String json) {
    return roomSummary(parseObject(json));
  }

  public List<RoomSummary> decodeRoomSummaries(String json) {
    return parseArray(json, JsonCodec::roomSummary);
  }

  public Message decodeMessage(String json) {
    return message(parseObject(json));
  }

  public MessagePage decodeMessagePage(String json) {
    Obj o = parseObject(json);
    return new MessagePage(o.list("messages", JsonCodec::message), o.bool("hasMore"));
  }

  public List<SearchHit> decodeSearchHits(String json) {
    return parseArray(json, o -> new SearchHit(message(o), o.optString("snippet")));
  }

  /** The answer to register and login. */
  public record Auth(User user, String token) {}

  public Auth decodeAuth(String json) {
    Obj o = parseObject(json);
    return new Auth(user(o.obj("user")), o.string("token"));
  }

  /**
   * The exception an HTTP error body stands for. Falls back to the HTTP status when the body is not
   * an error object.
   */
  public ChatException decodeError(int httpStatus, String json) {
    try {
      Obj e = parseObject(json).obj("error");
      return new ChatException(errorCode(e.string("code")), e.string("message"));
    } catch (ChatException notAnError) {
      ErrorCode code = ErrorCode.INTERNAL;
      for (ErrorCode c : ErrorCode.values()) {
        if (c.httpStatus() == httpStatus) {
          code = c;
        }
      }
      return new ChatException(code, "HTTP " + httpStatus);
    }
  }

  // =====================================================================================
  // Writing

  private ObjectNode eventNode(ServerEvent event) {
    Objects.requireNonNull(event, "event");
    ObjectNode n = nodes.objectNode();
    if (event instanceof ServerEvent.Ready e) {
      n.put("type", "ready");
      n.set("user", userNode(e.user()));
      ObjectNode hb = n.putObject("heartbeat");
      hb.put("intervalMs", e.heartbeat().intervalMs());
      hb.put("timeoutMs", e.heartbeat().timeoutMs());
      ArrayNode rooms = n.putArray("rooms");
      e.rooms().forEach(r -> rooms.add(roomSummaryNode(r)));
      ArrayNode presence = n.putArray("presence");
      if (e.presence() != null) {
        e.presence().forEach(p -> presence.add(presenceNode(nodes.objectNode(), p)));
      }
    } else if (event instanceof ServerEvent.MessageEvent e) {
      n.put("type", "message");
      writeMessage(n, e.message());
      putOpt(n, "clientMsgId", e.clientMsgId());
    } else if (event instanceof ServerEvent.MessageUpdated e) {
      n.put("type", "messageUpdated");
      n.put("room", e.room());
      n.put("seq", e.seq());
      n.put("messageId", e.messageId());
      n.put("body", e.body());
      putOpt(n, "editedAt", e.editedAt());
      n.put("deleted", e.deleted());
      n.set("reactions", reactionsNode(e.reactions()));
    } else if (event instanceof ServerEvent.Ack e) {
      n.put("type", "ack");
      putOpt(n, "id", e.id());
      n.put("clientMsgId", e.clientMsgId());
      n.put("room", e.room());
      n.put("seq", e.seq());
      n.put("messageId", e.messageId());
      putOpt(n, "ts", e.ts());
    } else if (event instanceof ServerEvent.Ok e) {
      n.put("type", "ok");
      putOpt(n, "id", e.id());
    } else if (event instanceof ServerEvent.TypingEvent e) {
      n.put("type", "typing");
      n.put("room", e.room());
      n.set("user", userNode(e.user()));
      n.put("active", e.active());
    } else if (event instanceof ServerEvent.PresenceEvent e) {
      n.put("type", "presence");
      presenceNode(n, e.presence());
    } else if (event instanceof ServerEvent.ReadEvent e) {
      n.put("type", "read");
      n.put("room", e.room());
      n.set("user", userNode(e.user()));
      n.put("seq", e.seq());
    } else if (event instanceof ServerEvent.RoomEvent e) {
      n.put("type", "room");
      n.set("room", roomSummaryNode(e.room()));
    } else if (event instanceof ServerEvent.RoomLeft e) {
      n.put("type", "roomLeft");
      n.put("room", e.room());
    } else if (event instanceof ServerEvent.Synced e) {
      n.put("type", "synced");
      putOpt(n, "id", e.id());
      n.put("room", e.room());
      n.put("upToSeq", e.upToSeq());
      n.put("limited", e.limited());
    } else if (event instanceof ServerEvent.HistoryPage e) {
      n.put("type", "history");
      putOpt(n, "id", e.id());
      n.put("room", e.room());
      ArrayNode a = n.putArray("messages");
      e.messages().forEach(m -> a.add(messageNode(m)));
      n.put("hasMore", e.hasMore());
    } else if (event instanceof ServerEvent.Error e) {
      n.put("type", "error");
      putOpt(n, "id", e.id());
      n.put("code", e.code().wireName());
      n.put("message", e.message() == null ? "" : e.message());
    } else {
      throw new IllegalArgumentException("unknown event " + event.getClass().getName());
    }
    return n;
  }

  private ObjectNode userNode(User u) {
    ObjectNode n = nodes.objectNode();
    n.put("id", u.id());
    n.put("username", u.username());
    n.put("displayName", u.displayName());
    return n;
  }

  private ObjectNode presenceNode(ObjectNode n, Presence p) {
    n.set("user", userNode(p.user()));
    n.put("status", p.status().wireName());
    putOpt(n, "lastSeen", p.lastSeen());
    return n;
  }

  private ObjectNode messageNode(Message m) {
    ObjectNode n = nodes.objectNode();
    writeMessage(n, m);
    return n;
  }

  private void writeMessage(ObjectNode n, Message m) {
    n.put("room", m.room());
    n.put("seq", m.seq());
    n.put("messageId", m.messageId());
    n.set("sender", userNode(m.sender()));
    n.put("body", m.body());
    putOpt(n, "ts", m.ts());
    putOpt(n, "replyTo", m.replyTo());
    putOpt(n, "editedAt", m.editedAt());
    n.put("deleted", m.deleted());
    n.set("reactions", reactionsNode(m.reactions()));
  }

  private ObjectNode reactionsNode(Map<String, List<String>> reactions) {
    ObjectNode r = nodes.objectNode();
    if (reactions != null) {
      reactions.forEach(
          (emoji, users) -> {
            ArrayNode a = r.putArray(emoji);
            users.forEach(a::add);
          });
    }
    return r;
  }

  private ObjectNode roomSummaryNode(RoomSummary s) {
    ObjectNode n = nodes.objectNode();
    Room room = s.room();
    n.put("id", room.id());
    n.put("kind", room.kind().wireName());
    n.put("name", room.name());
    n.put("visibility", room.visibility().wireName());
    ArrayNode members = n.putArray("members");
    s.members().forEach(u -> members.add(userNode(u)));
    if (s.myRole() != null) {
      n.put("myRole", s.myRole().wireName());
    }
    n.put("lastSeq", s.lastSeq());
    if (s.lastMessage() != null) {
      n.set("lastMessage", messageNode(s.lastMessage()));
    }
    n.put("unread", s.unread());
    n.put("lastReadSeq", s.lastReadSeq());
    putOpt(n, "createdAt", room.createdAt());
    return n;
  }

  private static void putOpt(ObjectNode n, String field, String value) {
    if (value != null) {
      n.put(field, value);
    }
  }

  private static void putOpt(ObjectNode n, String field, Instant value) {
    if (value != null) {
      n.put(field, value.toString());
    }
  }

  private String write(JsonNode node) {
    try {
      return mapper.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  // =====================================================================================
  // Reading

  private Obj parseObject(String json) {
    JsonNode n = parse(json);
    if (!n.isObject()) {
      throw new ChatException.BadRequest("expected a JSON object");
    }
    return new Obj(n, "");
  }

  private <T> List<T> parseArray(String json, java.util.function.Function<Obj, T> reader) {
    JsonNode n = parse(json);
    if (!n.isArray()) {
      throw new ChatException.BadRequest("expected a JSON array");
    }
    List<T> out = new ArrayList<>(n.size());
    for (int i = 0; i < n.size(); i++) {
      JsonNode item = n.get(i);
      if (!item.isObject()) {
        throw new ChatException.BadRequest("[" + i + "] must be an object");
      }
      out.add(reader.apply(new Obj(item, "[" + i + "].")));
    }
    return out;
  }

  private JsonNode parse(String json) {
    if (json == null || json.isBlank()) {
      throw new ChatException.BadRequest("empty frame: expected a JSON object");
    }
    try {
      JsonNode n = mapper.readTree(json);
      if (n == null || n.isMissingNode()) {
        throw new ChatException.BadRequest("expected a JSON object");
      }
      return n;
    } catch (JsonProcessingException e) {
      throw new ChatException.BadRequest("malformed JSON: " + e.getOriginalMessage());
    }
  }

  private static User user(Obj o) {
    return new User(o.string("id"), o.string("username"), o.string("displayName"));
  }

  private static Presence presence(Obj o) {
    String status = o.string("status");
    Presence.Status s;
    if ("online".equals(status)) {
      s = Presence.Status.ONLINE;
    } else if ("offline".equals(status)) {
      s = Presence.Status.OFFLINE;
    } else {
      throw o.bad("status", "must be \"online\" or \"offline\"");
    }
    return new Presence(user(o.obj("user")), s, o.optInstant("lastSeen"));
  }

  private static Message message(Obj o) {
    return new Message(
        o.string("room"),
        o.longValue("seq"),
        o.string("messageId"),
        user(o.obj("sender")),
        o.string("body"),
        o.instant("ts"),
        o.optString("replyTo"),
        o.optInstant("editedAt"),
        o.optBool("deleted", false),
        reactions(o));
  }

  private static Map<String, List<String>> reactions(Obj o) {
    JsonNode r = o.node.get("reactions");
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (r == null || r.isNull()) {
      return out;
    }
    if (!r.isObject()) {
      throw o.bad("reactions", "must be an object");
    }
    for (Map.Entry<String, JsonNode> e : r.properties()) {
      if (!e.getValue().isArray()) {
        throw o.bad("reactions." + e.getKey(), "must be an array of user ids");
      }
      List<String> users = new ArrayList<>();
      for (JsonNode id : e.getValue()) {
        if (!id.isTextual()) {
          throw o.bad("reactions." + e.getKey(), "must be an array of user ids");
        }
        users.add(id.textValue());
      }
      out.put(e.getKey(), users);
    }
    return out;
  }

  private static RoomSummary roomSummary(Obj o) {
    RoomKind kind = wireEnum(o, "kind", RoomKind.values());
    Visibility visibility = wireEnum(o, "visibility", Visibility.values());
    List<User> members = o.list("members", JsonCodec::user);
    String dmKey =
        kind == RoomKind.DM && members.size() == 2
            ? Room.dmKey(members.get(0).id(), members.get(1).id())
            : kind == RoomKind.DM ? o.string("id") : null;
    Instant createdAt = o.optInstant("createdAt");
    Room room =
        new Room(
            o.string("id"),
            kind,
            o.string("name"),
            visibility,
            dmKey,
            createdAt == null ? Instant.EPOCH : createdAt);
    String role = o.optString("myRole");
    Role myRole = role == null ? null : wireEnum(o, "myRole", Role.values());
    Obj last = o.optObj("lastMessage");
    return new RoomSummary(
        room,
        members,
        myRole,
        o.longValue("lastSeq"),
        last == null ? null : message(last),
        o.longValue("unread"),
        o.longValue("lastReadSeq"));
  }

  private static <E extends Enum<E>> E wireEnum(Obj o, String field, E[] values) {
    String v = o.string(field);
    for (E e : values) {
      if (e.name().toLowerCase(Locale.ROOT).equals(v)) {
        return e;
      }
    }
    StringBuilder allowed = new StringBuilder();
    for (E e : values) {
      allowed.append(allowed.length() == 0 ? "" : ", ").append('"');
      allowed.append(e.name().toLowerCase(Locale.ROOT)).append('"');
    }
    throw o.bad(field, "must be one of " + allowed);
  }

  private static ErrorCode errorCode(String wire) {
    for (ErrorCode c : ErrorCode.values()) {
      if (c.wireName().equals(wire)) {
        return c;
      }
    }
    return ErrorCode.INTERNAL;
  }

  /** A JSON object being read, with the path of its fields for error messages. */
  static final class Obj {
    final JsonNode node;
    final String path;

    Obj(JsonNode node, String path) {
      this.node = node;
      this.path = path;
    }

    ChatException.BadRequest bad(String field, String problem) {
      return new ChatException.BadRequest("\"" + path + field + "\" " + problem);
    }

    String requireType() {
      JsonNode t = node.get("type");
      if (t == null || t.isNull()) {
        throw new ChatException.BadRequest("\"type\" is required");
      }
      if (!t.isTextual()) {
        throw new ChatException.BadRequest("\"type\" must be a string");
      }
      return t.textValue();
    }

    private JsonNode present(String field, String what) {
      JsonNode v = node.get(field);
      if (v == null || v.isNull()) {
        throw bad(field, "is required (" + what + ")");
      }
      return v;
    }

    String string(String field) {
      JsonNode v = present(field, "a string");
      if (!v.isTextual()) {
        throw bad(field, "must be a string");
      }
      return v.textValue();
    }

    String optString(String field) {
      JsonNode v = node.get(field);
      if (v == null || v.isNull()) {
        return null;
      }
      if (!v.isTextual()) {
        throw bad(field, "must be a string");
      }
      return v.textValue();
    }

    boolean bool(String field) {
      JsonNode v = present(field, "true or false");
      if (!v.isBoolean()) {
        throw bad(field, "must be true or false");
      }
      return v.booleanValue();
    }

    boolean optBool(String field, boolean fallback) {
      JsonNode v = node.get(field);
      if (v == null || v.isNull()) {
        return fallback;
      }
      if (!v.isBoolean()) {
        throw bad(field, "must be true or false");
      }
      return v.booleanValue();
    }

    long longValue(String field) {
      return integral(present(field, "an integer"), field);
    }

    Long optLong(String field) {
      JsonNode v = node.get(field);
      return v == null || v.isNull() ? null : integral(v, field);
    }

    Integer optInt(String field) {
      JsonNode v = node.get(field);
      if (v == null || v.isNull()) {
        return null;
      }
      long l = integral(v, field);
      if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
        throw bad(field, "is out of range");
      }
      return (int) l;
    }

    private long integral(JsonNode v, String field) {
      if (!v.isIntegralNumber() || !v.canConvertToLong()) {
        throw bad(field, "must be an integer");
      }
      return v.longValue();
    }

    Instant instant(String field) {
      Instant i = optInstant(field);
      if (i == null) {
        throw bad(field, "is required (an ISO-8601 time)");
      }
      return i;
    }

    Instant optInstant(String field) {
      String s = optString(field);
      if (s == null) {
        return null;
      }
      try {
        return Instant.parse(s);
      } catch (DateTimeParseException e) {
        throw bad(field, "must be an ISO-8601 UTC time");
      }
    }

    Obj obj(String field) {
      JsonNode v = present(field, "an object");
      if (!v.isObject()) {
        throw bad(field, "must be an object");
      }
      return new Obj(v, path + field + ".");
    }

    Obj optObj(String field) {
      JsonNode v = node.get(field);
      if (v == null || v.isNull()) {
        return null;
      }
      if (!v.isObject()) {
        throw bad(field, "must be an object");
      }
      return new Obj(v, path + field + ".");
    }

    <T> List<T> list(String field, java.util.function.Function<Obj, T> reader) {
      JsonNode v = present(field, "an array");
      return readList(v, field, reader);
    }

    <T> List<T> optList(String field, java.util.function.Function<Obj, T> reader) {
      JsonNode v = node.get(field);
      return v == null || v.isNull() ? List.of() : readList(v, field, reader);
    }

    private <T> List<T> readList(
        JsonNode v, String field, java.util.function.Function<Obj, T> reader) {
      if (!v.isArray()) {
        throw bad(field, "must be an array");
      }
      List<T> out = new ArrayList<>(v.size());
      for (int i = 0; i < v.size(); i++) {
        JsonNode item = v.get(i);
        if (!item.isObject()) {
          throw bad(field + "[" + i + "]", "must be an object");
        }
        out.add(reader.apply(new Obj(item, path + field + "[" + i + "].")));
      }
      return out;
    }
  }
}
