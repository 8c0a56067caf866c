package dev.natter.codec.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A JSON tree as plain Java values, so that callers of the codec see no Jackson type. */
public final class PlainJson {
  private PlainJson() {}

  /**
   * The value of a node: a {@code String}, a {@code Long} (or {@code BigInteger} beyond its range),
   * a {@code Double}, a {@code Boolean}, null, an unmodifiable {@code List} or an unmodifiable
   * {@code Map} with the keys in document order.
   */
  public static Object value(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    if (node.isTextual()) {
      return node.textValue();
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isIntegralNumber()) {
      return node.canConvertToLong() ? (Object) node.longValue() : node.bigIntegerValue();
    }
    if (node.isNumber()) {
      return node.doubleValue();
    }
    if (node.isArray()) {
      List<Object> items = new ArrayList<>(node.size());
      node.forEach(item -> items.add(value(item)));
      return Collections.unmodifiableList(items);
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    node.fields().forEachRemaining(e -> fields.put(e.getKey(), value(e.getValue())));
    return Collections.unmodifiableMap(fields);
  }
}
