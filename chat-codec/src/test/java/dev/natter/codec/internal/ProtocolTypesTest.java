package dev.natter.codec.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.jsontype.NamedType;
import org.junit.jupiter.api.Test;

class ProtocolTypesTest {
  sealed interface Frame permits Hello, Bye {}

  record Hello() implements Frame {}

  record Bye() implements Frame {}

  @Test
  void everySubtypeNeedsAName() {
    NamedType hello = new NamedType(Hello.class, "hello");
    NamedType bye = new NamedType(Bye.class, "bye");
    assertThat(ProtocolTypes.named(Frame.class, hello, bye)).containsExactly(hello, bye);
    assertThatThrownBy(() -> ProtocolTypes.named(Frame.class, hello))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Bye");
  }
}
