package dev.natter.codec.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.natter.core.ChatException;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One shape of the wire format with its {@link ObjectReader} and {@link ObjectWriter}, prepared
 * once on the {@link WireMapper} and reused (both are immutable and thread-safe).
 *
 * <p>Reading takes exactly one JSON document of the expected kind (an object, or an array for a
 * list) and nothing after it; any failure is a {@link ChatException.BadRequest} in the protocol's
 * words ({@link DecodeFailures}).
 *
 * @param <T> the Java type
 */
public final class WireType<T> {
  private final ObjectReader reader;
  private final ObjectWriter writer;
  private final JsonToken root;

  private WireType(JavaType type) {
    this.reader = WireMapper.get().readerFor(type);
    this.writer = WireMapper.get().writerFor(type);
    this.root = type.isCollectionLikeType() ? JsonToken.START_ARRAY : JsonToken.START_OBJECT;
  }

  /** The shape of {@code type}. */
  public static <T> WireType<T> of(Class<T> type) {
    return new WireType<>(WireMapper.get().constructType(type));
  }

  /** The shape of a generic type such as {@code List<User>}. */
  public static <T> WireType<T> of(TypeReference<T> type) {
    return new WireType<>(WireMapper.get().constructType(type));
  }

  /** Writes {@code value} as JSON text. */
  public String write(T value) {
    try {
      return writer.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  /** Reads {@code json}; throws {@link ChatException.BadRequest} saying what is wrong. */
  public T read(String json) {
    if (json == null || json.isBlank()) {
      throw new ChatException.BadRequest("empty frame: expected a JSON object");
    }
    try (JsonParser p = reader.createParser(json)) {
      if (p.nextToken() != root) {
        throw new ChatException.BadRequest(
            root == JsonToken.START_ARRAY ? "expected a JSON array" : "expected a JSON object");
      }
      T value = reader.readValue(p);
      if (p.nextToken() != null) {
        throw new ChatException.BadRequest("malformed JSON: more than one JSON value");
      }
      return value;
    } catch (JsonProcessingException e) {
      throw DecodeFailures.translate(e, json);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a String is read without I/O
    }
  }
}
