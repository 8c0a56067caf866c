package dev.natter.core.store;

import dev.natter.core.spi.ChatStore;
import dev.natter.core.store.memory.InMemoryChatStore;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Set;

/**
 * Runs the store contract against {@link InMemoryChatStore} seen through the {@link ChatStore}
 * interface alone: the SPI's default methods ({@code findUsers}, {@code updateRole}, {@code
 * memberships}, ...) run instead of the store's overrides, as they do for a store that has not
 * overridden them yet. The export/import methods are the exception: their defaults only refuse (see
 * {@code ExportImportDefaultsTest}), so those calls reach the store's own implementation.
 */
class ChatStoreDefaultsTest extends ChatStoreContract {
  private static final Set<String> EXPORT_IMPORT =
      Set.of("exportUsers", "exportRooms", "exportMessages", "importMessages");

  @Override
  protected ChatStore newStore() {
    ChatStore memory = new InMemoryChatStore();
    return (ChatStore)
        Proxy.newProxyInstance(
            ChatStore.class.getClassLoader(),
            new Class<?>[] {ChatStore.class},
            (proxy, method, args) -> {
              if (method.isDefault() && !EXPORT_IMPORT.contains(method.getName())) {
                return InvocationHandler.invokeDefault(proxy, method, args);
              }
              try {
                return method.invoke(memory, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }
}
