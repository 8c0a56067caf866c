package dev.natter.store.sqlite;

import dev.natter.core.spi.ChatStore;
import dev.natter.core.store.FileStoreContract;
import dev.natter.core.store.MembershipStoreContract;
import dev.natter.core.store.MessageSearchContract;
import dev.natter.core.store.MessageStoreContract;
import dev.natter.core.store.RoomStoreContract;
import dev.natter.core.store.SessionStoreContract;
import dev.natter.core.store.StoreErrorsContract;
import dev.natter.core.store.StoreTransferContract;
import dev.natter.core.store.UserStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/** Every store contract (chat-core's test-jar) against a real SQLite file per test. */
class SqliteChatStoreContractTest {
  @TempDir Path dir;

  private SqliteChatStore open() {
    return SqliteChatStore.open(dir.resolve("natter.db"));
  }

  @Nested
  class Users extends UserStoreContract {
    @Override
    protected ChatStore newStore() {
      return open();
    }
  }

  @Nested
  class Files extends FileStoreContract {
    @Override
    protected ChatStore newStore() {
      return open();
    }
  }

  @Nested
  class Sessions extends SessionStoreContract {
    @Override
    protected ChatStore newStore() {
      return open();
    }
  }

  @Nested
  class Rooms extends RoomStoreContract {
    @Override
    protected ChatStore newStore() {
      return open();
    }
  }

  @Nested
  class Memberships extends MembershipStoreContract {
    @Override
    protected ChatStore newStore() {
      return open();
    }
  }

  @Nested
  class Messages extends MessageStoreContract {
    @Override
    protected ChatStore newStore() {
      return open();
    }
  }

  @Nested
  class Search extends MessageSearchContract {
    @Override
    protected ChatStore newStore() {
      return open();
    }
  }

  @Nested
  class Errors extends StoreErrorsContract {
    @Override
    protected ChatStore newStore() {
      return open();
    }
  }

  @Nested
  class Transfer extends StoreTransferContract<SqliteChatStore> {
    @Override
    protected SqliteChatStore newStore() {
      return open();
    }
  }
}
