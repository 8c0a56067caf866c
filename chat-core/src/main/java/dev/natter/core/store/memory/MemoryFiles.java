package dev.natter.core.store.memory;

import dev.natter.core.model.StoredFile;
import dev.natter.core.spi.FileStore;
import dev.natter.core.spi.StoreErrors;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The in-memory store's file metadata; attaching happens in {@link MemoryMessages#append}. */
final class MemoryFiles implements FileStore {
  private final MemoryState state;

  MemoryFiles(MemoryState state) {
    this.state = state;
  }

  @Override
  public void createFile(StoredFile file) {
    Objects.requireNonNull(file, "file");
    state.run(
        () -> {
          if (state.files.containsKey(file.id())) {
            throw StoreErrors.fileIdTaken();
          }
          state.requireRoom(file.roomId());
          state.requireUser(file.uploaderId());
          if (file.messageId() != null) {
            StoredMessage m = state.requireMessage(file.roomId(), file.messageId());
            m.files.add(file.info());
          }
          state.files.put(file.id(), file);
        });
  }

  @Override
  public Optional<StoredFile> findFile(String fileId) {
    return state.call(() -> Optional.ofNullable(state.files.get(fileId)));
  }

  @Override
  public List<StoredFile> files(String afterFileId, int limit) {
    return state.call(
        () -> {
          if (limit <= 0) {
            return List.of();
          }
          var tail = afterFileId == null ? state.files : state.files.tailMap(afterFileId, false);
          return tail.values().stream().limit(limit).toList();
        });
  }

  @Override
  public List<StoredFile> unattachedFilesBefore(Instant createdBefore, int limit) {
    return state.call(
        () ->
            state.files.values().stream()
                .filter(f -> f.messageId() == null && f.createdAt().isBefore(createdBefore))
                .sorted(Comparator.comparing(StoredFile::createdAt).thenComparing(StoredFile::id))
                .limit(Math.max(0, limit))
                .toList());
  }

  @Override
  public boolean deleteUnattachedFile(String fileId) {
    return state.call(
        () -> {
          StoredFile f = state.files.get(fileId);
          if (f == null || f.messageId() != null) {
            return false;
          }
          state.files.remove(fileId);
          return true;
        });
  }

  @Override
  public boolean blobInUse(String sha256) {
    return state.call(
        () ->
            state.files.values().stream()
                .anyMatch(f -> f.sha256().equals(sha256) || sha256.equals(f.thumbnailSha256())));
  }
}
