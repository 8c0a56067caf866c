package dev.natter.core.model;

import java.util.Objects;

/**
 * A file uploaded into a room, as clients see it: what a {@code message} carries in {@code files}.
 *
 * @param id the file's id (what {@code GET /api/files/{id}} and {@code send.files} name)
 * @param name the file name the uploader gave, for display and download
 * @param type the media type sniffed from the bytes (never the uploader's claim)
 * @param size the size in bytes
 * @param width the image's width in pixels, or null when it is not an image
 * @param height the image's height in pixels, or null when it is not an image
 */
public record FileInfo(
    String id, String name, String type, long size, Integer width, Integer height) {
  /**
   * Checks the required parts.
   *
   * @param id the file's id
   * @param name the file name
   * @param type the media type
   * @param size the size in bytes
   * @param width the width in pixels, or null
   * @param height the height in pixels, or null
   * @throws NullPointerException for a missing id, name or type
   * @throws IllegalArgumentException for a negative size
   */
  public FileInfo {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    if (size < 0) {
      throw new IllegalArgumentException("size must not be negative");
    }
  }
}
