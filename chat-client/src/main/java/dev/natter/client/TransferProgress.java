package dev.natter.client;

/**
 * Hears how far an upload or a download has come. The client calls it on its event thread (like
 * listeners, one call at a time and in order): first with 0 bytes (a download once the server has
 * answered), then each time a chunk of the file went out or came in, the last call with every byte,
 * before the transfer's future completes. Keep it short: it holds up the client's other events.
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
