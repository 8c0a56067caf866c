package dev.natter.cli.admin;

import dev.natter.cli.CliException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A database file of one admin command, in the data directory (the file system of {@code
 * natter.db}, so there is room for a copy of it and a rename into place is atomic), named {@code
 * natter-<purpose>-<uuid>.tmp.db}. {@link #close()} removes it with everything SQLite and the store
 * put beside it: its {@code -wal}, {@code -shm} and {@code -journal}, and the search index the
 * store keeps in {@code <name>.search.db} (with its own {@code -wal} and {@code -shm}). The files
 * are also removed when the JVM exits before that (Ctrl-C, SIGTERM), as far as the JVM still runs
 * its exit hooks.
 */
final class TempDatabase implements AutoCloseable {
  private static final List<String> SUFFIXES = List.of("", "-wal", "-shm", "-journal");

  private final Path file;
  private final List<Path> files = new ArrayList<>();

  private TempDatabase(Path dir, String purpose) {
    String base = "natter-" + purpose + "-" + UUID.randomUUID() + ".tmp";
    this.file = dir.resolve(base + ".db");
    Path searchIndex = dir.resolve(base + ".search.db");
    for (String suffix : SUFFIXES) {
      files.add(dir.resolve(file.getFileName() + suffix));
      files.add(dir.resolve(searchIndex.getFileName() + suffix));
    }
    for (Path p : files) {
      p.toFile().deleteOnExit();
    }
  }

  /** A new, not yet existing, database file in {@code dir} (created if missing). */
  static TempDatabase in(Path dir, String purpose) throws IOException {
    Files.createDirectories(dir);
    return new TempDatabase(dir, purpose);
  }

  /** The database file. */
  Path file() {
    return file;
  }

  /** Every file that may belong to it (for tests). */
  List<Path> files() {
    return List.copyOf(files);
  }

  /** Removes every file of it that exists. */
  @Override
  public void close() {
    List<String> failed = new ArrayList<>();
    for (Path p : files) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        failed.add(p + " (" + e + ")");
      }
    }
    if (!failed.isEmpty()) {
      throw CliException.failure("could not remove the temporary files " + failed);
    }
  }
}
