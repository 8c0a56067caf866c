package dev.natter.transport;

import dev.natter.codec.JsonCodec;
import dev.natter.core.ChatException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A JSON object sent as an HTTP request body, decoded by the codec as strictly as a WebSocket
 * command (duplicate keys refused, every field within its {@link dev.natter.codec.FieldBound}),
 * with typed access and clear errors.
 */
final class RequestBody {
  private final Map<String, Object> fields;

  private RequestBody(Map<String, Object> fields) {
    this.fields = fields;
  }

  static RequestBody parse(JsonCodec codec, String text) {
    if (text == null || text.isBlank()) {
      throw new ChatException.BadRequest("a JSON object body is required");
    }
    return new RequestBody(codec.decodeRequestObject(text));
  }

  String string(String field) {
    String v = optString(field);
    if (v == null) {
      throw new ChatException.BadRequest("\"" + field + "\" is required (a string)");
    }
    return v;
  }

  String optString(String field) {
    Object v = fields.get(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw new ChatException.BadRequest("\"" + field + "\" must be a string");
    }
    return s;
  }

  List<String> optStrings(String field) {
    Object v = fields.get(field);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> items)) {
      throw new ChatException.BadRequest("\"" + field + "\" must be an array of strings");
    }
    List<String> out = new ArrayList<>();
    for (Object item : items) {
      if (!(item instanceof String s)) {
        throw new ChatException.BadRequest("\"" + field + "\" must be an array of strings");
      }
      out.add(s);
    }
    return out;
  }
}
