package dev.natter.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a store written against the SPI before export/import (a third party's) gets by default. */
class ExportImportDefaultsTest {

  /** A store that implements none of the default methods: each call reaches the SPI's default. */
  private static ChatStore storeWithoutExportImport() {
    InvocationHandler handler =
        (proxy, method, args) -> {
          if (method.isDefault()) {
            return InvocationHandler.invokeDefault(proxy, method, args);
          }
          throw new AssertionError("not needed here: " + method.getName());
        };
    return (ChatStore)
        Proxy.newProxyInstance(
            ChatStore.class.getClassLoader(), new Class<?>[] {ChatStore.class}, handler);
  }

  @Test
  void exportAndImportHaveDefaultsSoOlderStoresStillCompile() throws Exception {
    for (Method m :
        List.of(
            ChatStore.class.getMethod("exportUsers", String.class, int.class),
            ChatStore.class.getMethod("exportRooms", String.class, int.class),
            ChatStore.class.getMethod("exportMessages", String.class, long.class, int.class),
            ChatStore.class.getMethod("importMessages", List.class))) {
      assertThat(m.isDefault()).as(m.getName()).isTrue();
    }
  }

  @Test
  void theDefaultsRefuseWithAClearMessage() {
    ChatStore store = storeWithoutExportImport();
    String message = "this store does not support export/import";

    assertThatThrownBy(() -> store.exportUsers(null, 10))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessage(message);
    assertThatThrownBy(() -> store.exportRooms(null, 10))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessage(message);
    assertThatThrownBy(() -> store.exportMessages("r-1", 0, 10))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessage(message);
    assertThatThrownBy(() -> store.importMessages(List.of()))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessage(message);
  }
}
