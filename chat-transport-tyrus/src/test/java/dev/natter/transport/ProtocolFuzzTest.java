package dev.natter.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.natter.codec.JsonCodec;
import dev.natter.core.Limits;
import dev.natter.core.protocol.ClientCommand;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/**
 * Issue 12's fuzzer: seeded random frames through a real server, over the codec and the engine.
 * Every command's every field gets random values (lone surrogates as JSON escapes, control and
 * bidirectional characters, values at and over their bounds, wrong kinds, missing and duplicated
 * keys), whole frames are mutated and random text is sent; and every string field of every command
 * is sent with invalid UTF-8 bytes over a raw socket. Only documented answers come back ({@code
 * error} never {@code internal}, or the answers of valid commands), only documented closes happen
 * (1007 for invalid UTF-8), no exception escapes (an uncaught-exception hook and the server's
 * {@code natter.ws.failures} counter), and the connection is usable afterwards. Rerun one seed with
 * {@code -Dnatter.seed=<seed>}; more frames with {@code -Dnatter.fuzzFrames=<n>}.
 */
class ProtocolFuzzTest {
  private static final JsonCodec CODEC = JsonCodec.shared();
  private static final int FRAMES = Integer.getInteger("natter.fuzzFrames", 10_000);
  private static final int BATCH = 200;

  private static final Set<String> ANSWERS =
      Set.of(
          "error",
          "ack",
          "ok",
          "message",
          "messageUpdated",
          "history",
          "synced",
          "typing",
          "read",
          "presence",
          "room",
          "roomLeft");

  private static final String[] NASTY = {
    "\\ud800",
    "\\udfff",
    "a\\ud800b",
    "\\udc00\\ud800",
    "\\ud83d",
    "\\ude00x",
    "\\u0000",
    "\\u001b[31m",
    "\\u202e",
    "\\u2066",
    "\\u200b",
    "\\ufeff",
    "\\uffff",
    "\\ufffe",
    "\\u0085",
    "👍",
    "e\\u0301",
    "\\\\",
    "\\\"",
    "\\n\\r\\t",
    "<script>",
    "%00",
    "' OR 1=1 --",
    " ",
    ""
  };

  private static final String[] PIECES = {
    "null",
    "1",
    "-1",
    "1.5",
    "1e3",
    "\"x\"",
    "true",
    "[]",
    "{}",
    ",",
    ":",
    "\"",
    "\\",
    "{",
    "}",
    "[",
    "]",
    "99999999999999999999999",
    "\"\\ud800\"",
    "\"type\":\"send\"",
    "\"id\":\"dup\""
  };

  private final Random random;
  private final long seed;

  ProtocolFuzzTest() {
    seed = Long.getLong("natter.seed", System.nanoTime());
    random = new Random(seed);
    System.out.println("ProtocolFuzzTest seed=" + seed + " (rerun: -Dnatter.seed=" + seed + ")");
  }

  @Test
  void randomAndMalformedFramesGetOnlyDocumentedAnswersAndTheConnectionStaysUsable()
      throws Exception {
    Collection<Throwable> uncaught = new ConcurrentLinkedQueue<>();
    Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler((th, e) -> uncaught.add(e));
    Limits generous =
        Limits.builder()
            .sendRate(1_000_000, Duration.ofSeconds(1))
            .readRate(1_000_000, Duration.ofSeconds(1))
            .build();
    try (TestServer t = TestServer.start(e -> e.limits(generous), s -> {})) {
      TestServer.Account alice = t.register("alice");
      TestServer.Account bob = t.register("bob");
      String room = t.createRoom(alice, "fuzz", "public", "bob");
      Ws bobWs = t.connect(bob);
      Ws ws = t.connect(alice);
      ws.send(send(room, "c-seed", "first"));
      String messageId = ws.next("ack").path("messageId").asText();
      List<ObjectNode> templates = templates(room, messageId);

      int sent = 0;
      int batchNo = 0;
      while (sent < FRAMES) {
        for (int i = 0; i < BATCH; i++, sent++) {
          ws.send(frame(templates));
        }
        String fence = "fence-" + batchNo++;
        ws.send("{\"type\":\"history\",\"id\":\"" + fence + "\",\"room\":\"" + room + "\"}");
        for (JsonNode f = ws.next(); !fence.equals(f.path("id").asText()); f = ws.next()) {
          String type = f.path("type").asText();
          assertThat(type).as("seed %d: %s", seed, f).isIn(ANSWERS);
          if (type.equals("error")) {
            assertThat(f.path("code").asText()).as("seed %d: %s", seed, f).isNotEqualTo("internal");
            assertThat(f.path("message").asText()).as("seed %d: %s", seed, f).isNotBlank();
          }
        }
        assertThat(ws.closeCode).as("seed %d: closed after %d frames", seed, sent).isNotDone();
      }

      int rawFrames = invalidUtf8InEveryStringField(t, alice, templates);

      ws.send(send(room, "c-after", "still works"));
      JsonNode ack = ws.next("ack", f -> "c-after".equals(f.path("clientMsgId").asText()));
      assertThat(ack.path("seq").asLong()).isPositive();
      bobWs.next("message", f -> "still works".equals(f.path("body").asText()));

      String metrics = t.get("/metrics", null).body();
      assertThat(metrics).contains("natter_ws_failures_total 0.0");
      assertThat(metrics).contains("natter_errors_total{code=\"internal\"} 0.0");
      assertThat(uncaught).as("seed %d: uncaught exceptions", seed).isEmpty();
      System.out.println(
          "ProtocolFuzzTest: " + sent + " frames and " + rawFrames + " invalid UTF-8 frames");
      assertThat(sent + rawFrames).isGreaterThanOrEqualTo(10_000);
    } finally {
      Thread.setDefaultUncaughtExceptionHandler(previous);
    }
  }

  private static String send(String room, String clientMsgId, String body) {
    return "{\"type\":\"send\",\"id\":\"s\",\"room\":\""
        + room
        + "\",\"clientMsgId\":\""
        + clientMsgId
        + "\",\"body\":\""
        + body
        + "\"}";
  }

  /** A valid frame of every command, built from its record components. */
  private static List<ObjectNode> templates(String room, String messageId) throws Exception {
    List<ObjectNode> out = new ArrayList<>();
    for (Class<?> type : ClientCommand.class.getPermittedSubclasses()) {
      RecordComponent[] components = type.getRecordComponents();
      Object[] values = new Object[components.length];
      Class<?>[] types = new Class<?>[components.length];
      for (int i = 0; i < components.length; i++) {
        types[i] = components[i].getType();
        values[i] = valid(components[i], room, messageId);
      }
      ClientCommand sample = (ClientCommand) type.getDeclaredConstructor(types).newInstance(values);
      out.add((ObjectNode) TestServer.JSON.readTree(CODEC.encode(sample)));
    }
    return out;
  }

  private static Object valid(RecordComponent c, String room, String messageId) {
    Class<?> type = c.getType();
    return switch (c.getName()) {
      case "room" -> room;
      case "messageId", "replyTo" -> messageId;
      case "emoji" -> "👍";
      case "body" -> "hello";
      default -> {
        if (type == String.class) {
          yield "x1";
        } else if (type == long.class || type == Long.class) {
          yield 1L;
        } else if (type == int.class || type == Integer.class) {
          yield 10;
        } else if (type == boolean.class || type == Boolean.class) {
          yield true;
        } else if (Map.class.isAssignableFrom(type)) {
          yield Map.of(room, 1_000_000L); // nothing to replay: answers stay small
        } else {
          yield List.of();
        }
      }
    };
  }

  /**
   * One random frame: a template with fuzzed fields, a mutated one, or random text. A lone
   * surrogate char (a mutation may split a pair) becomes U+FFFD: the JDK client cannot send one,
   * and on the wire it is invalid UTF-8, which {@link #invalidUtf8InEveryStringField} covers.
   */
  private String frame(List<ObjectNode> templates) {
    String frame = anyFrame(templates);
    StringBuilder s = new StringBuilder(frame.length());
    for (int i = 0; i < frame.length(); i++) {
      char c = frame.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < frame.length()
          && Character.isLowSurrogate(frame.charAt(i + 1))) {
        s.append(c).append(frame.charAt(++i));
      } else {
        s.append(Character.isSurrogate(c) ? '\uFFFD' : c);
      }
    }
    return s.toString();
  }

  private String anyFrame(List<ObjectNode> templates) {
    ObjectNode template = templates.get(random.nextInt(templates.size()));
    int kind = random.nextInt(10);
    if (kind < 6) {
      return fuzzFields(template);
    }
    if (kind < 9) {
      return mutate(random.nextBoolean() ? template.toString() : fuzzFields(template));
    }
    return randomText();
  }

  private String fuzzFields(ObjectNode template) {
    ObjectNode frame = template.deepCopy();
    if (random.nextInt(4) > 0) {
      frame.put("id", "f" + random.nextInt(1_000_000)); // most frames carry a short id
    }
    StringBuilder extra = new StringBuilder();
    List<String> names = new ArrayList<>();
    frame.fieldNames().forEachRemaining(names::add);
    String raw = null;
    for (String name : names) {
      if (name.equals("type") && random.nextInt(20) > 0) {
        continue;
      }
      switch (random.nextInt(6)) {
        case 0, 1 -> raw = rawString(frame, name, raw);
        case 2 -> frame.set(name, wrongKind());
        case 3 -> frame.remove(name);
        case 4 -> extra.append(",\"").append(name).append("\":").append(jsonString(10));
        default -> {} // keep it valid
      }
    }
    String text = frame.toString();
    if (raw != null) { // JSON escapes Jackson would not write (lone surrogates, as escapes)
      text = text.replace("\"@@RAW@@\"", raw);
    }
    if (extra.length() > 0 && text.endsWith("}")) {
      text = text.substring(0, text.length() - 1) + extra + "}";
    }
    return text;
  }

  /** Puts a placeholder for one raw JSON string (only one per frame, the rest as plain text). */
  private String rawString(ObjectNode frame, String name, String raw) {
    if (raw == null) {
      frame.put(name, "@@RAW@@");
      return jsonString(random.nextInt(5) == 0 ? 70 : 12);
    }
    frame.put(name, "plain" + random.nextInt(100));
    return raw;
  }

  /** A JSON string literal of random pieces, lone surrogates and other nasty text included. */
  private String jsonString(int pieces) {
    StringBuilder s = new StringBuilder("\"");
    int n = random.nextInt(pieces + 1);
    for (int i = 0; i < n; i++) {
      if (random.nextBoolean()) {
        s.append(NASTY[random.nextInt(NASTY.length)]);
      } else if (random.nextInt(8) == 0) {
        s.append("y".repeat(random.nextInt(2_000))); // near and over the fields' bounds
      } else {
        s.append((char) ('a' + random.nextInt(26)));
      }
    }
    return s.append('"').toString();
  }

  private JsonNode wrongKind() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    return switch (random.nextInt(8)) {
      case 0 -> f.nullNode();
      case 1 -> f.numberNode(random.nextLong());
      case 2 -> f.numberNode(-1);
      case 3 -> f.numberNode(1.5);
      case 4 -> f.booleanNode(random.nextBoolean());
      case 5 -> f.arrayNode().add("x");
      case 6 -> f.objectNode().put("a", 1);
      default -> f.numberNode(Long.MAX_VALUE);
    };
  }

  private String mutate(String frame) {
    StringBuilder m = new StringBuilder(frame);
    for (int k = 1 + random.nextInt(3); k > 0; k--) {
      int at = random.nextInt(m.length() + 1);
      String piece = PIECES[random.nextInt(PIECES.length)];
      switch (random.nextInt(3)) {
        case 0 -> m.insert(at, piece);
        case 1 -> m.delete(at, Math.min(m.length(), at + 1 + random.nextInt(12)));
        default -> m.replace(at, Math.min(m.length(), at + 1 + random.nextInt(8)), piece);
      }
    }
    return m.toString();
  }

  private String randomText() {
    StringBuilder s = new StringBuilder();
    for (int i = random.nextInt(200); i > 0; i--) {
      int cp = random.nextInt(4) == 0 ? random.nextInt(0x10FFFF) : 0x20 + random.nextInt(0x5F);
      if (Character.isSurrogate((char) cp) && cp <= 0xFFFF) {
        cp = 0xFFFD; // the JDK client cannot send a lone surrogate; raw bytes are sent below
      }
      s.appendCodePoint(cp);
    }
    return s.length() == 0 ? " " : s.toString();
  }

  /**
   * Every string field of every command with invalid UTF-8 bytes in it (a lone surrogate encoded as
   * CESU, a truncated sequence, an overlong encoding, a byte that never occurs), each on its own
   * raw socket: the server closes with 1007 and nothing else happens.
   */
  private int invalidUtf8InEveryStringField(
      TestServer t, TestServer.Account who, List<ObjectNode> templates) throws Exception {
    byte[][] invalid = {
      {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
      {(byte) 0xC3},
      {(byte) 0xC0, (byte) 0xAF},
      {(byte) 0xFF},
      {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}
    };
    int count = 0;
    for (ObjectNode template : templates) {
      List<String> names = new ArrayList<>();
      template.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        if (!template.get(name).isTextual()) {
          continue;
        }
        byte[] bad = invalid[count % invalid.length];
        ObjectNode frame = template.deepCopy();
        frame.put(name, "@@BAD@@");
        String[] parts = frame.toString().split("@@BAD@@", 2);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(parts[0].getBytes(StandardCharsets.UTF_8));
        bytes.write(bad);
        bytes.write(parts[1].getBytes(StandardCharsets.UTF_8));
        RawWs raw = RawWs.connect(t.server.port(), who.token(), 0);
        try {
          raw.soTimeout(10_000);
          raw.send(RawWs.TEXT, bytes.toByteArray());
          RawWs.Frame close = raw.readUntilClose();
          assertThat(close.closeCode())
              .as("seed %d: %s with invalid UTF-8 in %s", seed, template.get("type"), name)
              .isEqualTo(1007);
        } finally {
          raw.close();
        }
        count++;
      }
    }
    return count;
  }
}
