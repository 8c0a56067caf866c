package dev.natter.codec.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The protocol's scalar types, read strictly: a string only from a JSON string, an integer only
 * from a JSON integer that fits, a boolean only from {@code true}/{@code false}, a time only from
 * an ISO-8601 string. Jackson would otherwise coerce ({@code "3"} to 3, {@code 1.5} to 1, 5 to
 * {@code "5"}). A wrong value fails with a {@link WireProblem} in the protocol's words. A time is
 * written as its ISO-8601 UTC string ({@link Instant#toString()}).
 */
final class StrictScalars {
  private StrictScalars() {}

  static void register(SimpleModule module) {
    module.addDeserializer(String.class, new Strict<>(String.class, null, StrictScalars::text));
    module.addDeserializer(Long.class, new Strict<>(Long.class, null, StrictScalars::integer));
    module.addDeserializer(long.class, new Strict<>(Long.class, 0L, StrictScalars::integer));
    module.addDeserializer(Integer.class, new Strict<>(Integer.class, null, StrictScalars::int32));
    module.addDeserializer(int.class, new Strict<>(Integer.class, 0, StrictScalars::int32));
    module.addDeserializer(Boolean.class, new Strict<>(Boolean.class, null, StrictScalars::bool));
    module.addDeserializer(boolean.class, new Strict<>(Boolean.class, false, StrictScalars::bool));
    module.addDeserializer(Instant.class, new Strict<>(Instant.class, null, StrictScalars::time));
    module.addSerializer(
        Instant.class,
        new ValueWriter<>(Instant.class, (time, gen) -> gen.writeString(time.toString())));
  }

  static String text(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.VALUE_STRING) {
      throw WireProblem.field(p, "must be a string");
    }
    return p.getText();
  }

  private static Long integer(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.VALUE_NUMBER_INT
        || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
      throw WireProblem.field(p, "must be an integer");
    }
    return p.getLongValue();
  }

  private static Integer int32(JsonParser p) throws IOException {
    long value = integer(p);
    if (p.getNumberType() != JsonParser.NumberType.INT) {
      throw WireProblem.field(p, "is out of range");
    }
    return (int) value;
  }

  private static Boolean bool(JsonParser p) throws IOException {
    if (!p.currentToken().isBoolean()) {
      throw WireProblem.field(p, "must be true or false");
    }
    return p.currentToken() == JsonToken.VALUE_TRUE;
  }

  private static Instant time(JsonParser p) throws IOException {
    String text = text(p);
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw WireProblem.field(p, "must be an ISO-8601 UTC time");
    }
  }

  /** Reads a value from the parser's current token, or throws a {@link WireProblem}. */
  @FunctionalInterface
  interface TokenReader<T> {
    T read(JsonParser p) throws IOException;
  }

  /** A deserializer that reads with a {@link TokenReader}; null reads as {@code ifNull}. */
  static final class Strict<T> extends StdScalarDeserializer<T> {
    private static final long serialVersionUID = 1L;
    private final T ifNull;
    private final transient TokenReader<T> reader;

    Strict(Class<T> type, T ifNull, TokenReader<T> reader) {
      super(type);
      this.ifNull = ifNull;
      this.reader = reader;
    }

    @Override
    public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      return reader.read(p);
    }

    @Override
    public T getNullValue(DeserializationContext ctxt) {
      return ifNull;
    }
  }
}
