package dev.natter.codec.internal;

import com.fasterxml.jackson.databind.jsontype.NamedType;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The {@code type} names of a sealed hierarchy of frames, checked to cover every subtype. */
final class ProtocolTypes {
  private ProtocolTypes() {}

  /**
   * The names, as given.
   *
   * @throws IllegalStateException if a permitted subtype of {@code sealed} has no name (it would
   *     otherwise be written with Jackson's default name, which no peer understands)
   */
  static NamedType[] named(Class<?> sealed, NamedType... names) {
    Set<Class<?>> named = Arrays.stream(names).map(NamedType::getType).collect(Collectors.toSet());
    List<String> unnamed =
        Arrays.stream(sealed.getPermittedSubclasses())
            .filter(type -> !named.contains(type))
            .map(Class::getName)
            .toList();
    if (!unnamed.isEmpty()) {
      throw new IllegalStateException("no protocol type name for " + unnamed);
    }
    return names;
  }
}
