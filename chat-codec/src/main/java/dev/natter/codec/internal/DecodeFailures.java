package dev.natter.codec.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.natter.codec.FieldBound;
import dev.natter.core.ChatException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns a Jackson failure into the {@link ChatException.BadRequest} a client reads: {@code "path"
 * problem} for a field (the path dotted, with {@code [i]} for array items, for example {@code
 * "rooms[1].members[0].id" is required (a string)}), or {@code malformed JSON: ...} for text that
 * is not JSON. No Jackson class, feature or internal name reaches the message.
 */
final class DecodeFailures {
  private DecodeFailures() {}

  /** Jackson's hints about its own configuration, cut from parser messages. */
  private static final Pattern CONSTRAINT_SOURCE = Pattern.compile(", from `[^`]*`\\)");

  /** Most characters of the parser's own words in a message (they may quote the input). */
  private static final int MAX_DETAIL_CHARS = 200;

  private static final List<String> HINT_STARTS =
      List.of(": enable `", " (not recognized as one since", "\n");

  static ChatException.BadRequest translate(JsonProcessingException e, String json) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof JsonProcessingException parse && !(t instanceof DatabindException)) {
        return malformed(parse.getOriginalMessage());
      }
      if (t instanceof WireProblem problem) {
        return new ChatException.BadRequest(describe(problem, json));
      }
    }
    if (e instanceof InvalidDefinitionException) {
      throw new IllegalStateException("the codec cannot bind this type", e);
    }
    String field = "\"" + (e instanceof JsonMappingException m ? path(m) : "") + "\"";
    if (e instanceof InvalidNullException n) {
      // for an array item Jackson names the array's type, not the item's
      return new ChatException.BadRequest(
          endsInArrayItem(n)
              ? field + " must not be null"
              : field + " is required (" + describe(n.getTargetType()) + ")");
    }
    if (e instanceof MismatchedInputException wrongKind) {
      return new ChatException.BadRequest(
          field + " must be " + describe(wrongKind.getTargetType()));
    }
    return new ChatException.BadRequest(field + " is invalid");
  }

  /** A parse failure; {@code detail} is the parser's message, cleaned of Jackson's hints. */
  static ChatException.BadRequest malformed(String detail) {
    String m = detail == null ? "" : CONSTRAINT_SOURCE.matcher(detail).replaceAll(")");
    int source = m.indexOf("[Source:"); // "... (for Object starting at [Source: ...; line: 1]"
    if (source >= 0) {
      int opening = m.lastIndexOf(" (", source);
      m = m.substring(0, opening >= 0 ? opening : source);
    }
    for (String hint : HINT_STARTS) {
      int at = m.indexOf(hint);
      if (at >= 0) {
        m = m.substring(0, at);
      }
    }
    int quote = m.indexOf('`'); // any other mention of Jackson's own names
    if (quote >= 0) {
      m = m.substring(0, quote);
    }
    m = m.replaceAll("[\\s:(,]+$", "");
    if (m.length() > MAX_DETAIL_CHARS) { // a duplicate key is named whole by the parser
      m = m.substring(0, MAX_DETAIL_CHARS) + "…";
    }
    return new ChatException.BadRequest("malformed JSON: " + m);
  }

  private static String describe(WireProblem problem, String json) {
    if (problem.isTypeMissing() && hasType(json)) {
      return WireProblem.TYPE_NOT_A_STRING;
    }
    return problem.describe(path(problem));
  }

  /** Whether the frame has a {@code type} that is not null (so it is of the wrong kind). */
  private static boolean hasType(String json) {
    try {
      JsonNode type = WireMapper.get().readTree(json).get("type");
      return type != null && !type.isNull();
    } catch (JsonProcessingException | RuntimeException e) {
      return false;
    }
  }

  /**
   * {@code a.b[2].c}: fields dotted, array items as {@code [i]}, map keys like fields (a key longer
   * than an id is cut, so that no oversized value is echoed).
   */
  static String path(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        path.append(path.length() == 0 ? "" : ".").append(shortened(ref.getFieldName()));
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  private static String shortened(String name) {
    int max = (int) FieldBound.ID.max();
    return name.length() <= max ? name : name.substring(0, max) + "…";
  }

  private static boolean endsInArrayItem(JsonMappingException e) {
    List<JsonMappingException.Reference> path = e.getPath();
    return !path.isEmpty() && path.get(path.size() - 1).getFieldName() == null;
  }

  /** What a value of this type is, in the protocol's words. */
  static String describe(Class<?> type) {
    if (type == null) {
      return "a value";
    }
    if (type == String.class || type.isEnum()) {
      return "a string";
    }
    if (type == long.class || type == Long.class || type == int.class || type == Integer.class) {
      return "an integer";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (type == Instant.class) {
      return "an ISO-8601 time";
    }
    if (Collection.class.isAssignableFrom(type) || type.isArray()) {
      return "an array";
    }
    return "an object";
  }
}
