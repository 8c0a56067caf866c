package dev.natter.core.model;

import java.time.Instant;
import java.util.Objects;

/**
 * A file as the store keeps it: what clients see ({@link #info()}) plus where its bytes are, who
 * uploaded it to which room, and the message it was sent with (null while it waits to be sent).
 *
 * @param id the file's id
 * @param roomId the room it was uploaded to
 * @param uploaderId who uploaded it
 * @param name the file name the uploader gave
 * @param type the media type sniffed from the bytes
 * @param size the size in bytes
 * @param sha256 the SHA-256 of the bytes, in lower-case hex: the blob's key
 * @param width the image's width in pixels, or null
 * @param height the image's height in pixels, or null
 * @param thumbnailSha256 the key of the thumbnail's blob, or null when there is none
 * @param createdAt when it was uploaded
 * @param messageId the message it was sent with, or null when it was not sent (yet)
 */
public record StoredFile(
    String id,
    String roomId,
    String uploaderId,
    String name,
    String type,
    long size,
    String sha256,
    Integer width,
    Integer height,
    String thumbnailSha256,
    Instant createdAt,
    String messageId) {

  /**
   * Checks the required parts.
   *
   * @param id the file's id
   * @param roomId the room it was uploaded to
   * @param uploaderId who uploaded it
   * @param name the file name
   * @param type the media type
   * @param size the size in bytes
   * @param sha256 the blob's key
   * @param width the width in pixels, or null
   * @param height the height in pixels, or null
   * @param thumbnailSha256 the thumbnail's blob key, or null
   * @param createdAt when it was uploaded
   * @param messageId the message it was sent with, or null
   * @throws NullPointerException for a missing required part
   * @throws IllegalArgumentException for a negative size
   */
  public StoredFile {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(roomId, "roomId");
    Objects.requireNonNull(uploaderId, "uploaderId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(createdAt, "createdAt");
    if (size < 0) {
      throw new IllegalArgumentException("size must not be negative");
    }
  }

  /**
   * What clients see of it.
   *
   * @return the file's id, name, type, size and dimensions
   */
  public FileInfo info() {
    return new FileInfo(id, name, type, size, width, height);
  }

  /**
   * The same file, sent with a message.
   *
   * @param messageId the message's id
   * @return a copy attached to that message
   */
  public StoredFile attachedTo(String messageId) {
    return new StoredFile(
        id,
        roomId,
        uploaderId,
        name,
        type,
        size,
        sha256,
        width,
        height,
        thumbnailSha256,
        createdAt,
        messageId);
  }
}
