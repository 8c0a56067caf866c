package dev.natter.store.postgres;

import dev.natter.core.model.StoredFile;
import dev.natter.core.spi.FileStore;
import dev.natter.core.spi.StoreErrors;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The PostgreSQL store's file metadata ({@link FileDao}); attaching to a message is part of the
 * append ({@link AppendWriter}), removal part of deleting the message ({@link PgMessages}).
 */
final class PgFiles implements FileStore {
  private final PgAccess db;

  PgFiles(PgAccess db) {
    this.db = db;
  }

  @Override
  public void createFile(StoredFile f) {
    Objects.requireNonNull(f, "file");
    db.write(
        h -> {
          FileDao files = h.attach(FileDao.class);
          if (files.find(f.id()).isPresent()) {
            throw StoreErrors.fileIdTaken();
          }
          if (h.attach(RoomDao.class).find(f.roomId()).isEmpty()) {
            throw StoreErrors.noSuchRoom();
          }
          if (h.attach(UserDao.class).find(f.uploaderId()).isEmpty()) {
            throw StoreErrors.noSuchUser();
          }
          if (f.messageId() != null
              && h.attach(MessageDao.class).find(f.roomId(), f.messageId()).isEmpty()) {
            throw StoreErrors.noSuchMessage();
          }
          if (f.messageId() != null) {
            // one attach at a time per message: the position is the message's next
            h.execute("SELECT pg_advisory_xact_lock(hashtext(?))", f.messageId());
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
              Nanos.of(f.createdAt()),
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
    long before = Nanos.of(createdBefore);
    return db.read(h -> List.copyOf(h.attach(FileDao.class).unsentBefore(before, limit)));
  }

  @Override
  public boolean deleteUnattachedFile(String fileId) {
    return db.write(h -> h.attach(FileDao.class).deleteUnsent(fileId) > 0);
  }

  @Override
  public boolean blobInUse(String sha256) {
    return db.read(h -> h.attach(FileDao.class).blobInUse(sha256));
  }
}
