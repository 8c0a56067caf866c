package dev.natter.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.natter.core.ChatException;
import dev.natter.core.spi.BlobStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract of {@link BlobStore}: content-addressed, streamed both ways, the same bytes kept
 * once (also when uploaded at the same time), nothing left behind by a refused or broken put. Sizes
 * go past a few MiB so that a store that keeps blobs in chunks (1 MiB for PostgreSQL) is read and
 * written across chunk boundaries.
 */
@Timeout(120)
public abstract class BlobStoreContract {
  /** A little over three and a half chunks of 1 MiB. */
  protected static final int LARGE = 3 * 1024 * 1024 + 512 * 1024 + 17;

  protected BlobStore blobs;

  /** A new, empty blob store. */
  protected abstract BlobStore newBlobStore() throws Exception;

  /** Releases what {@link #newBlobStore} opened. */
  protected void closeBlobStore() throws Exception {}

  /**
   * How many blobs (and blobs in progress) the store holds, to check that a failed put leaves
   * nothing; -1 when the store cannot tell.
   */
  protected abstract long storedCount() throws Exception;

  @BeforeEach
  void open() throws Exception {
    blobs = newBlobStore();
  }

  @AfterEach
  void close() throws Exception {
    closeBlobStore();
  }

  protected static byte[] random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  protected static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  private byte[] read(String key, long offset) throws IOException {
    try (InputStream in = blobs.open(key, offset)) {
      // small reads, so that a chunked store serves each chunk over several calls
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      byte[] buffer = new byte[7919];
      int n;
      while ((n = in.read(buffer)) != -1) {
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    }
  }

  @Test
  void aBlobIsKeyedByItsSha256AndReadsBackWhole() throws Exception {
    byte[] b = random(10_000, 1);
    BlobStore.StoredBlob stored = blobs.put(new ByteArrayInputStream(b), 10_000);
    assertThat(stored.sha256()).isEqualTo(sha256(b));
    assertThat(stored.size()).isEqualTo(10_000);
    assertThat(blobs.size(stored.sha256())).contains(10_000L);
    assertThat(read(stored.sha256(), 0)).isEqualTo(b);
    assertThat(read(stored.sha256(), 9_990)).isEqualTo(Arrays.copyOfRange(b, 9_990, 10_000));
    assertThat(read(stored.sha256(), 10_000)).isEmpty();
  }

  @Test
  void aLargeBlobStreamsAcrossChunksFromAnyOffset() throws Exception {
    byte[] b = random(LARGE, 2);
    BlobStore.StoredBlob stored = blobs.put(new ByteArrayInputStream(b), LARGE);
    assertThat(stored).isEqualTo(new BlobStore.StoredBlob(sha256(b), LARGE));
    assertThat(read(stored.sha256(), 0)).isEqualTo(b);
    for (int offset : new int[] {1024 * 1024 - 1, 1024 * 1024, 2 * 1024 * 1024 + 5, LARGE - 1}) {
      assertThat(read(stored.sha256(), offset))
          .as("from %d", offset)
          .isEqualTo(Arrays.copyOfRange(b, offset, LARGE));
    }
  }

  @Test
  void aBlobOfWholeChunksReadsBackWhole() throws Exception {
    byte[] b = random(2 * 1024 * 1024, 3);
    BlobStore.StoredBlob stored = blobs.put(new ByteArrayInputStream(b), b.length);
    assertThat(stored.size()).isEqualTo(b.length);
    assertThat(read(stored.sha256(), 0)).isEqualTo(b);
  }

  @Test
  void theSameBytesAreKeptOnceAndDeletedOnce() throws Exception {
    byte[] b = random(5_000, 4);
    String first = blobs.put(new ByteArrayInputStream(b), 5_000).sha256();
    String second = blobs.put(new ByteArrayInputStream(b), 5_000).sha256();
    assertThat(second).isEqualTo(first);
    if (storedCount() >= 0) {
      assertThat(storedCount()).isEqualTo(1);
    }
    assertThat(blobs.delete(first)).isTrue();
    assertThat(blobs.delete(first)).isFalse();
    assertThat(blobs.size(first)).isEmpty();
    assertThatThrownBy(() -> blobs.open(first, 0)).isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void anUnknownKeyHasNoBlob() throws Exception {
    String unknown = "0".repeat(64);
    assertThat(blobs.size(unknown)).isEmpty();
    assertThatThrownBy(() -> blobs.open(unknown, 0)).isInstanceOf(NoSuchFileException.class);
    assertThat(blobs.delete(unknown)).isFalse();
  }

  @Test
  void aBlobOverTheLimitIsRefusedAndLeavesNothing() throws Exception {
    byte[] b = random(LARGE, 5);
    assertThatThrownBy(() -> blobs.put(new ByteArrayInputStream(b), 1024 * 1024 + 1))
        .isInstanceOf(ChatException.TooLarge.class);
    assertThat(blobs.size(sha256(b))).isEmpty();
    if (storedCount() >= 0) {
      assertThat(storedCount()).isZero();
    }
  }

  @Test
  void aBrokenUploadLeavesNothing() throws Exception {
    byte[] b = random(LARGE, 6);
    InputStream breaks =
        new InputStream() {
          private final InputStream in = new ByteArrayInputStream(b);
          private long read;

          @Override
          public int read() throws IOException {
            throw new UnsupportedOperationException();
          }

          @Override
          public int read(byte[] buf, int off, int len) throws IOException {
            if (read > 2 * 1024 * 1024) {
              throw new IOException("connection reset");
            }
            int n = in.read(buf, off, Math.min(len, 64 * 1024));
            read += Math.max(n, 0);
            return n;
          }
        };
    assertThatThrownBy(() -> blobs.put(breaks, LARGE)).isInstanceOf(IOException.class);
    if (storedCount() >= 0) {
      assertThat(storedCount()).isZero();
    }
  }

  @Test
  void concurrentUploadsOfTheSameBytesKeepOneBlob() throws Exception {
    byte[] b = random(LARGE, 7);
    int n = 4;
    CyclicBarrier start = new CyclicBarrier(n);
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<BlobStore.StoredBlob>> puts = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        puts.add(
            pool.submit(
                () -> {
                  start.await(30, TimeUnit.SECONDS);
                  return blobs.put(new ByteArrayInputStream(b), LARGE);
                }));
      }
      for (Future<BlobStore.StoredBlob> put : puts) {
        assertThat(put.get(60, TimeUnit.SECONDS))
            .isEqualTo(new BlobStore.StoredBlob(sha256(b), LARGE));
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(read(sha256(b), 0)).isEqualTo(b);
    if (storedCount() >= 0) {
      assertThat(storedCount()).isEqualTo(1);
    }
    assertThat(blobs.delete(sha256(b))).isTrue();
    assertThat(blobs.size(sha256(b))).isEmpty();
  }
}
