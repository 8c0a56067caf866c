package dev.natter.core.spi;

import dev.natter.core.model.StoredFile;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The metadata of uploaded files (their bytes are a {@link BlobStore}'s). A file is recorded when
 * it is uploaded, waits unattached until its uploader sends it with a message ({@link
 * MessageStore#append} attaches the message's {@code files} in the transaction that stores it), and
 * is removed with that message ({@link MessageStore#deleteMessage}) or, never sent, by the engine's
 * cleaner. Part of {@link ChatStore}; failures are reported as {@link StoreErrors} describes.
 */
public interface FileStore {

  /**
   * Records a file. An upload has no {@code messageId}; an import may give one, and the file is
   * then attached after the message's other files.
   *
   * @param file the file
   * @throws dev.natter.core.ChatException.Conflict if a file with this id exists ({@link
   *     StoreErrors#fileIdTaken()})
   * @throws dev.natter.core.ChatException.NotFound if the room ({@link StoreErrors#noSuchRoom()}),
   *     the uploader ({@link StoreErrors#noSuchUser()}) or the message in that room ({@link
   *     StoreErrors#noSuchMessage()}) does not exist
   */
  void createFile(StoredFile file);

  /**
   * Finds a file, sent or not.
   *
   * @param fileId the file's id
   * @return the file, or empty if there is none with this id (also once removed)
   */
  Optional<StoredFile> findFile(String fileId);

  /**
   * A page of every file, for an export.
   *
   * @param afterFileId the last id of the previous page, null for the first page
   * @param limit the most files to return
   * @return up to {@code limit} files with an id after {@code afterFileId}, ordered by id (by
   *     Unicode code point)
   */
  List<StoredFile> files(String afterFileId, int limit);

  /**
   * Files never sent that were uploaded before a time: what the cleaner removes.
   *
   * @param createdBefore only files uploaded before this
   * @param limit the most files to return
   * @return up to {@code limit} unattached files, oldest first
   */
  List<StoredFile> unattachedFilesBefore(Instant createdBefore, int limit);

  /**
   * Removes a file that was never sent.
   *
   * @param fileId the file's id
   * @return true if it was removed; false if there is no such file or it was sent
   */
  boolean deleteUnattachedFile(String fileId);

  /**
   * Whether any file still refers to a blob, as its content or its thumbnail.
   *
   * @param sha256 the blob's key
   * @return true if a file (sent or not) refers to it
   */
  boolean blobInUse(String sha256);
}
