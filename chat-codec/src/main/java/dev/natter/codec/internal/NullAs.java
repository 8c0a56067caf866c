package dev.natter.codec.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;

/**
 * Writes a null where the protocol always has a value (with {@code @JsonSerialize(nullsUsing =
 * ...)} and {@code @JsonInclude(ALWAYS)}).
 */
final class NullAs {
  private NullAs() {}

  /** A null list is written as {@code []}. */
  static final class EmptyArray extends StdSerializer<Object> {
    private static final long serialVersionUID = 1L;

    EmptyArray() {
      super(Object.class);
    }

    @Override
    public void serialize(Object ignored, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeStartArray();
      gen.writeEndArray();
    }
  }

  /** A null map is written as an empty object. */
  static final class EmptyObject extends StdSerializer<Object> {
    private static final long serialVersionUID = 1L;

    EmptyObject() {
      super(Object.class);
    }

    @Override
    public void serialize(Object ignored, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeStartObject();
      gen.writeEndObject();
    }
  }

  /** A null string is written as {@code ""}. */
  static final class EmptyString extends StdSerializer<Object> {
    private static final long serialVersionUID = 1L;

    EmptyString() {
      super(Object.class);
    }

    @Override
    public void serialize(Object ignored, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeString("");
    }
  }
}
