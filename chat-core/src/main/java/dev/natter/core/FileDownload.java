package dev.natter.core;

import dev.natter.core.model.FileInfo;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * A file (or its thumbnail) that a user may read, ready to be served: what to call it, how a
 * browser may show it, and its bytes.
 *
 * @param file the file it belongs to
 * @param contentType the media type of these bytes (sniffed on upload)
 * @param size the number of bytes
 * @param etag a strong validator: the SHA-256 of the bytes
 * @param inline whether a browser may show it in the page: raster images within the pixel bound
 *     only; everything else is an attachment
 * @param body reads the bytes
 */
public record FileDownload(
    FileInfo file, String contentType, long size, String etag, boolean inline, Body body) {

  /** Reads the bytes of a download. */
  @FunctionalInterface
  public interface Body {
    /**
     * Opens the bytes from an offset on.
     *
     * @param offset the first byte, 0 for all
     * @return the bytes from {@code offset} to the end; the caller closes it
     * @throws IOException if they cannot be read
     */
    InputStream open(long offset) throws IOException;
  }

  /**
   * Checks that every part is there.
   *
   * @param file the file it belongs to
   * @param contentType the media type
   * @param size the number of bytes
   * @param etag the SHA-256 of the bytes
   * @param inline whether a browser may show it
   * @param body reads the bytes
   */
  public FileDownload {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(etag, "etag");
    Objects.requireNonNull(body, "body");
  }
}
