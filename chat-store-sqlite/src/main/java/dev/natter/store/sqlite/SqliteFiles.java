package dev.natter.store.sqlite;

import dev.natter.core.model.StoredFile;
import dev.natter.core.spi.FileStore;
import dev.natter.core.spi.StoreErrors;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The SQLite store's file metadata ({@link FileDao}); attaching to a message is part of the append
 * ({@link SqliteMessages}), removal part of deleting the message.
 */
final class SqliteFiles implements FileStore {
  private final SqliteAccess db;

  SqliteFiles(SqliteAccess db) {
    this.db = db;
  }

  @Override
  public void createFile(StoredFile f) {
    Objects.requireNonNull(f, "file");
    db.write(
        c -> {
          FileDao files = c.handle.attach(FileDao.class);
          if (files.find(f.id()).isPresent()) {
            throw StoreErrors.fileIdTaken();
          }
          if (c.rooms.find(f.roomId()).isEmpty()) {
            throw StoreErrors.noSuchRoom();
          }
          if (c.users.find(f.uploaderId()).isEmpty()) {
            throw StoreErrors.noSuchUser();
          }
          if (f.messageId() != null && c.messages.find(f.roomId(), f.messageId()).isEmpty()) {
            throw StoreErrors.noSuchMessage();
          }
          files.insert(
              f.id(),
              f.roomId(),
              f.uploaderId(),
              f.name(),
              f.type(),
              f.size(),
              f.sha256(),
              f.width(),
              f.height(),
              f.thumbnailSha256(),
              Times.toNanos(f.createdAt()),
              f.messageId());
          return null;
        });
  }

  @Override
  public Optional<StoredFile> findFile(String fileId) {
    return db.read(h -> h.attach(FileDao.class).find(fileId));
  }

  @Override
  public List<StoredFile> files(String afterFileId, int limit) {
    if (limit <= 0) {
      db.ensureOpen();
      return List.of();
    }
    String after = afterFileId == null ? "" : afterFileId;
    return db.read(h -> List.copyOf(h.attach(FileDao.class).page(after, limit)));
  }

  @Override
  public List<StoredFile> unattachedFilesBefore(Instant createdBefore, int limit) {
    if (limit <= 0) {
      db.ensureOpen();
      return List.of();
    }
    long before = Times.toNanos(createdBefore);
    return db.read(h -> List.copyOf(h.attach(FileDao.class).unsentBefore(before, limit)));
  }

  @Override
  public boolean deleteUnattachedFile(String fileId) {
    return db.write(c -> c.handle.attach(FileDao.class).deleteUnsent(fileId) > 0);
  }

  @Override
  public boolean blobInUse(String sha256) {
    return db.read(h -> h.attach(FileDao.class).blobInUse(sha256));
  }
}
