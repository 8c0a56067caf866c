package dev.natter.core.spi;

import dev.natter.core.ChatException;
import dev.natter.core.model.StoredFile;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The files of a store that keeps none: uploads fail, and no file is ever found. */
final class FileStoreUnsupported implements FileStore {
  static final FileStoreUnsupported INSTANCE = new FileStoreUnsupported();

  private FileStoreUnsupported() {}

  @Override
  public void createFile(StoredFile file) {
    throw new ChatException.StoreFailure("this store does not keep files", null);
  }

  @Override
  public Optional<StoredFile> findFile(String fileId) {
    return Optional.empty();
  }

  @Override
  public List<StoredFile> files(String afterFileId, int limit) {
    return List.of();
  }

  @Override
  public List<StoredFile> unattachedFilesBefore(Instant createdBefore, int limit) {
    return List.of();
  }

  @Override
  public boolean deleteUnattachedFile(String fileId) {
    return false;
  }

  @Override
  public boolean blobInUse(String sha256) {
    return false;
  }
}
