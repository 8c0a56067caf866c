package dev.natter.store.sqlite;

import dev.natter.core.ChatException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link SqliteChatStore#backupTo}: a consistent copy of a live database, never a partial one. */
final class Backup {
  private static final Logger LOG = LoggerFactory.getLogger(SqliteChatStore.class);

  private Backup() {}

  /**
   * Copies {@code database} to {@code target} with {@code VACUUM INTO} (one read transaction:
   * writers go on) into a file beside it, syncs it, and renames it into place.
   */
  static void write(Database database, Path target) {
    Path out = target.toAbsolutePath();
    if (Files.exists(out)) {
      throw new ChatException.Conflict("the backup target exists: " + out);
    }
    Path dir = out.getParent();
    Path partial = dir.resolve(out.getFileName() + ".partial-" + UUID.randomUUID());
    try {
      Files.createDirectories(dir);
      try (Connection c = database.openMaintenance();
          PreparedStatement vacuum = c.prepareStatement("VACUUM INTO ?")) {
        vacuum.setString(1, partial.toString());
        vacuum.execute();
      }
      try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      Files.move(partial, out, StandardCopyOption.ATOMIC_MOVE);
      syncDirectory(dir);
    } catch (FileAlreadyExistsException e) {
      throw new ChatException.Conflict("the backup target exists: " + out);
    } catch (SQLException | IOException | RuntimeException e) {
      throw new ChatException.StoreFailure("backup to " + out + " failed: " + e, e);
    } finally {
      try {
        Files.deleteIfExists(partial);
      } catch (IOException e) {
        LOG.warn("could not remove " + partial, e);
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
