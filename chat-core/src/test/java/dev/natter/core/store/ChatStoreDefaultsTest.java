package dev.natter.core.store;

import dev.natter.core.spi.ChatStore;
import dev.natter.core.store.memory.InMemoryChatStore;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Nested;

/**
 * Runs the store contracts against {@link InMemoryChatStore} seen through the {@link ChatStore}
 * interface alone: the default methods of its roles ({@code findUsers}, {@code updateRole}, {@code
 * memberships}) run instead of the store's overrides, as they do for a store that has not
 * overridden them.
 */
class ChatStoreDefaultsTest {

  /** The in-memory store, but every default method of the interface runs the default. */
  static ChatStore withDefaults() {
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

  @Nested
  class Users extends UserStoreContract {
    @Override
    protected ChatStore newStore() {
      return withDefaults();
    }
  }

  @Nested
  class Sessions extends SessionStoreContract {
    @Override
    protected ChatStore newStore() {
      return withDefaults();
    }
  }

  @Nested
  class Rooms extends RoomStoreContract {
    @Override
    protected ChatStore newStore() {
      return withDefaults();
    }
  }

  @Nested
  class Memberships extends MembershipStoreContract {
    @Override
    protected ChatStore newStore() {
      return withDefaults();
    }
  }

  @Nested
  class Messages extends MessageStoreContract {
    @Override
    protected ChatStore newStore() {
      return withDefaults();
    }
  }

  @Nested
  class Search extends MessageSearchContract {
    @Override
    protected ChatStore newStore() {
      return withDefaults();
    }
  }

  @Nested
  class Errors extends StoreErrorsContract {
    @Override
    protected ChatStore newStore() {
      return withDefaults();
    }
  }
}
