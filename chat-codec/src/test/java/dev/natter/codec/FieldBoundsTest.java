package dev.natter.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.natter.codec.internal.WireMapper;
import dev.natter.core.ChatException;
import dev.natter.core.protocol.ClientCommand;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every field of every command has a row in {@link FieldBound} (a new field without one fails
 * here), each text field over its bound is refused with {@code bad_request} without the value being
 * echoed, and the HTTP body decoder is as strict as the command decoder.
 */
class FieldBoundsTest {
  private static final JsonCodec CODEC = new JsonCodec();

  /** Every command type with a valid sample of each (one value per component, by its type). */
  static List<ClientCommand> samples() throws ReflectiveOperationException {
    List<ClientCommand> out = new ArrayList<>();
    for (Class<?> type : ClientCommand.class.getPermittedSubclasses()) {
      RecordComponent[] components = type.getRecordComponents();
      Object[] values = new Object[components.length];
      Class<?>[] types = new Class<?>[components.length];
      for (int i = 0; i < components.length; i++) {
        types[i] = components[i].getType();
        values[i] = sample(types[i]);
      }
      out.add((ClientCommand) type.getDeclaredConstructor(types).newInstance(values));
    }
    return out;
  }

  private static Object sample(Class<?> type) {
    if (type == String.class) {
      return "x";
    }
    if (type == long.class || type == Long.class) {
      return 1L;
    }
    if (type == int.class || type == Integer.class) {
      return 1;
    }
    if (type == boolean.class || type == Boolean.class) {
      return true;
    }
    if (Map.class.isAssignableFrom(type)) {
      return Map.of("r", 0L);
    }
    if (Collection.class.isAssignableFrom(type)) {
      return List.of();
    }
    throw new AssertionError("no sample for " + type);
  }

  @Test
  void everyFieldOfEveryCommandHasABoundOfItsKind() {
    List<String> missing = new ArrayList<>();
    for (Class<?> type : ClientCommand.class.getPermittedSubclasses()) {
      for (RecordComponent c : type.getRecordComponents()) {
        FieldBound.Kind expected = kindOf(c.getType());
        boolean ok = FieldBound.of(c.getName()).map(b -> b.kind() == expected).orElse(false);
        if (!ok) {
          missing.add(type.getSimpleName() + "." + c.getName() + " (" + expected + ")");
        }
      }
    }
    assertThat(missing).as("command fields without a FieldBound row of their kind").isEmpty();
  }

  private static FieldBound.Kind kindOf(Class<?> type) {
    if (type == String.class) {
      return FieldBound.Kind.TEXT;
    }
    if (type == boolean.class || type == Boolean.class) {
      return FieldBound.Kind.FLAG;
    }
    if (Number.class.isAssignableFrom(type) || type == long.class || type == int.class) {
      return FieldBound.Kind.INTEGER;
    }
    return FieldBound.Kind.ENTRIES;
  }

  static Stream<Arguments> textFields() throws ReflectiveOperationException {
    List<Arguments> out = new ArrayList<>();
    for (ClientCommand sample : samples()) {
      for (RecordComponent c : sample.getClass().getRecordComponents()) {
        if (c.getType() == String.class) {
          out.add(Arguments.of(CODEC.encode(sample), c.getName()));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{1} of {0}")
  @MethodSource("textFields")
  void aTextFieldOverItsBoundIsRefusedWithoutEcho(String frame, String field) throws IOException {
    int max = (int) FieldBound.of(field).orElseThrow().max();
    ObjectNode json = (ObjectNode) WireMapper.get().readTree(frame);

    json.put(field, "q".repeat(max));
    assertThat(CODEC.decodeCommand(json.toString())).isNotNull();

    String oversized = "Q".repeat(Math.max(max + 1, 50_000));
    json.put(field, oversized);
    ChatException.BadRequest e =
        catchThrowableOfType(
            ChatException.BadRequest.class, () -> CODEC.decodeCommand(json.toString()));
    assertThat(e).as("%s with %d characters", field, oversized.length()).isNotNull();
    assertThat(e.getMessage())
        .startsWith("\"" + field + "\" is longer than " + max + " characters")
        .doesNotContain("QQ")
        .hasSizeLessThan(100);
    assertThat(CODEC.requestId(json.toString()))
        .isEqualTo(field.equals("id") || !json.has("id") ? null : "x");
  }

  @Test
  void aRequestIdOfFiftyThousandCharactersIsNeitherAcceptedNorEchoed() {
    String frame =
        "{\"type\":\"send\",\"id\":\""
            + "7".repeat(50_000)
            + "\",\"room\":\"r\",\"clientMsgId\":\"c\",\"body\":\"b\"}";
    assertThatThrownBy(() -> CODEC.decodeCommand(frame))
        .isInstanceOf(ChatException.BadRequest.class)
        .hasMessage("\"id\" is longer than 64 characters (50000)");
    assertThat(CODEC.requestId(frame)).isNull();
    assertThat(CODEC.requestId(frame.replace("7".repeat(50_000), "7".repeat(64))))
        .isEqualTo("7".repeat(64));
  }

  @Test
  void integersAndEntriesAreBounded() {
    assertThatThrownBy(() -> CODEC.decodeCommand("{\"type\":\"read\",\"room\":\"r\",\"seq\":-1}"))
        .isInstanceOf(ChatException.BadRequest.class)
        .hasMessage("\"seq\" must be from 0 to 9007199254740991");
    assertThatThrownBy(
            () -> CODEC.decodeCommand("{\"type\":\"history\",\"room\":\"r\",\"limit\":1001}"))
        .hasMessage("\"limit\" must be from 1 to 1000");
    assertThatThrownBy(
            () -> CODEC.decodeCommand("{\"type\":\"history\",\"room\":\"r\",\"before\":-5}"))
        .hasMessage("\"before\" must be from 0 to 9007199254740991");
    assertThatThrownBy(
            () ->
                CODEC.decodeCommand("{\"type\":\"sync\",\"rooms\":{\"" + "k".repeat(65) + "\":1}}"))
        .isInstanceOf(ChatException.BadRequest.class)
        .hasMessage("\"rooms\" has a key longer than 64 characters");
    assertThatThrownBy(() -> CODEC.decodeCommand("{\"type\":\"sync\",\"rooms\":{\"r\":-1}}"))
        .hasMessage("\"rooms\" has a value out of range (0 to 9007199254740991)");
    Map<String, Long> many = new LinkedHashMap<>();
    for (int i = 0; i <= 1_000; i++) {
      many.put("r" + i, 0L);
    }
    String sync = CODEC.encode(new ClientCommand.Sync("1", many));
    assertThatThrownBy(() -> CODEC.decodeCommand(sync))
        .isInstanceOf(ChatException.TooLarge.class)
        .hasMessage("\"rooms\" has more than 1000 entries");
    assertThat(CODEC.requestId(sync)).isEqualTo("1");
  }

  @Test
  void oversizedNamesInErrorsAreCut() {
    String longType = "t".repeat(50_000);
    assertThatThrownBy(() -> CODEC.decodeCommand("{\"type\":\"" + longType + "\"}"))
        .hasMessage("unknown type (longer than 32 characters)");
    String longKey = "k".repeat(50_000);
    assertThat(
            catchThrowableOfType(
                    ChatException.BadRequest.class,
                    () -> CODEC.decodeCommand("{\"" + longKey + "\":1,\"" + longKey + "\":2}"))
                .getMessage())
        .startsWith("malformed JSON: Duplicate")
        .hasSizeLessThan(250);
    assertThat(
            catchThrowableOfType(
                    ChatException.BadRequest.class,
                    () ->
                        CODEC.decodeCommand(
                            "{\"type\":\"sync\",\"rooms\":{\"" + longKey + "\":\"x\"}}"))
                .getMessage())
        .hasSizeLessThan(120);
    assertThat(
            catchThrowableOfType(
                    ChatException.BadRequest.class,
                    () -> CODEC.decodeCommand("{\"type\":" + "z".repeat(50_000) + "}"))
                .getMessage())
        .contains("'" + "z".repeat(32) + "...'")
        .hasSizeLessThan(250);
  }

  @Test
  void httpBodiesRefuseDuplicateKeysAndOversizedFieldsInTheProtocolsWords() {
    assertThatThrownBy(() -> CODEC.decodeRequestObject("{\"username\":\"a\",\"username\":\"b\"}"))
        .isInstanceOf(ChatException.BadRequest.class)
        .hasMessageStartingWith("malformed JSON: Duplicate")
        .hasMessageNotContaining("`")
        .hasMessageNotContaining("jackson");
    assertThatThrownBy(() -> CODEC.decodeRequestObject("{\"username\":"))
        .isInstanceOf(ChatException.BadRequest.class)
        .hasMessageStartingWith("malformed JSON: ")
        .hasMessageNotContaining("Source")
        .hasMessageNotContaining("`");
    assertThatThrownBy(() -> CODEC.decodeRequestObject("[1]")).hasMessage("expected a JSON object");
    assertThatThrownBy(
            () -> CODEC.decodeRequestObject("{\"password\":\"" + "p".repeat(4_097) + "\"}"))
        .hasMessage("\"password\" is longer than 4096 characters (4097)");
    assertThatThrownBy(
            () ->
                CODEC.decodeRequestObject(
                    "{\"members\":[\"ok\",\"" + "m".repeat(65) + "\"],\"name\":\"n\"}"))
        .hasMessage("\"members\" has an item longer than 64 characters");
    assertThat(
            CODEC.decodeRequestObject(
                "{\"name\":\"n\",\"members\":[\"a\"],\"x\":null,\"n\":5,\"b\":true,\"o\":{}}"))
        .containsEntry("name", "n")
        .containsEntry("members", List.of("a"))
        .containsEntry("x", null)
        .containsEntry("n", 5L)
        .containsEntry("b", true)
        .containsEntry("o", Map.of());
  }

  @Test
  void protocolDocsListEveryBound() throws IOException {
    String doc = Files.readString(Path.of("../docs/protocol.md"), StandardCharsets.UTF_8);
    String table = doc.substring(doc.indexOf("### Field bounds"));
    for (FieldBound b : FieldBound.values()) {
      String row =
          table.lines().filter(l -> l.startsWith("| `" + b.field() + "` ")).findFirst().orElse("");
      assertThat(row).as("docs/protocol.md field bounds row of %s", b.field()).isNotEmpty();
      if (b.kind() != FieldBound.Kind.FLAG) {
        assertThat(row.replace(",", "")).contains(String.valueOf(b.max()));
      }
    }
  }
}
