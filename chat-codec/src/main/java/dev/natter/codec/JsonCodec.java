package dev.natter.codec;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.natter.codec.internal.CommandBounds;
import dev.natter.codec.internal.ErrorBody;
import dev.natter.codec.internal.PlainJson;
import dev.natter.codec.internal.WireType;
import dev.natter.core.ChatException;
import dev.natter.core.model.FileInfo;
import dev.natter.core.model.Message;
import dev.natter.core.model.MessagePage;
import dev.natter.core.model.RoomSummary;
import dev.natter.core.model.SearchHit;
import dev.natter.core.model.User;
import dev.natter.core.protocol.ClientCommand;
import dev.natter.core.protocol.ErrorCode;
import dev.natter.core.protocol.ServerEvent;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The JSON wire format of Natter protocol v1, both directions: server events and client commands
 * over the WebSocket, and the model objects in HTTP bodies (see {@code docs/protocol.md}).
 *
 * <p>Encoding writes each frame as one JSON object, leaves out optional fields that have no value
 * and writes times as ISO-8601 UTC strings. Decoding ignores fields it does not know (forward
 * compatibility) but rejects, with a {@link ChatException.BadRequest} whose message says what is
 * wrong: text that is not one JSON object (or array, where a list is expected), duplicate keys,
 * nesting deeper than 64 levels, content after the value, a missing or unknown {@code type}, and
 * missing or wrongly typed fields (for example {@code "body" is required (a string)} or {@code
 * "seq" must be an integer}).
 *
 * <p>Thread-safe: every instance shares one immutable configuration, so instances are cheap and may
 * be used from any number of threads; {@link #shared()} is one.
 */
public final class JsonCodec {
  private static final JsonCodec SHARED = new JsonCodec();

  private static final WireType<ServerEvent> EVENT = WireType.of(ServerEvent.class);
  private static final WireType<ClientCommand> COMMAND = WireType.of(ClientCommand.class);
  private static final WireType<User> USER = WireType.of(User.class);
  private static final WireType<List<User>> USERS = WireType.of(new TypeReference<>() {});
  private static final WireType<RoomSummary> ROOM = WireType.of(RoomSummary.class);
  private static final WireType<List<RoomSummary>> ROOMS = WireType.of(new TypeReference<>() {});
  private static final WireType<Message> MESSAGE = WireType.of(Message.class);
  private static final WireType<FileInfo> FILE = WireType.of(FileInfo.class);
  private static final WireType<MessagePage> PAGE = WireType.of(MessagePage.class);
  private static final WireType<List<SearchHit>> HITS = WireType.of(new TypeReference<>() {});
  private static final WireType<Auth> AUTH = WireType.of(Auth.class);
  private static final WireType<ErrorBody> ERROR = WireType.of(ErrorBody.class);
  private static final WireType<JsonNode> TREE = WireType.of(JsonNode.class);
  private static final WireType<Map<String, ?>> FLAT_OBJECT = WireType.of(new TypeReference<>() {});

  /** A codec; all instances behave the same and share one configuration. */
  public JsonCodec() {}

  /**
   * A shared instance.
   *
   * @return the codec every caller may share
   */
  public static JsonCodec shared() {
    return SHARED;
  }

  // =====================================================================================
  // WebSocket frames

  /**
   * Encodes a server event as one JSON object with a {@code type}.
   *
   * @param event the event
   * @return the frame's text
   * @throws NullPointerException if {@code event} is null
   */
  public String encode(ServerEvent event) {
    return EVENT.write(Objects.requireNonNull(event, "event"));
  }

  /**
   * Decodes a server event (what clients do with each text frame).
   *
   * @param json the frame's text
   * @return the event
   * @throws ChatException.BadRequest if the text is not a well-formed event; the message says why
   *     (an unknown {@code type} gives {@code unknown event type "..."})
   */
  public ServerEvent decodeEvent(String json) {
    return EVENT.read(json);
  }

  /**
   * Encodes a client command as one JSON object with a {@code type}.
   *
   * @param command the command
   * @return the frame's text
   * @throws NullPointerException if {@code command} is null
   */
  public String encode(ClientCommand command) {
    return COMMAND.write(Objects.requireNonNull(command, "command"));
  }

  /**
   * Decodes a client command (what the server does with each text frame).
   *
   * @param json the frame's text
   * @return the command
   * @throws ChatException.BadRequest for malformed JSON, a missing or unknown {@code type} ({@code
   *     unknown type "..."}), a missing or wrongly typed field, or a field out of its {@link
   *     FieldBound} ({@code rooms} over its bound is {@link ChatException.TooLarge}); {@link
   *     #requestId} still gives the frame's {@code id} when it has one within bounds
   */
  public ClientCommand decodeCommand(String json) {
    return CommandBounds.check(COMMAND.read(json));
  }

  /**
   * The {@code id} of a frame that may not decode as a command, so an error can still carry it.
   *
   * @param json the frame's text
   * @return the frame's {@code id}, or null when the frame is not a JSON object or its {@code id}
   *     is missing, not a string or longer than {@link FieldBound#ID} allows (it is never echoed)
   */
  public String requestId(String json) {
    try {
      JsonNode id = TREE.read(json).get("id");
      return id != null && id.isTextual() && id.textValue().length() <= FieldBound.ID.max()
          ? id.textValue()
          : null;
    } catch (RuntimeException notAnObject) {
      return null;
    }
  }

  // =====================================================================================
  // HTTP bodies

  /**
   * Decodes an HTTP request body that must be one JSON object, as strictly as a command: duplicate
   * keys, nesting deeper than 64 and content after the object are refused, and every field with a
   * {@link FieldBound} row is checked against it.
   *
   * @param json the body
   * @return the fields in document order: each a {@code String}, {@code Long} (a {@code BigInteger}
   *     beyond), {@code Double}, {@code Boolean}, null, {@code List} or {@code Map}
   * @throws ChatException.BadRequest if the body is not one well-formed JSON object or a field is
   *     out of bounds; the message names no Jackson internals and repeats no oversized value
   */
  @SuppressWarnings("unchecked")
  public Map<String, Object> decodeRequestObject(String json) {
    Map<String, Object> fields = (Map<String, Object>) PlainJson.value(TREE.read(json));
    fields.forEach((name, value) -> FieldBound.of(name).ifPresent(b -> b.checkValue(value)));
    return fields;
  }

  /**
   * Encodes a {@code user}: {@code {id, username, displayName}}.
   *
   * @param user the user
   * @return the JSON text
   */
  public String encodeUser(User user) {
    return USER.write(user);
  }

  /**
   * Encodes {@code [user]}.
   *
   * @param users the users, in order
   * @return the JSON text
   */
  public String encodeUsers(List<User> users) {
    return USERS.write(users);
  }

  /**
   * Encodes a {@code roomSummary}.
   *
   * @param summary the room as one member sees it
   * @return the JSON text
   */
  public String encodeRoomSummary(RoomSummary summary) {
    return ROOM.write(summary);
  }

  /**
   * Encodes {@code [roomSummary]}.
   *
   * @param summaries the rooms, in order
   * @return the JSON text
   */
  public String encodeRoomSummaries(List<RoomSummary> summaries) {
    return ROOMS.write(summaries);
  }

  /**
   * Encodes a {@code message}.
   *
   * @param message the message
   * @return the JSON text
   */
  public String encodeMessage(Message message) {
    return MESSAGE.write(message);
  }

  /**
   * Encodes a {@code file}: {@code {id, name, type, size, width?, height?}}, the answer to an
   * upload.
   *
   * @param file the file
   * @return the JSON text
   */
  public String encodeFile(FileInfo file) {
    return FILE.write(file);
  }

  /**
   * Encodes {@code {messages: [message], hasMore}}.
   *
   * @param page a page of a room's messages
   * @return the JSON text
   */
  public String encodeMessagePage(MessagePage page) {
    return PAGE.write(page);
  }

  /**
   * Encodes search results: {@code [message]}, each with an extra {@code snippet}.
   *
   * @param hits the results, in order
   * @return the JSON text
   */
  public String encodeSearchHits(List<SearchHit> hits) {
    return HITS.write(hits);
  }

  /**
   * Encodes {@code {user, token}}: the answer to register and login.
   *
   * @param user the signed-in user
   * @param token the session token
   * @return the JSON text
   */
  public String encodeAuth(User user, String token) {
    return AUTH.write(new Auth(user, token));
  }

  /**
   * Encodes an HTTP error body, {@code {"error": {"code", "message"}}}.
   *
   * @param code the error code
   * @param message what went wrong; null is sent as an empty message
   * @return the JSON text
   */
  public String encodeError(ErrorCode code, String message) {
    return ERROR.write(ErrorBody.of(code, message));
  }

  /**
   * Encodes the HTTP error body, {@code {"error": {"code", "message"}}}, for an exception.
   *
   * @param e the exception; its code and message are sent
   * @return the JSON text
   */
  public String encodeError(ChatException e) {
    return encodeError(e.code(), e.getMessage());
  }

  /**
   * Encodes a flat request body such as {@code {username, password}}, fields in the map's order;
   * null values are left out.
   *
   * @param fields field names and values (strings, numbers, booleans, lists, maps)
   * @return the JSON text
   */
  public String encodeObject(Map<String, ?> fields) {
    return FLAT_OBJECT.write(fields);
  }

  /**
   * Decodes a {@code user}.
   *
   * @param json the JSON text
   * @return the user
   * @throws ChatException.BadRequest if the text is not a well-formed user
   */
  public User decodeUser(String json) {
    return USER.read(json);
  }

  /**
   * Decodes a {@code file}, the answer to an upload.
   *
   * @param json the JSON text
   * @return the file
   * @throws ChatException.BadRequest if the text is not a well-formed file
   */
  public FileInfo decodeFile(String json) {
    return FILE.read(json);
  }

  /**
   * Decodes {@code [user]}.
   *
   * @param json the JSON text
   * @return the users, in order
   * @throws ChatException.BadRequest if the text is not a well-formed array of users
   */
  public List<User> decodeUsers(String json) {
    return USERS.read(json);
  }

  /**
   * Decodes a {@code roomSummary}. The room's {@code dmKey} is derived from a DM's two members, and
   * a missing {@code createdAt} reads as the epoch.
   *
   * @param json the JSON text
   * @return the room as the member sees it
   * @throws ChatException.BadRequest if the text is not a well-formed room summary
   */
  public RoomSummary decodeRoomSummary(String json) {
    return ROOM.read(json);
  }

  /**
   * Decodes {@code [roomSummary]}.
   *
   * @param json the JSON text
   * @return the rooms, in order
   * @throws ChatException.BadRequest if the text is not a well-formed array of room summaries
   */
  public List<RoomSummary> decodeRoomSummaries(String json) {
    return ROOMS.read(json);
  }

  /**
   * Decodes a {@code message}.
   *
   * @param json the JSON text
   * @return the message
   * @throws ChatException.BadRequest if the text is not a well-formed message
   */
  public Message decodeMessage(String json) {
    return MESSAGE.read(json);
  }

  /**
   * Decodes {@code {messages: [message], hasMore}}.
   *
   * @param json the JSON text
   * @return the page
   * @throws ChatException.BadRequest if the text is not a well-formed page
   */
  public MessagePage decodeMessagePage(String json) {
    return PAGE.read(json);
  }

  /**
   * Decodes search results: {@code [message]}, each with an optional {@code snippet}.
   *
   * @param json the JSON text
   * @return the results, in order
   * @throws ChatException.BadRequest if the text is not a well-formed array of results
   */
  public List<SearchHit> decodeSearchHits(String json) {
    return HITS.read(json);
  }

  /**
   * The answer to register and login.
   *
   * @param user the signed-in user
   * @param token the session token, to send as {@code Authorization: Bearer <token>}
   */
  public record Auth(User user, String token) {}

  /**
   * Decodes {@code {user, token}}, the answer to register and login.
   *
   * @param json the JSON text
   * @return the user and the token
   * @throws ChatException.BadRequest if the text is not a well-formed answer
   */
  public Auth decodeAuth(String json) {
    return AUTH.read(json);
  }

  /**
   * The exception an HTTP error body stands for. An unknown code reads as {@link
   * ErrorCode#INTERNAL}; when the body is not an error object, the code is the one for the HTTP
   * status (or {@code INTERNAL}) and the message {@code "HTTP <status>"}.
   *
   * @param httpStatus the answer's status
   * @param json the answer's body
   * @return the exception, never null
   */
  public ChatException decodeError(int httpStatus, String json) {
    try {
      ErrorBody.Detail error = ERROR.read(json).error();
      return new ChatException(error.code(), error.message());
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
}
