package dev.natter.core.spi;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Where the bytes of uploaded files live, addressed by their SHA-256: the same bytes are kept once
 * however often they are uploaded. The metadata (who uploaded what to which room) is the {@link
 * FileStore}'s; the engine removes a blob once no file refers to it.
 *
 * <p>Implementations stream: they never hold a whole blob in memory (the in-memory one excepted).
 * {@link #put} returns only once the bytes are durable. Thread-safe.
 */
public interface BlobStore {

  /**
   * What a {@link #put} stored.
   *
   * @param sha256 the SHA-256 of the bytes in lower-case hex: the blob's key
   * @param size the number of bytes
   */
  record StoredBlob(String sha256, long size) {}

  /**
   * Stores everything {@code content} yields, up to {@code maxBytes}. When this returns the blob is
   * durable (written, synced and in place); when it throws, nothing of it is left behind (a blob
   * with the same bytes that was there before stays).
   *
   * @param content the bytes; read to its end, not closed
   * @param maxBytes the most bytes accepted
   * @return the blob's key and size
   * @throws dev.natter.core.ChatException.TooLarge if {@code content} holds more than {@code
   *     maxBytes}
   * @throws IOException if reading {@code content} or writing the blob fails
   */
  StoredBlob put(InputStream content, long maxBytes) throws IOException;

  /**
   * The size of a blob.
   *
   * @param sha256 the blob's key
   * @return its size in bytes, or empty when there is no such blob
   */
  Optional<Long> size(String sha256);

  /**
   * Reads a blob from an offset on.
   *
   * @param sha256 the blob's key
   * @param offset the first byte to read, 0 for all of it
   * @return the bytes from {@code offset} to the end; the caller closes it
   * @throws java.nio.file.NoSuchFileException if there is no such blob
   * @throws IOException if it cannot be read
   */
  InputStream open(String sha256, long offset) throws IOException;

  /**
   * Removes a blob (the caller checked that no file refers to it).
   *
   * @param sha256 the blob's key
   * @return true if it was there
   * @throws IOException if it cannot be removed
   */
  boolean delete(String sha256) throws IOException;
}
