package dev.natter.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.natter.core.ChatException;
import dev.natter.core.model.FileInfo;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonCodecTest {
  private final JsonCodec codec = new JsonCodec();

  static final User ALICE = new User("u-alice", "alice", "Alice A.");
  static final User BOB = new User("u-bob", "bob", "Bob");
  static final Instant T1 = Instant.parse("2026-11-28T10:15:30.123Z");
  static final Instant T2 = Instant.parse("2026-11-28T10:16:00Z");

  static Message plainMessage() {
    return new Message("r1", 1, "m1", ALICE, "hello", T1, null, null, false, Map.of());
  }

  static Message fullMessage() {
    Map<String, List<String>> reactions = new LinkedHashMap<>();
    reactions.put("👍", List.of("u-bob", "u-alice"));
    reactions.put("🎉", List.of("u-bob"));
    return new Message("r1", 2, "m2", BOB, "re: \"hello\" <b>\n", T1, "m1", T2, false, reactions);
  }

  static RoomSummary group() {
    Room room = new Room("r1", RoomKind.GROUP, "general", Visibility.PUBLIC, null, T1);
    return new RoomSummary(room, List.of(ALICE, BOB), Role.OWNER, 2, fullMessage(), 1, 1);
  }

  /** A message with an image, a PDF and a mention, as v1.1 carries them. */
  static Message messageWithFiles() {
    return new Message(
        "r1",
        4,
        "m4",
        ALICE,
        "@bob see these",
        T2,
        null,
        null,
        false,
        Map.of(),
        List.of(
            new FileInfo("f1", "shot.png", "image/png", 48_213, 1280, 720),
            new FileInfo("f2", "spec.pdf", "application/pdf", 1_200_000, null, null)),
        List.of(BOB.id()));
  }

  /** A group with unread mentions, muted to mentions only. */
  static RoomSummary groupWithMentions() {
    Room room = new Room("r1", RoomKind.GROUP, "general", Visibility.PUBLIC, null, T1);
    return new RoomSummary(
        room,
        List.of(ALICE, BOB),
        Role.MEMBER,
        4,
        messageWithFiles(),
        3,
        1,
        2,
        dev.natter.core.model.NotifyLevel.MENTIONS);
  }

  static RoomSummary dm() {
    Room room =
        new Room(
            "r2", RoomKind.DM, "Bob", Visibility.PRIVATE, Room.dmKey(ALICE.id(), BOB.id()), T2);
    return new RoomSummary(room, List.of(ALICE, BOB), Role.MEMBER, 0, null, 0, 0);
  }

  static List<ServerEvent> everyEvent() {
    return List.of(
        new ServerEvent.Ready(
            ALICE,
            new ServerEvent.HeartbeatSettings(25_000, 60_000),
            List.of(group(), dm()),
            List.of(
                new Presence(BOB, Presence.Status.ONLINE, T1),
                new Presence(ALICE, Presence.Status.OFFLINE, null))),
        new ServerEvent.MessageEvent(plainMessage(), null),
        new ServerEvent.MessageEvent(fullMessage(), "c-1"),
        ServerEvent.MessageUpdated.of(fullMessage()),
        new ServerEvent.MessageUpdated("r1", 3, "m3", "", null, true, Map.of()),
        new ServerEvent.Ack("1", "c-1", "r1", 2, "m2", T1),
        new ServerEvent.Ok("2"),
        new ServerEvent.Ok(null),
        new ServerEvent.TypingEvent("r1", BOB, true),
        new ServerEvent.PresenceEvent(new Presence(BOB, Presence.Status.OFFLINE, T2)),
        new ServerEvent.ReadEvent("r1", BOB, 2),
        new ServerEvent.RoomEvent(group()),
        new ServerEvent.RoomEvent(dm()),
        new ServerEvent.RoomLeft("r1"),
        new ServerEvent.Synced("3", "r1", 2, false),
        new ServerEvent.HistoryPage("4", "r1", List.of(plainMessage(), fullMessage()), true),
        new ServerEvent.Error("5", ErrorCode.NOT_FOUND, "no room r9"),
        new ServerEvent.Error(null, ErrorCode.BAD_REQUEST, "\"type\" is required"));
  }

  static List<ClientCommand> everyCommand() {
    return List.of(
        new ClientCommand.Send("1", "r1", "c-1", "hi", null),
        new ClientCommand.Send("1", "r1", "c-2", "re", "m1"),
        new ClientCommand.Edit("2", "r1", "m1", "edited"),
        new ClientCommand.Delete("3", "r1", "m1"),
        new ClientCommand.React("4", "r1", "m1", "👍", true),
        new ClientCommand.React("5", "r1", "m1", "👍", false),
        new ClientCommand.Typing("r1", true),
        new ClientCommand.Read("r1", 7),
        new ClientCommand.Sync("6", Map.of("r1", 3L, "r2", 0L)),
        new ClientCommand.History("7", "r1", null, null),
        new ClientCommand.History("8", "r1", 40L, 20));
  }

  @Test
  void everyEventRoundTrips() {
    for (ServerEvent event : everyEvent()) {
      String json = codec.encode(event);
      assertThat(codec.decodeEvent(json)).as(json).isEqualTo(event);
    }
  }

  @Test
  void everyCommandRoundTrips() {
    for (ClientCommand command : everyCommand()) {
      String json = codec.encode(command);
      assertThat(codec.decodeCommand(json)).as(json).isEqualTo(command);
    }
  }

  @Test
  void eventsHaveTheAgreedShapes() {
    assertThat(codec.encode(new ServerEvent.MessageEvent(plainMessage(), null)))
        .isEqualTo(
            "{\"type\":\"message\",\"room\":\"r1\",\"seq\":1,\"messageId\":\"m1\","
                + "\"sender\":{\"id\":\"u-alice\",\"username\":\"alice\",\"displayName\":\"Alice"
                + " A.\"},\"body\":\"hello\",\"ts\":\"2026-11-28T10:15:30.123Z\",\"deleted\":false,"
                + "\"reactions\":{},\"files\":[],\"mentions\":[]}");
    assertThat(codec.encode(new ServerEvent.Ack("1", "c-1", "r1", 2, "m2", T2)))
        .isEqualTo(
            "{\"type\":\"ack\",\"id\":\"1\",\"clientMsgId\":\"c-1\",\"room\":\"r1\",\"seq\":2,"
                + "\"messageId\":\"m2\",\"ts\":\"2026-11-28T10:16:00Z\"}");
    assertThat(codec.encode(new ServerEvent.Error(null, ErrorCode.RATE_LIMITED, "slow down")))
        .isEqualTo("{\"type\":\"error\",\"code\":\"rate_limited\",\"message\":\"slow down\"}");
    assertThat(codec.encode(new ServerEvent.RoomLeft("r1")))
        .isEqualTo("{\"type\":\"roomLeft\",\"room\":\"r1\"}");
    assertThat(
            codec.encode(
                new ServerEvent.PresenceEvent(new Presence(BOB, Presence.Status.ONLINE, T2))))
        .isEqualTo(
            "{\"type\":\"presence\",\"user\":{\"id\":\"u-bob\",\"username\":\"bob\","
                + "\"displayName\":\"Bob\"},\"status\":\"online\",\"lastSeen\":\"2026-11-28T10:16:00Z\"}");
    assertThat(codec.encodeRoomSummary(dm()))
        .isEqualTo(
            "{\"id\":\"r2\",\"kind\":\"dm\",\"name\":\"Bob\",\"visibility\":\"private\",\"members\":["
                + "{\"id\":\"u-alice\",\"username\":\"alice\",\"displayName\":\"Alice A.\"},"
                + "{\"id\":\"u-bob\",\"username\":\"bob\",\"displayName\":\"Bob\"}],"
                + "\"myRole\":\"member\",\"lastSeq\":0,\"unread\":0,\"mentions\":0,"
                + "\"lastReadSeq\":0,\"notify\":\"all\","
                + "\"createdAt\":\"2026-11-28T10:16:00Z\"}");
    assertThat(codec.encode(new ClientCommand.Typing("r1", false)))
        .isEqualTo("{\"type\":\"typing\",\"room\":\"r1\",\"active\":false}");
    assertThat(codec.encode(new ClientCommand.Sync("6", Map.of("b", 2L, "a", 1L))))
        .isEqualTo("{\"type\":\"sync\",\"id\":\"6\",\"rooms\":{\"a\":1,\"b\":2}}");
  }

  @Test
  void httpBodiesRoundTrip() {
    assertThat(codec.decodeUser(codec.encodeUser(ALICE))).isEqualTo(ALICE);
    assertThat(codec.decodeUsers(codec.encodeUsers(List.of(ALICE, BOB))))
        .containsExactly(ALICE, BOB);
    assertThat(codec.decodeRoomSummary(codec.encodeRoomSummary(group()))).isEqualTo(group());
    assertThat(codec.decodeRoomSummaries(codec.encodeRoomSummaries(List.of(group(), dm()))))
        .containsExactly(group(), dm());
    assertThat(codec.decodeMessage(codec.encodeMessage(fullMessage()))).isEqualTo(fullMessage());
    MessagePage page = new MessagePage(List.of(plainMessage(), fullMessage()), true);
    assertThat(codec.decodeMessagePage(codec.encodeMessagePage(page))).isEqualTo(page);
    List<SearchHit> hits = List.of(new SearchHit(plainMessage(), "[hello]"));
    String hitsJson = codec.encodeSearchHits(hits);
    assertThat(hitsJson).contains("\"snippet\":\"[hello]\"");
    assertThat(codec.decodeSearchHits(hitsJson)).isEqualTo(hits);
    assertThat(codec.decodeAuth(codec.encodeAuth(ALICE, "tok")))
        .isEqualTo(new JsonCodec.Auth(ALICE, "tok"));
    assertThat(codec.encodeError(ErrorCode.FORBIDDEN, "no"))
        .isEqualTo("{\"error\":{\"code\":\"forbidden\",\"message\":\"no\"}}");
    ChatException e = codec.decodeError(403, codec.encodeError(ErrorCode.FORBIDDEN, "no"));
    assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(e.getMessage()).isEqualTo("no");
    assertThat(codec.decodeError(429, "<html>").code()).isEqualTo(ErrorCode.RATE_LIMITED);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("username", "alice");
    body.put("displayName", null);
    body.put("members", List.of("bob"));
    assertThat(codec.encodeObject(body))
        .isEqualTo("{\"username\":\"alice\",\"members\":[\"bob\"]}");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "not json",
        "[1,2]",
        "\"send\"",
        "{}",
        "{\"type\":5}",
        "{\"type\":\"fly\"}",
        "{\"type\":\"send\",\"room\":\"r1\",\"clientMsgId\":\"c\"}",
        "{\"type\":\"send\",\"room\":1,\"clientMsgId\":\"c\",\"body\":\"x\"}",
        "{\"type\":\"send\",\"id\":7,\"room\":\"r\",\"clientMsgId\":\"c\",\"body\":\"x\"}",
        "{\"type\":\"send\",\"room\":\"r\",\"clientMsgId\":\"c\",\"body\":\"x\"} {}",
        "{\"type\":\"send\",\"type\":\"send\",\"room\":\"r\",\"clientMsgId\":\"c\",\"body\":\"x\"}",
        "{\"type\":\"react\",\"room\":\"r\",\"messageId\":\"m\",\"emoji\":\"x\",\"on\":\"yes\"}",
        "{\"type\":\"typing\",\"room\":\"r\"}",
        "{\"type\":\"read\",\"room\":\"r\",\"seq\":1.5}",
        "{\"type\":\"read\",\"room\":\"r\",\"seq\":\"3\"}",
        "{\"type\":\"read\",\"room\":\"r\",\"seq\":99999999999999999999999}",
        "{\"type\":\"sync\",\"rooms\":[]}",
        "{\"type\":\"sync\",\"rooms\":{\"r\":\"x\"}}",
        "{\"type\":\"history\",\"room\":\"r\",\"limit\":1e3}",
        "{\"type\":\"history\",\"room\":\"r\",\"limit\":3000000000}"
      })
  void malformedCommandsAreBadRequests(String frame) {
    assertThatThrownBy(() -> codec.decodeCommand(frame))
        .isInstanceOf(ChatException.BadRequest.class)
        .satisfies(e -> assertThat(e.getMessage()).isNotBlank());
  }

  @Test
  void errorMessagesSayWhatIsWrong() {
    assertThatThrownBy(() -> codec.decodeCommand("{\"room\":\"r\"}"))
        .hasMessage("\"type\" is required");
    assertThatThrownBy(() -> codec.decodeCommand("{\"type\":\"fly\"}"))
        .hasMessage("unknown type \"fly\"");
    assertThatThrownBy(
            () -> codec.decodeCommand("{\"type\":\"send\",\"room\":\"r\",\"clientMsgId\":\"c\"}"))
        .hasMessage("\"body\" is required (a string)");
    assertThatThrownBy(
            () -> codec.decodeCommand("{\"type\":\"read\",\"room\":\"r\",\"seq\":\"3\"}"))
        .hasMessage("\"seq\" must be an integer");
    assertThatThrownBy(() -> codec.decodeCommand("{\"type\":\"sync\",\"rooms\":{\"r1\":true}}"))
        .hasMessage("\"rooms.r1\" must be an integer");
    assertThatThrownBy(() -> codec.decodeCommand("{oops")).hasMessageStartingWith("malformed JSON");
  }

  @Test
  void unknownFieldsAndNullOptionalsAreAccepted() {
    assertThat(
            codec.decodeCommand(
                "{\"type\":\"send\",\"id\":null,\"room\":\"r\",\"clientMsgId\":\"c\","
                    + "\"body\":\"x\",\"replyTo\":null,\"future\":{\"a\":1}}"))
        .isEqualTo(new ClientCommand.Send(null, "r", "c", "x", null));
  }

  @Test
  void requestIdIsFoundEvenWhenTheCommandIsInvalid() {
    assertThat(codec.requestId("{\"type\":\"nope\",\"id\":\"42\"}")).isEqualTo("42");
    assertThat(codec.requestId("{\"id\":42}")).isNull();
    assertThat(codec.requestId("garbage")).isNull();
    assertThat(codec.requestId("[]")).isNull();
  }

  @Test
  void unknownEventTypeIsBadRequest() {
    assertThatThrownBy(() -> codec.decodeEvent("{\"type\":\"teleport\"}"))
        .isInstanceOf(ChatException.BadRequest.class)
        .hasMessageContaining("teleport");
  }

  @Test
  void aFileRoundTripsWithItsSizeOnlyForImages() {
    FileInfo image = new FileInfo("f1", "shot.png", "image/png", 48_213, 1280, 720);
    FileInfo pdf = new FileInfo("f2", "spec.pdf", "application/pdf", 1_200_000, null, null);
    assertThat(codec.encodeFile(pdf))
        .isEqualTo(
            "{\"id\":\"f2\",\"name\":\"spec.pdf\",\"type\":\"application/pdf\","
                + "\"size\":1200000}");
    assertThat(codec.decodeFile(codec.encodeFile(image))).isEqualTo(image);
    assertThat(codec.decodeFile(codec.encodeFile(pdf))).isEqualTo(pdf);
    assertThatThrownBy(() -> codec.decodeFile("{\"id\":\"f3\",\"name\":\"x\"}"))
        .isInstanceOf(ChatException.BadRequest.class);
  }
}
