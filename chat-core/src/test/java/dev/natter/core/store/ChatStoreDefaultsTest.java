package dev.natter.core.store;

import dev.natter.core.spi.ChatStore;
import dev.natter.core.store.memory.InMemoryChatStore;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

/**
 * Runs the store contract against {@link InMemoryChatStore} seen through the {@link ChatStore}
 * interface alone: the SPI's default methods ({@code findUsers}, {@code updateRole}, {@code
 * memberships}, ...) run instead of the store's overrides, as they do for a store that has not
 * overridden them yet.
 */
class ChatStoreDefaultsTest extends ChatStoreContract {
  @Override
  protected ChatStore newStore() {
    ChatStore memory = new InMemoryChatStore();
    return (ChatStore)
        Proxy.newProxyInstance(
            ChatStore.class.getClassLoader(),
            new Class<?>[] {ChatStore.class},
            (proxy, method, args) -> {
              if (method.isDefault()) {
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
