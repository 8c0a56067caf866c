package dev.natter.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.natter.core.ChatException;
import dev.natter.core.model.User;
import dev.natter.core.spi.ChatStore;
import dev.natter.core.store.memory.InMemoryChatStore;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Runs every store contract against {@link InMemoryChatStore}, plus what only it promises. */
class InMemoryChatStoreTest {

  @Nested
  class Users extends UserStoreContract {
    @Override
    protected ChatStore newStore() {
      return new InMemoryChatStore();
    }
  }

  @Nested
  class Sessions extends SessionStoreContract {
    @Override
    protected ChatStore newStore() {
      return new InMemoryChatStore();
    }
  }

  @Nested
  class Rooms extends RoomStoreContract {
    @Override
    protected ChatStore newStore() {
      return new InMemoryChatStore();
    }
  }

  @Nested
  class Memberships extends MembershipStoreContract {
    @Override
    protected ChatStore newStore() {
      return new InMemoryChatStore();
    }
  }

  @Nested
  class Messages extends MessageStoreContract {
    @Override
    protected ChatStore newStore() {
      return new InMemoryChatStore();
    }
  }

  @Nested
  class Search extends MessageSearchContract {
    @Override
    protected ChatStore newStore() {
      return new InMemoryChatStore();
    }
  }

  @Nested
  class Files extends FileStoreContract {
    @Override
    protected ChatStore newStore() {
      return new InMemoryChatStore();
    }
  }

  @Nested
  class Errors extends StoreErrorsContract {
    @Override
    protected ChatStore newStore() {
      return new InMemoryChatStore();
    }
  }

  @Nested
  class Transfer extends StoreTransferContract<InMemoryChatStore> {
    @Override
    protected InMemoryChatStore newStore() {
      return new InMemoryChatStore();
    }
  }

  /** What only the in-memory store promises. */
  @Nested
  class OnlyInMemory extends StoreContract<InMemoryChatStore> {
    @Override
    protected InMemoryChatStore newStore() {
      return new InMemoryChatStore();
    }

    @Test
    void returnedListsCannotBeModified() {
      User alice = user("alice");
      String room = groupWith("r-1", alice);
      send(room, alice, "hi", at(1));

      assertThatThrownBy(() -> store.members(room).clear())
          .isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> store.messagesAfter(room, 0, 10).clear())
          .isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> store.roomIdsOf(alice.id()).clear())
          .isInstanceOf(UnsupportedOperationException.class);
      assertThat(store.members(room)).containsExactly(alice);
    }

    @Test
    void aClosedStoreFailsEveryCallAndCloseIsIdempotent() {
      User alice = user("alice");
      String room = groupWith("r-1", alice);
      store.close();
      store.close();

      assertThatThrownBy(() -> store.findUser(alice.id()))
          .isInstanceOf(ChatException.StoreFailure.class);
      CompletableFuture<?> append = store.append(newMessage(room, alice, "late", at(1)), m -> {});
      assertThat(append).isCompletedExceptionally();
    }

    @Test
    void aThrowingCallbackDoesNotUndoTheCommit() {
      User alice = user("alice");
      String room = groupWith("r-1", alice);

      var result =
          join(
              store.append(
                  newMessage(room, alice, "hi", at(1)),
                  m -> {
                    throw new IllegalStateException("listener bug");
                  }));

      assertThat(result.message().seq()).isEqualTo(1);
      assertThat(store.lastSeq(room)).isEqualTo(1);
    }
  }
}
