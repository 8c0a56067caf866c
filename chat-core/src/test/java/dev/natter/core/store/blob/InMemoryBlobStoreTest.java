package dev.natter.core.store.blob;

import dev.natter.core.spi.BlobStore;
import dev.natter.core.store.BlobStoreContract;

/** {@link BlobStoreContract} in memory. */
class InMemoryBlobStoreTest extends BlobStoreContract {
  @Override
  protected BlobStore newBlobStore() {
    return new InMemoryBlobStore();
  }

  @Override
  protected long storedCount() {
    return ((InMemoryBlobStore) blobs).count();
  }
}
