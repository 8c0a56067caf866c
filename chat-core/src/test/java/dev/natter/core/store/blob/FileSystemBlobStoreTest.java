package dev.natter.core.store.blob;

import dev.natter.core.spi.BlobStore;
import dev.natter.core.store.BlobStoreContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;

/** {@link BlobStoreContract} on a directory: blobs and temporary files are counted as files. */
class FileSystemBlobStoreTest extends BlobStoreContract {
  @TempDir Path dir;

  @Override
  protected BlobStore newBlobStore() throws Exception {
    return FileSystemBlobStore.open(dir.resolve("files"));
  }

  @Override
  protected long storedCount() throws Exception {
    try (Stream<Path> s = Files.walk(dir.resolve("files"))) {
      return s.filter(Files::isRegularFile).count();
    }
  }
}
