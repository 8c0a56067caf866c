package dev.natter.core;

import dev.natter.core.model.FileInfo;
import dev.natter.core.model.StoredFile;
import dev.natter.core.model.User;
import dev.natter.core.spi.BlobStore;
import dev.natter.core.spi.ChatStore;
import dev.natter.core.spi.Clock;
import dev.natter.core.spi.IdGenerator;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Files: uploads (bytes to the {@link BlobStore}, type sniffed, image inspected, metadata to the
 * store), which files a send may carry, downloads for members of the file's room, and removing
 * files nobody can reach any more (never sent within {@link #UNSENT_TTL}, or sent with a message
 * that was deleted) together with blobs no file refers to.
 *
 * <p>A blob is removed only under its key's lock, and an upload records its file under the same
 * lock after checking that the blob is still there, so a blob shared by two uploads is never
 * removed from under the second one (within this node).
 */
final class FileOperations {
  private static final System.Logger LOG = System.getLogger(FileOperations.class.getName());

  /** How long an upload may wait to be sent before the cleaner removes it. */
  static final Duration UNSENT_TTL = Duration.ofHours(24);

  /** The most files one message may carry. */
  static final int MAX_FILES_PER_MESSAGE = 10;

  static final int MAX_NAME_CHARS = 255;

  private final ChatStore store;
  private final BlobStore blobs;
  private final Clock clock;
  private final IdGenerator ids;
  private final AccessPolicy access;
  private final Object[] blobLocks = new Object[64];

  FileOperations(
      ChatStore store, BlobStore blobs, Clock clock, IdGenerator ids, AccessPolicy access) {
    this.store = store;
    this.blobs = blobs;
    this.clock = clock;
    this.ids = ids;
    this.access = access;
    java.util.Arrays.setAll(blobLocks, i -> new Object());
  }

  /** Stores an upload of a member into a room; nothing is left behind when it fails. */
  FileInfo upload(User me, String roomId, String name, InputStream content, long maxBytes)
      throws IOException {
    Validation.requireId(roomId, "room");
    access.requireMember(me.id(), roomId);
    String fileName = fileName(name);
    BlobStore.StoredBlob blob = blobs.put(content, maxBytes);
    if (blob.size() == 0) {
      releaseBlob(blob.sha256());
      throw new ChatException.BadRequest("the file is empty");
    }
    String type;
    try (InputStream head = blobs.open(blob.sha256(), 0)) {
      byte[] bytes = head.readNBytes(MediaTypes.HEAD_BYTES);
      type = MediaTypes.sniff(bytes, bytes.length == blob.size());
    }
    Images.Inspection image = Images.Inspection.NONE;
    if (MediaTypes.isRaster(type)) {
      try (InputStream in = blobs.open(blob.sha256(), 0)) {
        image = Images.inspect(type, in);
      }
    }
    String thumbnail = null;
    if (image.thumbnail() != null) {
      thumbnail =
          blobs.put(new ByteArrayInputStream(image.thumbnail()), image.thumbnail().length).sha256();
    }
    StoredFile file =
        new StoredFile(
            ids.newId(),
            roomId,
            me.id(),
            fileName,
            type,
            blob.size(),
            blob.sha256(),
            image.width(),
            image.height(),
            thumbnail,
            clock.now(),
            null);
    try {
      record(file);
    } catch (RuntimeException e) {
      release(file);
      throw e;
    }
    return file.info();
  }

  /** Records the file once its blobs are certainly there (see the class comment). */
  private void record(StoredFile file) {
    synchronized (lock(file.sha256())) {
      if (blobs.size(file.sha256()).isEmpty()
          || (file.thumbnailSha256() != null && blobs.size(file.thumbnailSha256()).isEmpty())) {
        throw new ChatException.StoreFailure(
            "the upload raced with a removal; send it again", null);
      }
      store.createFile(file);
    }
  }

  /**
   * The files a message of mine may carry, in the order given: my uploads to this room. Whether one
   * was sent already is the store's check, in the transaction of the append (a resend of the same
   * {@code clientMsgId} must find the original, not fail).
   *
   * @param fileIds the ids the send lists, possibly none (never null)
   */
  List<FileInfo> forSend(User me, String roomId, List<String> fileIds) {
    if (fileIds.size() > MAX_FILES_PER_MESSAGE) {
      throw new ChatException.BadRequest(
          "a message may carry at most " + MAX_FILES_PER_MESSAGE + " files");
    }
    Set<String> seen = new HashSet<>();
    List<FileInfo> out = new ArrayList<>(fileIds.size());
    for (String id : fileIds) {
      Validation.requireId(id, "files");
      if (!seen.add(id)) {
        throw new ChatException.BadRequest("file " + id + " is listed twice");
      }
      StoredFile f =
          store
              .findFile(id)
              .filter(x -> x.roomId().equals(roomId) && x.uploaderId().equals(me.id()))
              .orElseThrow(
                  () -> new ChatException.NotFound("no file " + id + " of yours in this room"));
      out.add(f.info());
    }
    return out;
  }

  /** A file I may read: sent into a room of mine, or my own upload not sent yet. */
  FileDownload download(User me, String fileId) {
    StoredFile f = readable(me, fileId);
    boolean inline = MediaTypes.isRaster(f.type()) && Images.withinBounds(f.width(), f.height());
    return new FileDownload(
        f.info(), f.type(), f.size(), f.sha256(), inline, offset -> blobs.open(f.sha256(), offset));
  }

  /** The thumbnail of a file I may read; not found when it has none. */
  FileDownload thumbnail(User me, String fileId) {
    StoredFile f = readable(me, fileId);
    String key = f.thumbnailSha256();
    long size = key == null ? -1 : blobs.size(key).orElse(-1L);
    if (size < 0) {
      throw new ChatException.NotFound("file " + fileId + " has no thumbnail");
    }
    return new FileDownload(
        f.info(),
        Images.thumbnailType(f.type()),
        size,
        key,
        true,
        offset -> blobs.open(key, offset));
  }

  private StoredFile readable(User me, String fileId) {
    Validation.requireId(fileId, "file");
    ChatException.NotFound notFound = new ChatException.NotFound("no file " + fileId);
    StoredFile f = store.findFile(fileId).orElseThrow(() -> notFound);
    if (f.messageId() == null) {
      if (!f.uploaderId().equals(me.id())) {
        throw notFound;
      }
      return f;
    }
    try {
      access.requireMember(me.id(), f.roomId());
    } catch (ChatException.Forbidden | ChatException.NotFound e) {
      throw notFound; // the same answer as for an unknown id
    }
    return f;
  }

  /** The stored files of a message, read before it is deleted (its files go with it). */
  List<StoredFile> filesOf(List<FileInfo> files) {
    List<StoredFile> out = new ArrayList<>(files.size());
    for (FileInfo info : files) {
      store.findFile(info.id()).ifPresent(out::add);
    }
    return out;
  }

  /** Removes the blobs of files that are gone from the store, when nothing else uses them. */
  void release(List<StoredFile> removed) {
    removed.forEach(this::release);
  }

  private void release(StoredFile f) {
    releaseBlob(f.sha256());
    if (f.thumbnailSha256() != null) {
      releaseBlob(f.thumbnailSha256());
    }
  }

  private void releaseBlob(String sha256) {
    synchronized (lock(sha256)) {
      try {
        if (!store.blobInUse(sha256)) {
          blobs.delete(sha256);
        }
      } catch (IOException e) {
        LOG.log(System.Logger.Level.WARNING, "could not remove blob " + sha256, e);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "could not check blob " + sha256, e);
      }
    }
  }

  /**
   * Removes uploads never sent within {@link #UNSENT_TTL}, and the blobs nothing refers to any
   * more.
   *
   * @return how many files were removed
   */
  int removeStaleUploads() {
    Instant cutoff = clock.now().minus(UNSENT_TTL);
    int removed = 0;
    while (true) {
      List<StoredFile> stale = store.unattachedFilesBefore(cutoff, 500);
      if (stale.isEmpty()) {
        return removed;
      }
      int before = removed;
      for (StoredFile f : stale) {
        if (store.deleteUnattachedFile(f.id())) {
          removed++;
          release(f);
        }
      }
      if (removed == before) {
        return removed; // all of them were sent meanwhile
      }
    }
  }

  private Object lock(String sha256) {
    return blobLocks[Math.floorMod(sha256.hashCode(), blobLocks.length)];
  }

  /** The uploader's file name, cleaned up: no path, no controls, at most 255 characters. */
  static String fileName(String raw) {
    String name = raw == null ? "" : Text.sanitize(raw);
    int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
    name = name.substring(slash + 1);
    name = Validation.name(name, "file name");
    if (name.isEmpty() || name.equals(".") || name.equals("..")) {
      name = "file";
    }
    if (name.length() > MAX_NAME_CHARS) {
      int dot = name.lastIndexOf('.');
      String ext = dot > 0 && name.length() - dot <= 16 ? name.substring(dot) : "";
      name = name.substring(0, MAX_NAME_CHARS - ext.length()) + ext;
    }
    return name;
  }
}
