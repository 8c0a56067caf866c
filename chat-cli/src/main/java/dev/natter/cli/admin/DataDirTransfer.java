package dev.natter.cli.admin;

import dev.natter.cli.CliException;
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
  private static final SqliteStoreOptions THROWAWAY =
      SqliteStoreOptions.builder().synchronousFull(false).build();

  private DataDirTransfer() {}

  /**
   * Exports one consistent snapshot of the live database (which a server may be writing to): a
   * backup of it ({@link SqliteChatStore#backupTo}, one read transaction) into a temporary file in
   * {@code dir}, exported through a store opened on that copy; the copy (with the files SQLite and
   * the store make beside it) is removed afterwards, also when the export fails. The live store is
   * closed before the export starts.
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
      return DataTransfer.export(store, out);
    }
  }

  /**
   * Imports into a new database at {@code database}: refused when it exists (or a log of an earlier
   * one does). The import goes into a temporary file beside it, which is synced and renamed to
   * {@code database} only when everything was read and stored; on failure it is removed, so the
   * data directory is left as it was. The search index built beside the temporary file is removed
   * too (derived data: the first open of the new database builds it again).
   */
  static DataTransfer.Counts importNew(Path database, InputStream in) throws IOException {
    refuseExisting(database);
    Path dir = database.toAbsolutePath().getParent();
    try (TempDatabase temp = TempDatabase.in(dir, "import")) {
      DataTransfer.Counts counts;
      try (SqliteChatStore store = SqliteChatStore.open(temp.file(), THROWAWAY)) {
        counts = DataTransfer.importInto(store, in);
      }
      Path wal = Path.of(temp.file() + "-wal");
      if (Files.exists(wal) && Files.size(wal) > 0) {
        // close() checkpoints the log into the file; a log left over would be lost by the rename
        throw CliException.failure("the imported database was not checkpointed on close: " + wal);
      }
      try (FileChannel channel = FileChannel.open(temp.file(), StandardOpenOption.WRITE)) {
        channel.force(true);
      }
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

  private static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | RuntimeException e) {
      // Not every platform can open a directory; the rename is durable on the next sync anyway.
    }
  }
}
