package dev.natter.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.natter.core.ChatException;
import dev.natter.core.protocol.ErrorCode;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every decoding error names what is wrong, and where, in the protocol's words. */
class DecodeErrorsTest {
  private static final JsonCodec CODEC = new JsonCodec();

  private static final String USER = "{\"id\":\"u\",\"username\":\"n\",\"displayName\":\"N\"}";
  private static final String MESSAGE_FIELDS =
      "\"room\":\"r\",\"seq\":1,\"messageId\":\"m\",\"sender\":"
          + USER
          + ",\"body\":\"b\",\"ts\":\"2026-11-28T10:15:30Z\"";
  private static final String HEARTBEAT = "\"heartbeat\":{\"intervalMs\":1,\"timeoutMs\":2}";

  private static String roomSummary(String replace, String with) {
    return ("{\"id\":\"r\",\"kind\":\"group\",\"name\":\"g\",\"visibility\":\"public\",\"members\":["
            + USER
            + "],\"lastSeq\":0,\"unread\":0,\"lastReadSeq\":0}")
        .replace(replace, with);
  }

  private static String roomEvent(String replace, String with) {
    return "{\"type\":\"room\",\"room\":" + roomSummary(replace, with) + "}";
  }

  private static String message(String extra) {
    return "{\"type\":\"message\"," + MESSAGE_FIELDS + extra + "}";
  }

  private static String send(String replace, String with) {
    return "{\"type\":\"send\",\"id\":\"1\",\"room\":\"r\",\"clientMsgId\":\"c\",\"body\":\"x\"}"
        .replace(replace, with);
  }

  static Stream<Arguments> commands() {
    return Stream.of(
        Arguments.of("", "empty frame: expected a JSON object"),
        Arguments.of("  \n", "empty frame: expected a JSON object"),
        Arguments.of("[1,2]", "expected a JSON object"),
        Arguments.of("\"send\"", "expected a JSON object"),
        Arguments.of("null", "expected a JSON object"),
        Arguments.of("{}", "\"type\" is required"),
        Arguments.of("{\"type\":null,\"room\":\"r\"}", "\"type\" is required"),
        Arguments.of("{\"type\":5}", "\"type\" must be a string"),
        Arguments.of("{\"type\":true}", "\"type\" must be a string"),
        Arguments.of("{\"type\":{}}", "\"type\" must be a string"),
        Arguments.of("{\"room\":\"r\",\"type\":[\"send\"]}", "\"type\" must be a string"),
        Arguments.of("{\"type\":\"fly\"}", "unknown type \"fly\""),
        Arguments.of("{\"type\":\"Send\"}", "unknown type \"Send\""),
        Arguments.of("{\"type\":\"ready\"}", "unknown type \"ready\""),
        Arguments.of(send(",\"body\":\"x\"", ""), "\"body\" is required (a string)"),
        Arguments.of(send("\"room\":\"r\"", "\"room\":null"), "\"room\" is required (a string)"),
        Arguments.of(send("\"room\":\"r\"", "\"room\":1"), "\"room\" must be a string"),
        Arguments.of(send("\"room\":\"r\"", "\"room\":{}"), "\"room\" must be a string"),
        Arguments.of(send("\"room\":\"r\"", "\"room\":[\"r\"]"), "\"room\" must be a string"),
        Arguments.of(send("\"id\":\"1\"", "\"id\":7"), "\"id\" must be a string"),
        Arguments.of(send("}", ",\"replyTo\":5}"), "\"replyTo\" must be a string"),
        Arguments.of(
            "{\"type\":\"edit\",\"room\":\"r\",\"body\":\"b\"}",
            "\"messageId\" is required (a string)"),
        Arguments.of(
            "{\"type\":\"react\",\"room\":\"r\",\"messageId\":\"m\",\"on\":true}",
            "\"emoji\" is required (a string)"),
        Arguments.of(
            "{\"type\":\"react\",\"room\":\"r\",\"messageId\":\"m\",\"emoji\":\"x\",\"on\":\"true\"}",
            "\"on\" must be true or false"),
        Arguments.of(
            "{\"type\":\"react\",\"room\":\"r\",\"messageId\":\"m\",\"emoji\":\"x\",\"on\":1}",
            "\"on\" must be true or false"),
        Arguments.of(
            "{\"type\":\"react\",\"room\":\"r\",\"messageId\":\"m\",\"emoji\":\"x\",\"on\":null}",
            "\"on\" is required (true or false)"),
        Arguments.of(
            "{\"type\":\"typing\",\"room\":\"r\"}", "\"active\" is required (true or false)"),
        Arguments.of("{\"type\":\"read\",\"room\":\"r\"}", "\"seq\" is required (an integer)"),
        Arguments.of(
            "{\"type\":\"read\",\"room\":\"r\",\"seq\":1.5}", "\"seq\" must be an integer"),
        Arguments.of(
            "{\"type\":\"read\",\"room\":\"r\",\"seq\":1.0}", "\"seq\" must be an integer"),
        Arguments.of(
            "{\"type\":\"read\",\"room\":\"r\",\"seq\":1e3}", "\"seq\" must be an integer"),
        Arguments.of(
            "{\"type\":\"read\",\"room\":\"r\",\"seq\":\"3\"}", "\"seq\" must be an integer"),
        Arguments.of(
            "{\"type\":\"read\",\"room\":\"r\",\"seq\":true}", "\"seq\" must be an integer"),
        Arguments.of(
            "{\"type\":\"read\",\"room\":\"r\",\"seq\":9223372036854775808}",
            "\"seq\" must be an integer"),
        Arguments.of("{\"type\":\"sync\"}", "\"rooms\" is required (an object)"),
        Arguments.of("{\"type\":\"sync\",\"rooms\":[]}", "\"rooms\" must be an object"),
        Arguments.of("{\"type\":\"sync\",\"rooms\":\"x\"}", "\"rooms\" must be an object"),
        Arguments.of(
            "{\"type\":\"sync\",\"rooms\":{\"r\":\"x\"}}", "\"rooms.r\" must be an integer"),
        Arguments.of("{\"type\":\"sync\",\"rooms\":{\"r\":{}}}", "\"rooms.r\" must be an integer"),
        Arguments.of(
            "{\"type\":\"sync\",\"rooms\":{\"r\":null}}", "\"rooms.r\" is required (an integer)"),
        Arguments.of(
            "{\"type\":\"history\",\"room\":\"r\",\"limit\":1e3}", "\"limit\" must be an integer"),
        Arguments.of(
            "{\"type\":\"history\",\"room\":\"r\",\"limit\":3000000000}",
            "\"limit\" is out of range"),
        Arguments.of(
            "{\"type\":\"history\",\"room\":\"r\",\"limit\":-3000000000}",
            "\"limit\" is out of range"),
        Arguments.of(
            "{\"type\":\"history\",\"room\":\"r\",\"before\":\"x\"}",
            "\"before\" must be an integer"),
        Arguments.of("{\"type\":\"history\"}", "\"room\" is required (a string)"),
        Arguments.of(send("}", "} {}"), "malformed JSON: more than one JSON value"),
        Arguments.of(
            send("}", "}}"),
            "malformed JSON: Unexpected close marker '}': no open Object to close"),
        Arguments.of(send("{", "{\"type\":\"send\","), "malformed JSON: Duplicate field 'type'"),
        Arguments.of(
            send("}", ",\"future\":{\"a\":1,\"a\":2}}"), "malformed JSON: Duplicate field 'a'"),
        Arguments.of(
            "{\"type\":\"read\",\"room\":\"r\",\"seq\":NaN}",
            "malformed JSON: Non-standard token 'NaN'"),
        Arguments.of(
            "{\"type\":\"read\",\"room\":\"r\",\"seq\":1" + "0".repeat(100) + "}",
            "malformed JSON: Number value length (101) exceeds the maximum allowed (100)"),
        Arguments.of(
            send("}", ",\"x\":" + "[".repeat(64) + "]".repeat(64) + "}"),
            "malformed JSON: Document nesting depth (65) exceeds the maximum allowed (64)"),
        Arguments.of(
            send("}", ""),
            "malformed JSON: Unexpected end-of-input: expected close marker for Object"),
        Arguments.of(
            "{\"type\":\"read\" /* c */}",
            "malformed JSON: Unexpected character ('/' (code 47)): maybe a (non-standard) comment?"));
  }

  @ParameterizedTest
  @MethodSource("commands")
  void commandErrors(String frame, String message) {
    assertThatThrownBy(() -> CODEC.decodeCommand(frame))
        .isInstanceOf(ChatException.BadRequest.class)
        .hasMessage(message);
  }

  static Stream<Arguments> events() {
    String ready = "{\"type\":\"ready\",\"user\":" + USER + "," + HEARTBEAT;
    return Stream.of(
        Arguments.of("{\"type\":\"teleport\"}", "unknown event type \"teleport\""),
        Arguments.of("{\"type\":\"send\"}", "unknown event type \"send\""),
        Arguments.of("{\"type\":7}", "\"type\" must be a string"),
        Arguments.of("{\"type\":\"ready\"}", "\"user\" is required (an object)"),
        Arguments.of("{\"type\":\"ready\",\"user\":\"u\"}", "\"user\" must be an object"),
        Arguments.of(
            "{\"type\":\"ready\",\"user\":{\"id\":\"u\",\"username\":\"n\"}," + HEARTBEAT + "}",
            "\"user.displayName\" is required (a string)"),
        Arguments.of(
            "{\"type\":\"ready\",\"user\":" + USER + ",\"heartbeat\":{\"intervalMs\":\"1\"}}",
            "\"heartbeat.intervalMs\" must be an integer"),
        Arguments.of(ready + "}", "\"rooms\" is required (an array)"),
        Arguments.of(ready + ",\"rooms\":{}}", "\"rooms\" must be an array"),
        Arguments.of(ready + ",\"rooms\":[1]}", "\"rooms[0]\" must be an object"),
        Arguments.of(ready + ",\"rooms\":[null]}", "\"rooms[0]\" must not be null"),
        Arguments.of(
            ready + ",\"rooms\":[" + roomSummary("", "") + "," + roomSummary("group", "x") + "]}",
            "\"rooms[1].kind\" must be one of \"dm\", \"group\""),
        Arguments.of(
            ready + ",\"rooms\":[],\"presence\":[{\"user\":" + USER + ",\"status\":\"away\"}]}",
            "\"presence[0].status\" must be one of \"online\", \"offline\""),
        Arguments.of(
            ready + ",\"rooms\":[],\"presence\":[{\"user\":" + USER + ",\"status\":5}]}",
            "\"presence[0].status\" must be a string"),
        Arguments.of(
            ready + ",\"rooms\":[],\"presence\":[{\"user\":" + USER + "}]}",
            "\"presence[0].status\" is required (a string)"),
        Arguments.of(
            ready
                + ",\"rooms\":[],\"presence\":[{\"user\":"
                + USER
                + ",\"status\":\"online\",\"lastSeen\":\"yesterday\"}]}",
            "\"presence[0].lastSeen\" must be an ISO-8601 UTC time"),
        Arguments.of(ready + ",\"rooms\":[],\"presence\":{}}", "\"presence\" must be an array"),
        Arguments.of(
            message("").replace(",\"ts\":\"2026-11-28T10:15:30Z\"", ""),
            "\"ts\" is required (an ISO-8601 time)"),
        Arguments.of(
            message("").replace("\"2026-11-28T10:15:30Z\"", "12345"), "\"ts\" must be a string"),
        Arguments.of(
            message("").replace("2026-11-28T10:15:30Z", "2026-11-28 10:15"),
            "\"ts\" must be an ISO-8601 UTC time"),
        Arguments.of(message("").replace(USER, "null"), "\"sender\" is required (an object)"),
        Arguments.of(message("").replace(USER, "\"u\""), "\"sender\" must be an object"),
        Arguments.of(
            message("").replace(USER, "{\"id\":\"u\"}"),
            "\"sender.username\" is required (a string)"),
        Arguments.of(message(",\"clientMsgId\":5"), "\"clientMsgId\" must be a string"),
        Arguments.of(message(",\"deleted\":\"no\""), "\"deleted\" must be true or false"),
        Arguments.of(message(",\"editedAt\":\"bad\""), "\"editedAt\" must be an ISO-8601 UTC time"),
        Arguments.of(message(",\"reactions\":[]"), "\"reactions\" must be an object"),
        Arguments.of(message(",\"reactions\":{\"x\":\"u\"}"), "\"reactions.x\" must be an array"),
        Arguments.of(message(",\"reactions\":{\"x\":[1]}"), "\"reactions.x[0]\" must be a string"),
        Arguments.of(
            message(",\"reactions\":{\"x\":[null]}"), "\"reactions.x[0]\" must not be null"),
        Arguments.of(
            message(",\"reactions\":{\"x\":null}"), "\"reactions.x\" is required (an array)"),
        Arguments.of(
            "{\"type\":\"messageUpdated\",\"room\":\"r\",\"seq\":1,\"messageId\":\"m\",\"body\":\"\"}",
            "\"deleted\" is required (true or false)"),
        Arguments.of(
            "{\"type\":\"ack\",\"clientMsgId\":\"c\",\"room\":\"r\",\"messageId\":\"m\",\"ts\":\"2026-11-28T10:15:30Z\"}",
            "\"seq\" is required (an integer)"),
        Arguments.of("{\"type\":\"ok\",\"id\":5}", "\"id\" must be a string"),
        Arguments.of(
            "{\"type\":\"typing\",\"room\":\"r\",\"active\":true}",
            "\"user\" is required (an object)"),
        Arguments.of("{\"type\":\"room\"}", "\"room\" is required (an object)"),
        Arguments.of("{\"type\":\"room\",\"room\":\"r\"}", "\"room\" must be an object"),
        Arguments.of(
            roomEvent("\"public\"", "\"secret\""),
            "\"room.visibility\" must be one of \"public\", \"private\""),
        Arguments.of(
            roomEvent("}", ",\"myRole\":\"king\"}"),
            "\"room.myRole\" must be one of \"owner\", \"admin\", \"member\""),
        Arguments.of(roomEvent("}", ",\"myRole\":5}"), "\"room.myRole\" must be a string"),
        Arguments.of(
            roomEvent("}", ",\"lastMessage\":\"x\"}"), "\"room.lastMessage\" must be an object"),
        Arguments.of(
            roomEvent("}", ",\"lastMessage\":{}}"),
            "\"room.lastMessage.room\" is required (a string)"),
        Arguments.of(
            roomEvent("}", ",\"createdAt\":\"x\"}"),
            "\"room.createdAt\" must be an ISO-8601 UTC time"),
        Arguments.of(
            roomEvent("[" + USER + "]", "[" + USER + ",5]"),
            "\"room.members[1]\" must be an object"),
        Arguments.of(
            roomEvent("[" + USER + "]", "[" + USER + ",{\"id\":\"x\"}]"),
            "\"room.members[1].username\" is required (a string)"),
        Arguments.of(roomEvent(",\"lastSeq\":0", ""), "\"room.lastSeq\" is required (an integer)"),
        Arguments.of("{\"type\":\"roomLeft\",\"room\":5}", "\"room\" must be a string"),
        Arguments.of(
            "{\"type\":\"synced\",\"room\":\"r\",\"upToSeq\":2}",
            "\"limited\" is required (true or false)"),
        Arguments.of(
            "{\"type\":\"history\",\"room\":\"r\",\"hasMore\":true}",
            "\"messages\" is required (an array)"),
        Arguments.of(
            "{\"type\":\"history\",\"room\":\"r\",\"messages\":[1],\"hasMore\":true}",
            "\"messages[0]\" must be an object"),
        Arguments.of(
            "{\"type\":\"history\",\"room\":\"r\",\"messages\":[{"
                + MESSAGE_FIELDS
                + "},{\"room\":\"r\"}],\"hasMore\":true}",
            "\"messages[1].seq\" is required (an integer)"),
        Arguments.of("{\"type\":\"error\",\"message\":\"no\"}", "\"code\" is required (a string)"),
        Arguments.of(
            "{\"type\":\"error\",\"code\":5,\"message\":\"m\"}", "\"code\" must be a string"),
        Arguments.of(
            "{\"type\":\"error\",\"code\":\"internal\"}", "\"message\" is required (a string)"));
  }

  @ParameterizedTest
  @MethodSource("events")
  void eventErrors(String frame, String message) {
    assertThatThrownBy(() -> CODEC.decodeEvent(frame))
        .isInstanceOf(ChatException.BadRequest.class)
        .hasMessage(message);
  }

  static Stream<Arguments> bodies() {
    Function<String, Object> users = CODEC::decodeUsers;
    Function<String, Object> user = CODEC::decodeUser;
    Function<String, Object> rooms = CODEC::decodeRoomSummaries;
    Function<String, Object> page = CODEC::decodeMessagePage;
    Function<String, Object> hits = CODEC::decodeSearchHits;
    Function<String, Object> auth = CODEC::decodeAuth;
    Function<String, Object> message = CODEC::decodeMessage;
    return Stream.of(
        Arguments.of(users, "{}", "expected a JSON array"),
        Arguments.of(users, "", "empty frame: expected a JSON object"),
        Arguments.of(users, "[1]", "\"[0]\" must be an object"),
        Arguments.of(users, "[null]", "\"[0]\" must not be null"),
        Arguments.of(
            users, "[" + USER + ",{\"id\":\"a\"}]", "\"[1].username\" is required (a string)"),
        Arguments.of(users, "[] []", "malformed JSON: more than one JSON value"),
        Arguments.of(user, "[]", "expected a JSON object"),
        Arguments.of(user, "{}", "\"id\" is required (a string)"),
        Arguments.of(rooms, "[" + roomSummary("\"g\"", "7") + "]", "\"[0].name\" must be a string"),
        Arguments.of(
            page, "{\"messages\":[],\"hasMore\":\"x\"}", "\"hasMore\" must be true or false"),
        Arguments.of(page, "{\"hasMore\":false}", "\"messages\" is required (an array)"),
        Arguments.of(
            page,
            "{\"messages\":[{}],\"hasMore\":false}",
            "\"messages[0].room\" is required (a string)"),
        Arguments.of(
            hits, "[{" + MESSAGE_FIELDS + ",\"snippet\":5}]", "\"[0].snippet\" must be a string"),
        Arguments.of(hits, "[{\"snippet\":\"x\"}]", "\"[0].room\" is required (a string)"),
        Arguments.of(auth, "{\"user\":" + USER + "}", "\"token\" is required (a string)"),
        Arguments.of(auth, "{\"user\":{},\"token\":\"t\"}", "\"user.id\" is required (a string)"),
        Arguments.of(
            message,
            "{" + MESSAGE_FIELDS.replace("\"seq\":1", "\"seq\":\"1\"") + "}",
            "\"seq\" must be an integer"));
  }

  @ParameterizedTest
  @MethodSource("bodies")
  void bodyErrors(Function<String, Object> decoder, String body, String message) {
    assertThatThrownBy(() -> decoder.apply(body))
        .isInstanceOf(ChatException.BadRequest.class)
        .hasMessage(message);
  }

  @Test
  void aBrokenFrameStillGivesItsRequestId() {
    assertThat(CODEC.requestId("{\"type\":\"fly\",\"id\":\"42\"}")).isEqualTo("42");
    assertThat(CODEC.requestId("{\"id\":\"42\",\"type\":\"send\",\"room\":5}")).isEqualTo("42");
    assertThat(CODEC.requestId("{\"id\":42}")).isNull();
    assertThat(CODEC.requestId("{\"id\":\"42\",\"x\":[}")).isNull();
    assertThat(CODEC.requestId("{\"id\":\"42\"} {}")).isNull();
    assertThat(CODEC.requestId("[]")).isNull();
    assertThat(CODEC.requestId(null)).isNull();
  }

  @Test
  void anHttpErrorBodyIsReadLeniently() {
    ChatException known =
        CODEC.decodeError(404, "{\"error\":{\"code\":\"not_found\",\"message\":\"no room r\"}}");
    assertThat(known.code()).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(known.getMessage()).isEqualTo("no room r");

    ChatException newer =
        CODEC.decodeError(400, "{\"error\":{\"code\":\"too_soon\",\"message\":\"wait\"}}");
    assertThat(newer.code()).isEqualTo(ErrorCode.INTERNAL);
    assertThat(newer.getMessage()).isEqualTo("wait");

    ChatException noMessage = CODEC.decodeError(403, "{\"error\":{\"code\":\"forbidden\"}}");
    assertThat(noMessage.code()).isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(noMessage.getMessage()).isEqualTo("HTTP 403");

    for (String notAnError : new String[] {"<html>", "", "{}", "null", "{\"error\":\"x\"}"}) {
      ChatException e = CODEC.decodeError(429, notAnError);
      assertThat(e.code()).as(notAnError).isEqualTo(ErrorCode.RATE_LIMITED);
      assertThat(e.getMessage()).isEqualTo("HTTP 429");
    }
    assertThat(CODEC.decodeError(418, "<html>").code()).isEqualTo(ErrorCode.INTERNAL);
  }
}
