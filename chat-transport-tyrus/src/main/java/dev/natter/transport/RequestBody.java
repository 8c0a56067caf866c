package dev.natter.transport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.natter.core.ChatException;
import java.util.ArrayList;
import java.util.List;

/** A JSON object sent as an HTTP request body, with typed access and clear errors. */
final class RequestBody {
  private static final ObjectMapper MAPPER = JsonMapper.builder().build();

  private final JsonNode node;

  private RequestBody(JsonNode node) {
    this.node = node;
  }

  static RequestBody parse(String text) {
    if (text == null || text.isBlank()) {
      throw new ChatException.BadRequest("a JSON object body is required");
    }
    JsonNode n;
    try {
      n = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new ChatException.BadRequest("malformed JSON: " + e.getOriginalMessage());
    }
    if (n == null || !n.isObject()) {
      throw new ChatException.BadRequest("the body must be a JSON object");
    }
    return new RequestBody(n);
  }

  String string(String field) {
    String v = optString(field);
    if (v == null) {
      throw new ChatException.BadRequest("\"" + field + "\" is required (a string)");
    }
    return v;
  }

  String optString(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new ChatException.BadRequest("\"" + field + "\" must be a string");
    }
    return v.textValue();
  }

  List<String> optStrings(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return List.of();
    }
    if (!v.isArray()) {
      throw new ChatException.BadRequest("\"" + field + "\" must be an array of strings");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode item : v) {
      if (!item.isTextual()) {
        throw new ChatException.BadRequest("\"" + field + "\" must be an array of strings");
      }
      out.add(item.textValue());
    }
    return out;
  }
}
