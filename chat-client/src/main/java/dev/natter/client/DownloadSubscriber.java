package dev.natter.client;

import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.function.LongConsumer;

/**
 * Writes a response body to an {@link OutputStream} as it arrives, one chunk at a time (never the
 * whole file in memory), and counts the bytes. Completes with the count; a failure to write cancels
 * the download and fails it with the {@link IOException}. The stream is flushed at the end, and
 * closed too when {@code close} says so (also after a failure).
 */
final class DownloadSubscriber implements HttpResponse.BodySubscriber<Long> {
  private final OutputStream out;
  private final boolean close;
  private final LongConsumer received;
  private final CompletableFuture<Long> result = new CompletableFuture<>();
  private Flow.Subscription subscription;
  private long count;

  DownloadSubscriber(OutputStream out, boolean close, LongConsumer received) {
    this.out = out;
    this.close = close;
    this.received = received;
  }

  @Override
  public CompletionStage<Long> getBody() {
    return result;
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    this.subscription = subscription;
    subscription.request(1);
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    try {
      for (ByteBuffer b : items) {
        int n = b.remaining();
        if (b.hasArray()) {
          out.write(b.array(), b.arrayOffset() + b.position(), n);
          b.position(b.limit());
        } else {
          byte[] chunk = new byte[n];
          b.get(chunk);
          out.write(chunk);
        }
        count += n;
      }
      received.accept(count);
      subscription.request(1);
    } catch (IOException | RuntimeException e) {
      subscription.cancel();
      fail(e);
    }
  }

  @Override
  public void onError(Throwable error) {
    fail(error);
  }

  @Override
  public void onComplete() {
    try {
      out.flush();
      if (close) {
        out.close();
      }
      result.complete(count);
    } catch (IOException e) {
      fail(e);
    }
  }

  private void fail(Throwable error) {
    if (close) {
      try {
        out.close();
      } catch (IOException e) {
        error.addSuppressed(e);
      }
    }
    result.completeExceptionally(error);
  }
}
