package dev.natter.cli.admin;

import dev.natter.cli.CliException;
import dev.natter.core.model.StoredFile;
import dev.natter.core.spi.BlobStore;
import dev.natter.core.store.blob.FileSystemBlobStore;
import dev.natter.store.sqlite.SqliteChatStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * {@code natter admin backup} of a data directory: a consistent copy of the database ({@link
 * SqliteChatStore#backupTo}, one read transaction) and, in {@code <FILE>.files/} (laid out as
 * {@code <data-dir>/files/}), every blob a file of that copy refers to. Both are built beside the
 * target under temporary names; the blob directory is renamed into place first and the database
 * last, so {@code FILE} exists only once the backup is whole.
 */
final class DataDirBackup {
  /** What a backup wrote. */
  record Result(long blobs, long bytes, long missing) {}

  private DataDirBackup() {}

  /** Where the blobs of the backup {@code file} go. */
  static Path filesOf(Path file) {
    return file.resolveSibling(file.getFileName() + ".files");
  }

  /**
   * Backs up the live database and the blobs its copy refers to.
   *
   * @param live the data directory's store (a server may be using the same database)
   * @param dataDir the data directory (its blobs are in {@code files/})
   * @param file the new backup file; it and {@code <file>.files} must not exist
   */
  static Result backup(SqliteChatStore live, Path dataDir, Path file) throws IOException {
    Path target = file.toAbsolutePath();
    Path files = filesOf(target);
    refuseExisting(target, files);
    Path dir = target.getParent();
    Files.createDirectories(dir);
    try (TempDatabase copy = TempDatabase.in(dir, "backup")) {
      live.backupTo(copy.file());
      Set<String> keys = new TreeSet<>();
      try (SqliteChatStore snapshot =
          SqliteChatStore.open(copy.file(), DataDirTransfer.THROWAWAY)) {
        String after = null;
        while (true) {
          List<StoredFile> page = snapshot.files(after, 500);
          for (StoredFile f : page) {
            keys.add(f.sha256());
            if (f.thumbnailSha256() != null) {
              keys.add(f.thumbnailSha256());
            }
            after = f.id();
          }
          if (page.size() < 500) {
            break;
          }
        }
      }
      Result result = new Result(0, 0, 0);
      Path partial = dir.resolve(files.getFileName() + ".partial-" + UUID.randomUUID());
      try {
        if (!keys.isEmpty()) {
          result = copyBlobs(DataDirTransfer.liveBlobs(dataDir), partial, keys);
        }
        DataDirTransfer.requireCheckpointed(copy.file());
        DataDirTransfer.sync(copy.file());
        refuseExisting(target, files);
        if (!keys.isEmpty()) {
          Files.move(partial, files);
        }
        try {
          Files.move(copy.file(), target); // refuses an existing target
        } catch (FileAlreadyExistsException e) {
          removeTree(files);
          throw CliException.failure(target + " exists; choose a new file name");
        }
        DataDirTransfer.syncDirectory(dir);
        return result;
      } finally {
        removeTree(partial);
      }
    }
  }

  /** Copies each blob into a new blob directory (hashed again on the way: a bad copy fails). */
  private static Result copyBlobs(BlobStore source, Path partial, Set<String> keys)
      throws IOException {
    FileSystemBlobStore target = FileSystemBlobStore.open(partial);
    long copied = 0;
    long bytes = 0;
    long missing = 0;
    for (String key : keys) {
      BlobStore.StoredBlob stored;
      try (InputStream in = source.open(key, 0)) {
        stored = target.put(in, Long.MAX_VALUE);
      } catch (NoSuchFileException gone) {
        missing++; // removed after the snapshot (its message was deleted): nothing to keep
        continue;
      }
      if (!stored.sha256().equals(key)) {
        throw CliException.failure(
            "blob " + key + " in the data directory holds other bytes (" + stored.sha256() + ")");
      }
      copied++;
      bytes += stored.size();
    }
    Files.deleteIfExists(partial.resolve("tmp"));
    return new Result(copied, bytes, missing);
  }

  private static void refuseExisting(Path target, Path files) {
    for (Path p : new Path[] {target, files}) {
      if (Files.exists(p)) {
        throw CliException.failure(p + " exists; choose a new file name");
      }
    }
  }

  private static void removeTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
