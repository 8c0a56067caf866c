package dev.natter.client;

/**
 * Hears how far an upload or a download has come. The client calls it on its event thread (like
 * listeners, one call at a time and in order), each time a chunk of the file went out or came in,
 * and once more with the final count before the transfer's future completes; so {@code bytes} only
 * grows. Keep it short: it holds up the client's other events.
 */
@FunctionalInterface
public interface TransferProgress {
  /** Ignores the progress. */
  TransferProgress NONE = (bytes, total) -> {};

  /**
   * Reports the bytes transferred so far.
   *
   * @param bytes the file's bytes sent or received so far
   * @param total the file's size in bytes, or -1 when the server did not say (a download)
   */
  void onProgress(long bytes, long total);
}
