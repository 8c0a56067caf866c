package dev.natter.bus.redis;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.natter.codec.JsonCodec;
import dev.natter.core.spi.EventBus.Envelope;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/**
 * What goes over the Redis channel: one JSON object {@code {"node", "roomId", "userId",
 * "excludeUserId", "event"}} whose {@code event} is the event exactly as {@link JsonCodec} writes
 * it for clients.
 */
final class BusWireFormat {
  /** An envelope and the node that published it. */
  record Published(String node, Envelope envelope) {}

  private final ObjectMapper mapper = new ObjectMapper();
  private final JsonFactory factory = mapper.getFactory();
  private final JsonCodec codec;

  BusWireFormat(JsonCodec codec) {
    this.codec = codec;
  }

  String encode(String node, Envelope envelope) {
    StringWriter text = new StringWriter(256);
    try (JsonGenerator g = factory.createGenerator(text)) {
      g.writeStartObject();
      g.writeStringField("node", node);
      g.writeStringField("roomId", envelope.roomId());
      g.writeStringField("userId", envelope.userId());
      g.writeStringField("excludeUserId", envelope.excludeUserId());
      g.writeFieldName("event");
      g.writeRawValue(codec.encode(envelope.event()));
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return text.toString();
  }

  /**
   * Reads what {@link #encode} wrote.
   *
   * @throws IllegalArgumentException if the text is not such an object
   */
  Published decode(String text) {
    JsonNode root;
    try {
      root = mapper.readTree(text);
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject() || !root.path("event").isObject()) {
      throw new IllegalArgumentException("not a bus envelope");
    }
    try {
      return new Published(
          text(root, "node"),
          new Envelope(
              text(root, "roomId"),
              text(root, "userId"),
              codec.decodeEvent(root.get("event").toString()),
              text(root, "excludeUserId")));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("bad event: " + e.getMessage(), e);
    }
  }

  private static String text(JsonNode root, String field) {
    JsonNode node = root.get(field);
    return node == null || node.isNull() ? null : node.asText();
  }
}
