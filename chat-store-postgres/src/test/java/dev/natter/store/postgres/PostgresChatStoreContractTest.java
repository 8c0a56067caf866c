package dev.natter.store.postgres;

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
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every store contract (chat-core's test-jar) against a real PostgreSQL: one schema for the class,
 * emptied before each test.
 */
class PostgresChatStoreContractTest {
  @RegisterExtension static final PgTestDatabase PG = new PgTestDatabase();

  @Nested
  class Users extends UserStoreContract {
    @Override
    protected ChatStore newStore() {
      return PG.openEmptyStore();
    }
  }

  @Nested
  class Files extends FileStoreContract {
    @Override
    protected ChatStore newStore() {
      return PG.openEmptyStore();
    }
  }

  @Nested
  class Sessions extends SessionStoreContract {
    @Override
    protected ChatStore newStore() {
      return PG.openEmptyStore();
    }
  }

  @Nested
  class Rooms extends RoomStoreContract {
    @Override
    protected ChatStore newStore() {
      return PG.openEmptyStore();
    }
  }

  @Nested
  class Memberships extends MembershipStoreContract {
    @Override
    protected ChatStore newStore() {
      return PG.openEmptyStore();
    }
  }

  @Nested
  class Messages extends MessageStoreContract {
    @Override
    protected ChatStore newStore() {
      return PG.openEmptyStore();
    }
  }

  @Nested
  class Search extends MessageSearchContract {
    @Override
    protected ChatStore newStore() {
      return PG.openEmptyStore();
    }
  }

  @Nested
  class Errors extends StoreErrorsContract {
    @Override
    protected ChatStore newStore() {
      return PG.openEmptyStore();
    }
  }

  @Nested
  class Transfer extends StoreTransferContract<PostgresChatStore> {
    @Override
    protected PostgresChatStore newStore() {
      return PG.openEmptyStore();
    }
  }
}
