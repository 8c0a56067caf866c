package dev.natter.codec.internal;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * An enum written as its protocol name ({@code wireName()}, for example {@code "bad_request"}) and
 * read back from exactly that name. An unknown name fails with the list of allowed ones, unless the
 * enum has a fallback for names a newer peer may send.
 */
final class WireEnum {
  private WireEnum() {}

  /** Registers {@code type} with its wire names; an unknown name is an error. */
  static <E extends Enum<E>> void register(
      SimpleModule module, Class<E> type, Function<E, String> wireName) {
    register(module, type, wireName, null);
  }

  /** Registers {@code type} with its wire names; an unknown name reads as {@code fallback}. */
  static <E extends Enum<E>> void register(
      SimpleModule module, Class<E> type, Function<E, String> wireName, E fallback) {
    E[] values = type.getEnumConstants();
    SerializableString[] names = new SerializableString[values.length];
    Map<String, E> byName = new HashMap<>();
    for (E value : values) {
      names[value.ordinal()] = new SerializedString(wireName.apply(value));
      byName.put(wireName.apply(value), value);
    }
    String unknown =
        Stream.of(values)
            .map(v -> "\"" + wireName.apply(v) + "\"")
            .collect(Collectors.joining(", ", "must be one of ", ""));
    module.addSerializer(
        type, new ValueWriter<>(type, (value, gen) -> gen.writeString(names[value.ordinal()])));
    module.addDeserializer(
        type,
        new StrictScalars.Strict<>(
            type,
            null,
            p -> {
              E value = byName.getOrDefault(StrictScalars.text(p), fallback);
              if (value == null) {
                throw WireProblem.field(p, unknown);
              }
              return value;
            }));
  }
}
