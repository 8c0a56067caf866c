package dev.natter.cli.admin;

import dev.natter.cli.CliException;
import dev.natter.core.spi.BlobStore;
import dev.natter.core.store.blob.FileSystemBlobStore;
import dev.natter.store.sqlite.SqliteChatStore;
import dev.natter.store.sqlite.SqliteStoreOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Supplier;

/**
 * {@link DataTransfer} on a data directory's SQLite database, as {@code natter admin export} and
 * {@code import} run it: the export reads one point in time, and the import writes {@code
 * natter.db} only when it succeeded.
 */
final class DataDirTransfer {
  /**
   * The stores on the temporary files: nothing on them has to survive a power loss (the import
   * syncs its file before moving it into place).
   */
  static final SqliteStoreOptions THROWAWAY =
      SqliteStoreOptions.builder().synchronousFull(false).build();

  private DataDirTransfer() {}

  /** The directory of a data directory's uploaded files. */
  static Path filesDir(Path dataDir) {
    return dataDir.resolve("files");
  }

  /**
   * Exports one consistent snapshot of the live database (which a server may be writing to): a
   * backup of it ({@link SqliteChatStore#backupTo}, one read transaction) into a temporary file in
   * {@code dir}, exported through a store opened on that copy, with the bytes of its files from
   * {@code dir/files} (blobs never change; one removed after the snapshot leaves its files out);
   * the copy (with the files SQLite and the store make beside it) is removed afterwards, also when
   * the export fails. The live store is closed before the export starts.
   */
  static DataTransfer.Counts exportSnapshot(
      Supplier<SqliteChatStore> openLive, Path dir, OutputStream out) throws IOException {
    TempDatabase copy;
    try (SqliteChatStore live = openLive.get()) { // fails first when there is no database
      copy = TempDatabase.in(dir, "export");
      try {
        live.backupTo(copy.file());
      } catch (RuntimeException e) {
        try {
          copy.close();
        } catch (RuntimeException f) {
          e.addSuppressed(f);
        }
        throw e;
      }
    }
    try (copy;
        SqliteChatStore store = SqliteChatStore.open(copy.file(), THROWAWAY)) {
      return DataTransfer.export(store, liveBlobs(dir), out);
    }
  }

  /**
   * The blobs of a data directory a server may be using: opened without the cleanup of {@link
   * FileSystemBlobStore#open} (it would remove the temporary files of uploads in progress).
   */
  static BlobStore liveBlobs(Path dataDir) throws IOException {
    return FileSystemBlobStore.openShared(filesDir(dataDir));
  }

  /**
   * Imports into a new database at {@code database}: refused when it exists (or a log of an earlier
   * one does). The import goes into a temporary file beside it, which is synced and renamed to
   * {@code database} only when everything was read and stored; on failure it is removed, so the
   * data directory is left as it was (blobs the import added to {@code files/} are removed again).
   * The search index built beside the temporary file is removed too (derived data: the first open
   * of the new database builds it again).
   */
  static DataTransfer.Counts importNew(Path database, InputStream in) throws IOException {
    refuseExisting(database);
    Path dir = database.toAbsolutePath().getParent();
    ImportedBlobs blobs = new ImportedBlobs(() -> FileSystemBlobStore.open(filesDir(dir)), dir);
    boolean done = false;
    try {
      DataTransfer.Counts counts = importNew(database, dir, blobs, in);
      done = true;
      return counts;
    } finally {
      if (!done) {
        blobs.removeAdded();
      }
    }
  }

  private static DataTransfer.Counts importNew(
      Path database, Path dir, ImportedBlobs blobs, InputStream in) throws IOException {
    try (TempDatabase temp = TempDatabase.in(dir, "import")) {
      DataTransfer.Counts counts;
      try (SqliteChatStore store = SqliteChatStore.open(temp.file(), THROWAWAY)) {
        counts = DataTransfer.importInto(store, blobs, in);
      }
      requireCheckpointed(temp.file());
      sync(temp.file());
      refuseExisting(database);
      try {
        Files.move(temp.file(), database); // refuses an existing target
      } catch (FileAlreadyExistsException e) {
        refuseExisting(database);
        throw e;
      }
      syncDirectory(dir);
      return counts;
    }
  }

  /**
   * Import makes a new database, never writes into one: {@code natter.db} must not exist, nor its
   * log (SQLite would replay a stale {@code natter.db-wal} into the new file).
   */
  private static void refuseExisting(Path database) {
    for (Path p : new Path[] {database, Path.of(database + "-wal")}) {
      if (Files.exists(p)) {
        throw CliException.failure(
            p
                + " exists: import only into an empty data directory (it creates "
                + database.getFileName()
                + " and never writes into an existing database)");
      }
    }
  }

  /**
   * Checks that a closed store's database has no log left beside it: close() checkpoints the log
   * into the file, and a log left over would be lost by a rename.
   */
  static void requireCheckpointed(Path database) throws IOException {
    Path wal = Path.of(database + "-wal");
    if (Files.exists(wal) && Files.size(wal) > 0) {
      throw CliException.failure("the database was not checkpointed on close: " + wal);
    }
  }

  /** Syncs a file to disk. */
  static void sync(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }

  static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | RuntimeException e) {
      // Not every platform can open a directory; the rename is durable on the next sync anyway.
    }
  }
}
