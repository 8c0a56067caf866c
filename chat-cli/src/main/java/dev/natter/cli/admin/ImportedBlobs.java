package dev.natter.cli.admin;

import com.fasterxml.jackson.core.JsonParser;
import dev.natter.cli.CliException;
import dev.natter.core.spi.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * The blobs an import reads from the {@code "blobs"} of an export into a {@link BlobStore}: each
 * one's base64 is decoded, streaming, into a scratch file ({@code natter-import-<uuid>.blob.tmp}),
 * stored from there and checked against the SHA-256 and size the export names. It remembers what it
 * received (the files of the import must refer to those) and which blobs were new to the store, so
 * that a failed import can take them out again ({@link #removeAdded()}). The blob store is opened
 * with the first blob: an import without files leaves no trace of one.
 */
final class ImportedBlobs {
  /** Opens the blob store. */
  @FunctionalInterface
  interface Opener {
    BlobStore open() throws IOException;
  }

  private final Opener opener;
  private BlobStore store;
  private final Path scratchDir;
  private final Map<String, Long> received = new HashMap<>();
  private final List<String> added = new ArrayList<>();

  ImportedBlobs(Opener opener, Path scratchDir) {
    this.opener = opener;
    this.scratchDir = scratchDir;
  }

  /**
   * Stores the blob whose {@code "data"} the parser is on (a base64 string).
   *
   * @param sha256 the key the export gives it (before its data)
   * @param size the size the export gives it, or empty
   */
  void put(String sha256, OptionalLong size, JsonParser p) throws IOException {
    if (sha256 == null) {
      throw CliException.failure("a blob's \"sha256\" must come before its \"data\"");
    }
    if (store == null) {
      store = opener.open();
    }
    boolean existed = store.size(sha256).isPresent();
    Files.createDirectories(scratchDir);
    Path scratch = scratchDir.resolve("natter-import-" + UUID.randomUUID() + ".blob.tmp");
    scratch.toFile().deleteOnExit();
    try {
      try (OutputStream out = Files.newOutputStream(scratch)) {
        p.readBinaryValue(out);
      }
      BlobStore.StoredBlob stored;
      try (InputStream in = Files.newInputStream(scratch)) {
        stored = store.put(in, Long.MAX_VALUE);
      }
      if (!existed && !added.contains(stored.sha256())) {
        added.add(stored.sha256());
      }
      if (!stored.sha256().equals(sha256)) {
        throw CliException.failure(
            "blob " + sha256 + ": its data has the SHA-256 " + stored.sha256() + " instead");
      }
      if (size.isPresent() && size.getAsLong() != stored.size()) {
        throw CliException.failure(
            "blob " + sha256 + ": " + stored.size() + " bytes where its size says " + size);
      }
      received.put(stored.sha256(), stored.size());
    } finally {
      Files.deleteIfExists(scratch);
    }
  }

  /**
   * Checks that the export held a blob, of the given size when one is given.
   *
   * @param what the file that refers to it, for the message
   * @param size its size, or -1 not to check it
   */
  void require(String sha256, long size, String what) {
    Long have = received.get(sha256);
    if (have == null) {
      throw CliException.failure(what + ": its blob " + sha256 + " is not in the export's blobs");
    }
    if (size >= 0 && have != size) {
      throw CliException.failure(
          what + ": its size " + size + " differs from its blob's (" + have + " bytes)");
    }
  }

  /** Removes the blobs this import added to the store (best effort: after a failed import). */
  void removeAdded() {
    for (String key : added) {
      try {
        store.delete(key);
      } catch (IOException | RuntimeException e) {
        // left behind: a blob no file refers to, removed by no one but harmless
      }
    }
    added.clear();
  }
}
