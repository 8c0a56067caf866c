package dev.natter.codec;

import static org.assertj.core.api.Assertions.fail;

import dev.natter.core.ChatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Whatever text arrives, decoding either succeeds or fails with a {@link ChatException.BadRequest}
 * whose message is the protocol's, never Jackson's: no class, feature or internal name of the
 * library reaches a client. Inputs: hand-picked malformed JSON, and seeded random mutations of
 * every frame in {@code frames.txt} (rerun one with {@code -Dnatter.seed=<seed>}).
 */
class DecodeRobustnessTest {
  private static final JsonCodec CODEC = new JsonCodec();

  /** Lower case; a message is checked ignoring case. */
  private static final List<String> INTERNALS =
      List.of(
          "com.fasterxml",
          "jackson",
          "jsonnode",
          "cannot deserialize",
          "cannot construct",
          "cannot coerce",
          "`",
          "feature",
          "streamreadconstraints",
          "redacted",
          "dev.natter",
          "java.",
          "arraylist",
          "linkedhashmap",
          "exception");

  private static final Map<String, Function<String, Object>> DECODERS =
      Map.of(
          "command", CODEC::decodeCommand,
          "event", CODEC::decodeEvent,
          "users", CODEC::decodeUsers,
          "roomSummary", CODEC::decodeRoomSummary,
          "roomSummaries", CODEC::decodeRoomSummaries,
          "messagePage", CODEC::decodeMessagePage,
          "searchHits", CODEC::decodeSearchHits,
          "auth", CODEC::decodeAuth,
          "requestObject", CODEC::decodeRequestObject,
          "message", CODEC::decodeMessage);

  private static final List<String> MALFORMED =
      List.of(
          "not json",
          "{oops",
          "[1,2",
          "{\"type\":\"send\"",
          "{\"type\":\"send",
          "{\"type\":\"read\",\"seq\":NaN}",
          "{\"type\":\"read\",\"seq\":Infinity}",
          "{\"type\":\"read\",\"seq\":01}",
          "{\"type\":\"read\",\"seq\":-}",
          "{\"type\":\"read\",\"seq\":1,}",
          "{'type':'read'}",
          "{type:\"read\"}",
          "{\"type\":\"read\" /* c */}",
          "{\"type\":\"read\" // c\n}",
          "{\"type\":\"re\nad\"}",
          "{\"type\":\"\\q\"}",
          "{\"type\":\"\\u12\"}",
          "{\"type\":\"read\"}\u0000",
          "\uFEFF{\"type\":\"read\"}",
          "{\"a\":1,\"a\":1}",
          "{\"type\":\"read\"} x",
          "{\"type\":\"read\"}]",
          "{\"x\":" + "[".repeat(100) + "]".repeat(100) + "}",
          "{\"x\":" + "{\"y\":".repeat(100) + "1" + "}".repeat(100) + "}",
          "{\"x\":1" + "0".repeat(1000) + "}",
          "{\"x\":1." + "0".repeat(1000) + "}",
          "{\"x\":1e999999999}",
          "{\"x\":\"\\ud800\"}",
          "[{\"id\":\"u\",\"username\":\"n\",\"displayName\":\"N\"},]");

  @Test
  void malformedJsonIsNamedWithoutInternals() {
    for (String input : MALFORMED) {
      DECODERS.forEach((name, decoder) -> check(name, decoder, input, "hand-picked"));
    }
  }

  @Test
  void mutatedFramesFailCleanly() throws IOException {
    long seed = Long.getLong("natter.seed", System.nanoTime());
    Random random = new Random(seed);
    List<String> frames = frames();
    String[] pieces = {
      "null",
      "1",
      "-1",
      "1.5",
      "1e3",
      "\"x\"",
      "true",
      "[]",
      "{}",
      "[null]",
      "{\"a\":null}",
      ",",
      ":",
      "\"",
      "\\",
      "{",
      "}",
      "[",
      "]",
      "99999999999999999999999",
      "\"2026-13-45T99:99:99Z\""
    };
    for (int i = 0; i < 2_000; i++) {
      String frame = frames.get(random.nextInt(frames.size()));
      StringBuilder mutated = new StringBuilder(frame);
      for (int m = 1 + random.nextInt(3); m > 0; m--) {
        int at = random.nextInt(mutated.length() + 1);
        switch (random.nextInt(3)) {
          case 0 -> mutated.insert(at, pieces[random.nextInt(pieces.length)]);
          case 1 -> mutated.delete(at, Math.min(mutated.length(), at + 1 + random.nextInt(12)));
          default ->
              mutated.replace(
                  at,
                  Math.min(mutated.length(), at + 1 + random.nextInt(8)),
                  pieces[random.nextInt(pieces.length)]);
        }
      }
      String input = mutated.toString();
      DECODERS.forEach((name, decoder) -> check(name, decoder, input, "seed " + seed));
    }
  }

  private static void check(
      String name, Function<String, Object> decoder, String input, String origin) {
    try {
      decoder.apply(input);
    } catch (ChatException.BadRequest e) {
      String message = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
      if (message.isBlank() || INTERNALS.stream().anyMatch(message::contains)) {
        fail(name + " of " + input + " (" + origin + ") said: " + e.getMessage());
      }
    } catch (RuntimeException e) {
      fail(name + " of " + input + " (" + origin + ") threw " + e, e);
    }
  }

  private static List<String> frames() throws IOException {
    try (InputStream in = DecodeRobustnessTest.class.getResourceAsStream("frames.txt")) {
      List<String> frames = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank() && !line.startsWith("#")) {
          frames.add(line.substring(line.indexOf(' ') + 1));
        }
      }
      return frames;
    }
  }
}
