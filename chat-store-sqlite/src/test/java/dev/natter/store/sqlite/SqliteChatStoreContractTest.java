package dev.natter.store.sqlite;

import dev.natter.core.spi.ChatStore;
import dev.natter.core.store.ChatStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The store contract against a real SQLite file per test. */
class SqliteChatStoreContractTest extends ChatStoreContract {
  @TempDir Path dir;

  @Override
  protected ChatStore newStore() {
    return SqliteChatStore.open(dir.resolve("natter.db"));
  }
}
