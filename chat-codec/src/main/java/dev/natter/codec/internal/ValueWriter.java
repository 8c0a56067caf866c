package dev.natter.codec.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;

/**
 * A serializer that writes each value with a function: the codec's few hand-written values (times,
 * wire names of enums, the empty values of {@link NullAs}).
 *
 * @param <T> the type written
 */
class ValueWriter<T> extends StdSerializer<T> {
  private static final long serialVersionUID = 1L;
  private final transient Write<T> write;

  ValueWriter(Class<T> type, Write<T> write) {
    super(type);
    this.write = write;
  }

  @Override
  public void serialize(T value, JsonGenerator gen, SerializerProvider provider)
      throws IOException {
    write.write(value, gen);
  }

  /** Writes one value. */
  @FunctionalInterface
  interface Write<T> {
    void write(T value, JsonGenerator gen) throws IOException;
  }
}
