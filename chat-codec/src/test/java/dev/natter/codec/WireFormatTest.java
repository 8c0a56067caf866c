package dev.natter.codec;

import static dev.natter.codec.JsonCodecTest.ALICE;
import static dev.natter.codec.JsonCodecTest.BOB;
import static dev.natter.codec.JsonCodecTest.T1;
import static dev.natter.codec.JsonCodecTest.T2;
import static dev.natter.codec.JsonCodecTest.dm;
import static dev.natter.codec.JsonCodecTest.fullMessage;
import static dev.natter.codec.JsonCodecTest.group;
import static dev.natter.codec.JsonCodecTest.groupWithMentions;
import static dev.natter.codec.JsonCodecTest.messageWithFiles;
import static dev.natter.codec.JsonCodecTest.plainMessage;
import static org.assertj.core.api.Assertions.assertThat;

import dev.natter.core.ChatException;
import dev.natter.core.model.Message;
import dev.natter.core.model.MessagePage;
import dev.natter.core.model.Presence;
import dev.natter.core.model.Room;
import dev.natter.core.model.RoomKind;
import dev.natter.core.model.RoomSummary;
import dev.natter.core.model.SearchHit;
import dev.natter.core.model.Visibility;
import dev.natter.core.protocol.ClientCommand;
import dev.natter.core.protocol.ErrorCode;
import dev.natter.core.protocol.ServerEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The exact frames of {@code frames.txt} (written by the codec before its rewrite): every event and
 * command type and every HTTP body is encoded to exactly its line and decoded back.
 */
class WireFormatTest {
  private static final JsonCodec CODEC = new JsonCodec();
  private static final Map<String, String> FRAMES = frames();

  static Message deletedMessage() {
    return new Message("r1", 3, "m3", BOB, "", T1, null, T2, true, Map.of());
  }

  /** A public group as a non-member sees it: no {@code myRole}. */
  static RoomSummary publicRoom() {
    Room room = new Room("r3", RoomKind.GROUP, "lobby", Visibility.PUBLIC, null, T2);
    return new RoomSummary(room, List.of(BOB), null, 3, deletedMessage(), 0, 0);
  }

  /**
   * A named frame: how to write {@code value}, and what reading the frame gives ({@code value}
   * itself unless a null was written as an empty value).
   */
  record Frame(String name, Object value, Function<JsonCodec, String> encode, Object decoded) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Frame event(String name, ServerEvent event) {
    return event(name, event, event);
  }

  static Frame event(String name, ServerEvent event, ServerEvent decoded) {
    return new Frame(name, event, c -> c.encode(event), decoded);
  }

  static Frame command(String name, ClientCommand command) {
    return new Frame(name, command, c -> c.encode(command), command);
  }

  static Stream<Frame> websocketFrames() {
    var heartbeat = new ServerEvent.HeartbeatSettings(25_000, 60_000);
    var presence =
        List.of(
            new Presence(BOB, Presence.Status.ONLINE, T1),
            new Presence(ALICE, Presence.Status.OFFLINE, null));
    var small = new ServerEvent.HeartbeatSettings(1, 2);
    return Stream.of(
        event("ready", new ServerEvent.Ready(ALICE, heartbeat, List.of(dm()), presence)),
        event(
            "readyWithoutPresence",
            new ServerEvent.Ready(ALICE, small, List.of(), null),
            new ServerEvent.Ready(ALICE, small, List.of(), List.of())),
        event("message", new ServerEvent.MessageEvent(fullMessage(), "c-1")),
        event("messageDeleted", new ServerEvent.MessageEvent(deletedMessage(), null)),
        event("messageUpdated", ServerEvent.MessageUpdated.of(fullMessage())),
        event(
            "messageUpdatedNoReactions",
            new ServerEvent.MessageUpdated("r1", 3, "m3", "", null, true, null),
            new ServerEvent.MessageUpdated("r1", 3, "m3", "", null, true, Map.of())),
        event("ack", new ServerEvent.Ack("1", "c-1", "r1", 2, "m2", T2)),
        event("ok", new ServerEvent.Ok("2")),
        event("okWithoutId", new ServerEvent.Ok(null)),
        event("typing", new ServerEvent.TypingEvent("r1", BOB, true)),
        event(
            "presence",
            new ServerEvent.PresenceEvent(new Presence(BOB, Presence.Status.OFFLINE, T2))),
        event(
            "presenceNoLastSeen",
            new ServerEvent.PresenceEvent(new Presence(BOB, Presence.Status.ONLINE, null))),
        event("read", new ServerEvent.ReadEvent("r1", BOB, 2)),
        event("room", new ServerEvent.RoomEvent(publicRoom())),
        event("roomLeft", new ServerEvent.RoomLeft("r1")),
        event("synced", new ServerEvent.Synced("3", "r1", 2, true)),
        event("history", new ServerEvent.HistoryPage("4", "r1", List.of(plainMessage()), false)),
        event("error", new ServerEvent.Error("5", ErrorCode.NOT_FOUND, "no room r9")),
        event(
            "errorWithoutMessage",
            new ServerEvent.Error(null, ErrorCode.INTERNAL, null),
            new ServerEvent.Error(null, ErrorCode.INTERNAL, "")),
        command("send", new ClientCommand.Send("1", "r1", "c-1", "hi", null)),
        command("sendReply", new ClientCommand.Send(null, "r1", "c-2", "re", "m1")),
        command(
            "sendFiles", new ClientCommand.Send("9", "r1", "c-3", "", null, List.of("f1", "f2"))),
        event("messageFiles", new ServerEvent.MessageEvent(messageWithFiles(), "c-3")),
        event("roomMentions", new ServerEvent.RoomEvent(groupWithMentions())),
        event(
            "messageUpdatedMentions",
            new ServerEvent.MessageUpdated(
                "r1",
                4,
                "m4",
                "@bob @carol see these",
                T2,
                false,
                Map.of(),
                List.of("u-bob", "u-carol"))),
        command("edit", new ClientCommand.Edit("2", "r1", "m1", "edited")),
        command("delete", new ClientCommand.Delete("3", "r1", "m1")),
        command("react", new ClientCommand.React("4", "r1", "m1", "👍", false)),
        command("typingCmd", new ClientCommand.Typing("r1", true)),
        command("readCmd", new ClientCommand.Read("r1", 7)),
        command("sync", new ClientCommand.Sync("6", Map.of("r2", 0L, "r10", 5L, "r1", 3L))),
        command("historyCmd", new ClientCommand.History("8", "r1", 40L, 20)),
        command("historyBefore", new ClientCommand.History(null, "r1", 40L, null)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("websocketFrames")
  void framesAreWrittenExactly(Frame frame) {
    assertThat(frame.encode().apply(CODEC)).isEqualTo(FRAMES.get(frame.name()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("websocketFrames")
  void framesAreReadBack(Frame frame) {
    String json = FRAMES.get(frame.name());
    Object decoded =
        frame.value() instanceof ServerEvent ? CODEC.decodeEvent(json) : CODEC.decodeCommand(json);
    assertThat(decoded).isEqualTo(frame.decoded());
  }

  @Test
  void everyEventAndCommandTypeHasAFrame() {
    Set<Class<?>> covered =
        websocketFrames().map(f -> f.value().getClass()).collect(Collectors.toSet());
    assertThat(covered)
        .containsAll(List.of(ServerEvent.class.getPermittedSubclasses()))
        .containsAll(List.of(ClientCommand.class.getPermittedSubclasses()));
  }

  @Test
  void aMessageUpdatedOfAV1ServerReadsAsOneWithoutMentions() {
    assertThat(CODEC.decodeEvent(FRAMES.get("messageUpdatedV1")))
        .isEqualTo(new ServerEvent.MessageUpdated("r1", 3, "m3", "", null, true, Map.of()))
        .extracting(e -> ((ServerEvent.MessageUpdated) e).mentions())
        .isEqualTo(List.of());
  }

  @Test
  void anAckWithoutTimeIsWrittenWithoutItButAClientNeedsIt() {
    assertThat(CODEC.encode(new ServerEvent.Ack(null, "c-1", "r1", 2, "m2", null)))
        .isEqualTo(FRAMES.get("ackWithoutTs"));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> CODEC.decodeEvent(FRAMES.get("ackWithoutTs")))
        .hasMessage("\"ts\" is required (an ISO-8601 time)");
  }

  @Test
  void httpBodiesAreWrittenExactlyAndReadBack() {
    assertThat(CODEC.encodeUser(ALICE)).isEqualTo(FRAMES.get("user"));
    assertThat(CODEC.decodeUser(FRAMES.get("user"))).isEqualTo(ALICE);

    assertThat(CODEC.encodeUsers(List.of(ALICE, BOB))).isEqualTo(FRAMES.get("users"));
    assertThat(CODEC.decodeUsers(FRAMES.get("users"))).containsExactly(ALICE, BOB);

    assertThat(CODEC.encodeRoomSummaries(List.of(group(), dm()))).isEqualTo(FRAMES.get("rooms"));
    assertThat(CODEC.decodeRoomSummaries(FRAMES.get("rooms"))).containsExactly(group(), dm());

    assertThat(CODEC.encodeRoomSummary(publicRoom())).isEqualTo(FRAMES.get("roomPublic"));
    assertThat(CODEC.decodeRoomSummary(FRAMES.get("roomPublic"))).isEqualTo(publicRoom());

    assertThat(CODEC.encodeMessage(deletedMessage())).isEqualTo(FRAMES.get("messageBody"));
    assertThat(CODEC.decodeMessage(FRAMES.get("messageBody"))).isEqualTo(deletedMessage());

    MessagePage page = new MessagePage(List.of(plainMessage()), true);
    assertThat(CODEC.encodeMessagePage(page)).isEqualTo(FRAMES.get("page"));
    assertThat(CODEC.decodeMessagePage(FRAMES.get("page"))).isEqualTo(page);

    List<SearchHit> hits =
        List.of(new SearchHit(plainMessage(), "[hello]"), new SearchHit(deletedMessage(), null));
    assertThat(CODEC.encodeSearchHits(hits)).isEqualTo(FRAMES.get("hits"));
    assertThat(CODEC.decodeSearchHits(FRAMES.get("hits"))).isEqualTo(hits);

    assertThat(CODEC.encodeAuth(BOB, "tok")).isEqualTo(FRAMES.get("auth"));
    assertThat(CODEC.decodeAuth(FRAMES.get("auth"))).isEqualTo(new JsonCodec.Auth(BOB, "tok"));

    assertThat(CODEC.encodeError(ErrorCode.TOO_LARGE, null)).isEqualTo(FRAMES.get("errorBody"));
    ChatException tooLarge = CODEC.decodeError(413, FRAMES.get("errorBody"));
    assertThat(tooLarge.code()).isEqualTo(ErrorCode.TOO_LARGE);
    assertThat(tooLarge.getMessage()).isEmpty();
    assertThat(CODEC.encodeError(new ChatException.BadRequest("bad")))
        .isEqualTo(FRAMES.get("errorEx"));
  }

  @Test
  void aDmReadBackGetsItsKeyFromItsTwoMembers() {
    RoomSummary read = CODEC.decodeRoomSummary(CODEC.encodeRoomSummary(dm()));
    assertThat(read.room().dmKey()).isEqualTo(Room.dmKey(ALICE.id(), BOB.id()));
    String withoutCreatedAt =
        CODEC.encodeRoomSummary(group()).replaceAll(",\"createdAt\":\"[^\"]*\"", "");
    assertThat(CODEC.decodeRoomSummary(withoutCreatedAt).room().createdAt())
        .isEqualTo(java.time.Instant.EPOCH);
  }

  @Test
  void requestBodiesLeaveOutNullsAndKeepTheirOrder() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", "general");
    body.put("displayName", null);
    body.put("members", List.of("bob", "carol"));
    body.put("visibility", Visibility.PUBLIC);
    body.put("at", T2);
    assertThat(CODEC.encodeObject(body))
        .isEqualTo(
            "{\"name\":\"general\",\"members\":[\"bob\",\"carol\"],\"visibility\":\"public\","
                + "\"at\":\"2026-11-28T10:16:00Z\"}");
  }

  @Test
  void everyInstanceSpeaksTheSameFormat() {
    assertThat(JsonCodec.shared().encode(new ServerEvent.Ok("1")))
        .isEqualTo(new JsonCodec().encode(new ServerEvent.Ok("1")))
        .isEqualTo("{\"type\":\"ok\",\"id\":\"1\"}");
  }

  private static Map<String, String> frames() {
    Map<String, String> frames = new LinkedHashMap<>();
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(
                Objects.requireNonNull(WireFormatTest.class.getResourceAsStream("frames.txt")),
                StandardCharsets.UTF_8))) {
      in.lines()
          .filter(line -> !line.isBlank() && !line.startsWith("#"))
          .forEach(
              line ->
                  frames.put(
                      line.substring(0, line.indexOf(' ')), line.substring(line.indexOf(' ') + 1)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return frames;
  }
}
