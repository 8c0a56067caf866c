package dev.natter.core.store.blob;

import dev.natter.core.ChatException;
import dev.natter.core.spi.BlobStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link BlobStore} in memory, for tests, demos and the in-memory store: blobs are held whole and
 * lost with the process. The engine's default when it is given no blob store.
 */
public final class InMemoryBlobStore implements BlobStore {
  private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();

  /** An empty store. */
  public InMemoryBlobStore() {}

  @Override
  public StoredBlob put(InputStream content, long maxBytes) throws IOException {
    Objects.requireNonNull(content, "content");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    long size = 0;
    int n;
    while ((n = content.read(buffer)) != -1) {
      size += n;
      if (size > maxBytes) {
        throw new ChatException.TooLarge("the file is over " + maxBytes + " bytes");
      }
      out.write(buffer, 0, n);
    }
    byte[] bytes = out.toByteArray();
    String key = HexFormat.of().formatHex(FileSystemBlobStore.sha256().digest(bytes));
    blobs.putIfAbsent(key, bytes);
    return new StoredBlob(key, bytes.length);
  }

  @Override
  public Optional<Long> size(String sha256) {
    byte[] b = blobs.get(sha256);
    return b == null ? Optional.empty() : Optional.of((long) b.length);
  }

  @Override
  public InputStream open(String sha256, long offset) throws IOException {
    byte[] b = blobs.get(sha256);
    if (b == null) {
      throw new NoSuchFileException(String.valueOf(sha256));
    }
    int from = (int) Math.min(b.length, Math.max(0, offset));
    return new ByteArrayInputStream(b, from, b.length - from);
  }

  @Override
  public boolean delete(String sha256) {
    return blobs.remove(sha256) != null;
  }

  /**
   * How many blobs it holds.
   *
   * @return the number of blobs
   */
  public int count() {
    return blobs.size();
  }
}
