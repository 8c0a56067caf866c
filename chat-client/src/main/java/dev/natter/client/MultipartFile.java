package dev.natter.client;

import java.io.FileNotFoundException;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.Flow;
import java.util.function.LongConsumer;

/**
 * A {@code multipart/form-data} body with one part, {@code file}, streamed from disk (never held in
 * memory) and counted as it goes out: the part's header, the file's bytes through a counting
 * publisher, the closing boundary. The file name in the part's header is written as browsers do
 * (UTF-8, with {@code "}, CR and LF percent-encoded).
 */
final class MultipartFile {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String boundary;
  private final HttpRequest.BodyPublisher body;

  /**
   * @param sent hears the count of the file's bytes handed to the connection so far
   * @throws FileNotFoundException when the file cannot be opened
   */
  MultipartFile(Path file, String name, String type, LongConsumer sent)
      throws FileNotFoundException {
    byte[] random = new byte[16];
    RANDOM.nextBytes(random);
    this.boundary = "natter-" + HexFormat.of().formatHex(random);
    String head =
        "--"
            + boundary
            + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
            + quoted(name)
            + "\"\r\nContent-Type: "
            + type
            + "\r\n\r\n";
    String tail = "\r\n--" + boundary + "--\r\n";
    this.body =
        HttpRequest.BodyPublishers.concat(
            HttpRequest.BodyPublishers.ofString(head, StandardCharsets.UTF_8),
            new Counting(HttpRequest.BodyPublishers.ofFile(file), sent),
            HttpRequest.BodyPublishers.ofString(tail, StandardCharsets.UTF_8));
  }

  /** The request's {@code Content-Type}. */
  String contentType() {
    return "multipart/form-data; boundary=" + boundary;
  }

  HttpRequest.BodyPublisher body() {
    return body;
  }

  /** A file name fit for a quoted header parameter, as the HTML standard encodes it. */
  static String quoted(String name) {
    return name.replace("\"", "%22").replace("\r", "%0D").replace("\n", "%0A");
  }

  /** Passes the bytes on and tells how many went out (from 0 again if the client resends). */
  private static final class Counting implements HttpRequest.BodyPublisher {
    private final HttpRequest.BodyPublisher delegate;
    private final LongConsumer sent;

    Counting(HttpRequest.BodyPublisher delegate, LongConsumer sent) {
      this.delegate = delegate;
      this.sent = sent;
    }

    @Override
    public long contentLength() {
      return delegate.contentLength();
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
      delegate.subscribe(
          new Flow.Subscriber<ByteBuffer>() {
            private long count;

            @Override
            public void onSubscribe(Flow.Subscription subscription) {
              subscriber.onSubscribe(subscription);
            }

            @Override
            public void onNext(ByteBuffer item) {
              int n = item.remaining();
              subscriber.onNext(item);
              count += n;
              sent.accept(count);
            }

            @Override
            public void onError(Throwable throwable) {
              subscriber.onError(throwable);
            }

            @Override
            public void onComplete() {
              subscriber.onComplete();
            }
          });
    }
  }
}
