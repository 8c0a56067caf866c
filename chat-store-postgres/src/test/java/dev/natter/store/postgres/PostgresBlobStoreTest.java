package dev.natter.store.postgres;

import dev.natter.core.spi.BlobStore;
import dev.natter.core.store.BlobStoreContract;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link BlobStoreContract} against a real PostgreSQL: blobs in 1 MiB chunks, so the large blobs
 * span four chunks; the count includes the chunks of puts in progress (under temporary keys).
 */
class PostgresBlobStoreTest extends BlobStoreContract {
  @RegisterExtension static final PgTestDatabase PG = new PgTestDatabase();

  private PostgresChatStore store;

  @Override
  protected BlobStore newBlobStore() {
    store = PG.openEmptyStore();
    return store.blobStore();
  }

  @Override
  protected void closeBlobStore() {
    store.close();
  }

  @Override
  protected long storedCount() throws Exception {
    try (Connection c = PgTestDatabase.connect();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT (SELECT count(*) FROM "
                    + PG.schema()
                    + ".blobs) + (SELECT count(DISTINCT sha256) FROM "
                    + PG.schema()
                    + ".blob_chunks WHERE sha256 NOT IN (SELECT sha256 FROM "
                    + PG.schema()
                    + ".blobs))")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
