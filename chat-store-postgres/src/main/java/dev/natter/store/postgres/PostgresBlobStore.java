package dev.natter.store.postgres;

import dev.natter.core.ChatException;
import dev.natter.core.spi.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * A {@link BlobStore} in the store's database (tables {@code blobs} and {@code blob_chunks} of
 * migration V2), so that every node of a cluster reads the same files without a shared directory. A
 * blob is kept in chunks of {@value #CHUNK} bytes: a {@link #put} writes them as they arrive, under
 * a temporary key, and renames them to the SHA-256 in the same transaction (so a failed or
 * interrupted upload leaves nothing); a read fetches one chunk at a time. Neither holds a whole
 * file in memory. Get one from {@link PostgresChatStore#blobStore()}.
 */
public final class PostgresBlobStore implements BlobStore {
  /** Bytes per stored chunk. */
  static final int CHUNK = 1024 * 1024;

  private final PgAccess db;

  PostgresBlobStore(PgAccess db) {
    this.db = db;
  }

  @Override
  public StoredBlob put(InputStream content, long maxBytes) throws IOException {
    Objects.requireNonNull(content, "content");
    db.ensureOpen();
    Jdbi jdbi = db.jdbi();
    try {
      return jdbi.inTransaction(h -> write(h, content, maxBytes));
    } catch (IOException | ChatException e) {
      throw e;
    } catch (Exception e) {
      throw PgErrors.translate(e);
    }
  }

  private static StoredBlob write(Handle h, InputStream content, long maxBytes) throws IOException {
    String temp = "tmp-" + UUID.randomUUID();
    long now = System.currentTimeMillis() * 1_000_000L;
    h.execute("INSERT INTO blobs (sha256, size, created_at) VALUES (?, 0, ?)", temp, now);
    MessageDigest sha = sha256();
    long size = 0;
    int n = 0;
    while (true) {
      byte[] chunk = content.readNBytes(CHUNK);
      if (chunk.length == 0) {
        break;
      }
      size += chunk.length;
      if (size > maxBytes) {
        throw new ChatException.TooLarge("the file is over " + maxBytes + " bytes");
      }
      sha.update(chunk);
      h.execute("INSERT INTO blob_chunks (sha256, n, data) VALUES (?, ?, ?)", temp, n++, chunk);
      if (chunk.length < CHUNK) {
        break;
      }
    }
    String key = HexFormat.of().formatHex(sha.digest());
    // One writer per key at a time: two uploads of the same bytes must not both rename.
    h.execute("SELECT pg_advisory_xact_lock(hashtext(?))", key);
    boolean exists =
        h.createQuery("SELECT EXISTS (SELECT 1 FROM blobs WHERE sha256 = :k)")
            .bind("k", key)
            .mapTo(Boolean.class)
            .one();
    if (exists) {
      h.execute("DELETE FROM blobs WHERE sha256 = ?", temp);
    } else {
      h.execute("UPDATE blobs SET sha256 = ?, size = ? WHERE sha256 = ?", key, size, temp);
    }
    return new StoredBlob(key, size);
  }

  @Override
  public Optional<Long> size(String sha256) {
    return db.read(
        h ->
            h.createQuery("SELECT size FROM blobs WHERE sha256 = :k")
                .bind("k", sha256)
                .mapTo(Long.class)
                .findOne());
  }

  @Override
  public InputStream open(String sha256, long offset) throws IOException {
    long size = size(sha256).orElseThrow(() -> new NoSuchFileException(sha256));
    return new ChunkStream(sha256, Math.min(Math.max(0, offset), size), size);
  }

  @Override
  public boolean delete(String sha256) {
    return db.write(h -> h.execute("DELETE FROM blobs WHERE sha256 = ?", sha256) > 0);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** Reads a blob chunk by chunk, each with a query of its own. */
  private final class ChunkStream extends InputStream {
    private final String key;
    private final long size;
    private long position;
    private byte[] chunk;
    private long chunkStart = -1;

    ChunkStream(String key, long position, long size) {
      this.key = key;
      this.position = position;
      this.size = size;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (position >= size) {
        return -1;
      }
      long index = position / CHUNK;
      if (chunk == null || chunkStart != index * CHUNK) {
        chunk = fetch((int) index);
        chunkStart = index * CHUNK;
      }
      int at = (int) (position - chunkStart);
      int n = Math.min(len, chunk.length - at);
      if (n <= 0) {
        throw new IOException("blob " + key + " is shorter than its size");
      }
      System.arraycopy(chunk, at, b, off, n);
      position += n;
      return n;
    }

    private byte[] fetch(int index) throws IOException {
      try {
        return db.read(
            h ->
                h.createQuery("SELECT data FROM blob_chunks WHERE sha256 = :k AND n = :n")
                    .bind("k", key)
                    .bind("n", index)
                    .mapTo(byte[].class)
                    .findOne()
                    .orElseThrow(() -> new IOException("blob " + key + " lost chunk " + index)));
      } catch (ChatException e) {
        throw new IOException("cannot read blob " + key, e);
      }
    }
  }
}
