package dev.natter.core.store.blob;

import dev.natter.core.ChatException;
import dev.natter.core.spi.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A {@link BlobStore} in a directory: each blob is a file named by its SHA-256 under a two-level
 * fan-out ({@code ab/cd/abcd...}). A {@link #put} streams into {@code tmp/<random>.tmp}, hashing as
 * it goes, syncs the file, renames it into place atomically and syncs the directory, so a blob is
 * either whole and durable or absent. Leftover temporary files (a crash during an upload) are
 * removed by {@link #open}.
 *
 * <p>Several servers may share the directory (a network file system) as long as it supports atomic
 * renames: blobs are immutable and named by their content.
 */
public final class FileSystemBlobStore implements BlobStore {
  private static final System.Logger LOG = System.getLogger(FileSystemBlobStore.class.getName());
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final int BUFFER = 64 * 1024;

  private final Path root;
  private final Path tmp;

  private FileSystemBlobStore(Path root) {
    this.root = root;
    this.tmp = root.resolve("tmp");
  }

  /**
   * Opens (creating it if need be) a blob directory and removes temporary files left behind by an
   * interrupted upload.
   *
   * @param directory the directory, such as {@code <data-dir>/files}
   * @return the store
   * @throws IOException if the directory cannot be created or read
   */
  public static FileSystemBlobStore open(Path directory) throws IOException {
    Path root = Objects.requireNonNull(directory, "directory").toAbsolutePath();
    FileSystemBlobStore store = new FileSystemBlobStore(root);
    Files.createDirectories(store.tmp);
    try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(store.tmp, "*.tmp")) {
      for (Path p : leftovers) {
        Files.deleteIfExists(p);
      }
    }
    return store;
  }

  /**
   * The directory this store keeps its blobs in.
   *
   * @return the absolute directory
   */
  public Path directory() {
    return root;
  }

  @Override
  public StoredBlob put(InputStream content, long maxBytes) throws IOException {
    Objects.requireNonNull(content, "content");
    Path part = tmp.resolve(UUID.randomUUID() + ".tmp");
    boolean placed = false;
    try {
      MessageDigest sha = sha256();
      long size = 0;
      try (FileChannel out =
          FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        byte[] buffer = new byte[BUFFER];
        int n;
        while ((n = content.read(buffer)) != -1) {
          size += n;
          if (size > maxBytes) {
            throw new ChatException.TooLarge("the file is over " + maxBytes + " bytes");
          }
          sha.update(buffer, 0, n);
          ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, n);
          while (bytes.hasRemaining()) {
            out.write(bytes);
          }
        }
        out.force(true);
      }
      String key = HexFormat.of().formatHex(sha.digest());
      Path target = path(key);
      Files.createDirectories(target.getParent());
      if (Files.exists(target)) {
        // The same bytes are there already: keep them, and mark them fresh for any sweeper.
        Files.setLastModifiedTime(target, FileTime.fromMillis(System.currentTimeMillis()));
      } else {
        move(part, target);
        placed = true;
        syncDirectory(target.getParent());
      }
      return new StoredBlob(key, size);
    } finally {
      if (!placed) {
        Files.deleteIfExists(part);
      }
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException raced) {
      // Another upload of the same bytes won: its blob is identical.
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the blob directory does not support atomic renames", e);
    }
  }

  private static void syncDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // Some platforms cannot open a directory; the rename is still atomic there.
      LOG.log(System.Logger.Level.DEBUG, "cannot sync directory " + dir, e);
    }
  }

  @Override
  public Optional<Long> size(String sha256) {
    try {
      return Optional.of(Files.size(path(sha256)));
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  @Override
  public InputStream open(String sha256, long offset) throws IOException {
    Path p;
    try {
      p = path(sha256);
    } catch (IllegalArgumentException e) {
      throw new NoSuchFileException(String.valueOf(sha256));
    }
    FileChannel channel = FileChannel.open(p, StandardOpenOption.READ);
    try {
      channel.position(Math.max(0, offset));
    } catch (IOException e) {
      channel.close();
      throw e;
    }
    return Channels.newInputStream(channel);
  }

  @Override
  public boolean delete(String sha256) throws IOException {
    try {
      return Files.deleteIfExists(path(sha256));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private Path path(String sha256) {
    if (sha256 == null || !SHA256.matcher(sha256).matches()) {
      throw new IllegalArgumentException("not a SHA-256 key: " + sha256);
    }
    return root.resolve(sha256.substring(0, 2)).resolve(sha256.substring(2, 4)).resolve(sha256);
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
