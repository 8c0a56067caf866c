package dev.natter.codec.internal;

/**
 * Writes a null where the protocol always has a value (with {@code @JsonSerialize(nullsUsing =
 * ...)} and {@code @JsonInclude(ALWAYS)}).
 */
final class NullAs {
  private NullAs() {}

  /** A null list is written as {@code []}. */
  static final class EmptyArray extends ValueWriter<Object> {
    private static final long serialVersionUID = 1L;

    EmptyArray() {
      super(
          Object.class,
          (ignored, gen) -> {
            gen.writeStartArray();
            gen.writeEndArray();
          });
    }
  }

  /** A null map is written as an empty object. */
  static final class EmptyObject extends ValueWriter<Object> {
    private static final long serialVersionUID = 1L;

    EmptyObject() {
      super(
          Object.class,
          (ignored, gen) -> {
            gen.writeStartObject();
            gen.writeEndObject();
          });
    }
  }

  /** A null string is written as {@code ""}. */
  static final class EmptyString extends ValueWriter<Object> {
    private static final long serialVersionUID = 1L;

    EmptyString() {
      super(Object.class, (ignored, gen) -> gen.writeString(""));
    }
  }
}
