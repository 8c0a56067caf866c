package dev.natter.transport;

import dev.natter.core.ChatEngine;
import dev.natter.core.ChatException;
import dev.natter.core.FileDownload;
import dev.natter.core.model.FileInfo;
import dev.natter.core.model.User;
import dev.natter.core.protocol.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.fileupload2.core.FileItemInput;
import org.apache.commons.fileupload2.core.FileItemInputIterator;
import org.apache.commons.fileupload2.core.FileUploadException;
import org.apache.commons.fileupload2.core.FileUploadSizeException;
import org.glassfish.grizzly.http.server.Request;

/**
 * The file endpoints: {@code POST /api/rooms/{room}/files} (a {@code multipart/form-data} upload,
 * streamed into the engine's blob store), {@code GET /api/files/{file}} and {@code GET
 * /api/files/{file}/thumbnail} (the bytes, with headers that keep a browser from running them:
 * {@code nosniff}, a sandboxing {@code Content-Security-Policy}, {@code attachment} unless the
 * engine says the file is a safe raster image; {@code ETag} and single {@code Range}s).
 */
final class FileRoutes {
  /** What a multipart body may hold beyond the file itself: boundaries, part headers, a name. */
  static final long MULTIPART_OVERHEAD = 64 * 1024;

  private static final String CSP = "sandbox; default-src 'none'";
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

  private final ApiContext context;
  private final ChatEngine engine;

  FileRoutes(ApiContext context) {
    this.context = context;
    this.engine = context.engine();
  }

  // =====================================================================================
  // Upload

  /**
   * Receives an upload on this worker thread, if one of the upload slots is free: otherwise 429
   * with {@code Retry-After} before any byte of the body is read, so slow uploads never take every
   * worker. A slow upload that keeps sending is not cut: the idle sweep of HTTP connections counts
   * each piece of body that arrives as use; one that stops sending is closed after the idle
   * timeout.
   */
  Reply upload(ApiCall c) {
    if (!context.uploadSlots().tryAcquire()) {
      return context
          .replies()
          .error(ErrorCode.RATE_LIMITED, "too many uploads in progress; try again shortly")
          .header("Retry-After", "5");
    }
    try {
      return new Reply(201, context.codec().encodeFile(receive(c)));
    } catch (ChatException e) {
      // The body may be partly unread: the server throws the rest away, or closes the connection
      // when the rest is too long (NatterServer.limitUnreadBodies).
      return context.replies().error(e);
    } finally {
      context.uploadSlots().release();
    }
  }

  /** The longest upload body taken: the file at its limit and the multipart framing around it. */
  static long largestBody(long maxUploadBytes) {
    return maxUploadBytes + MULTIPART_OVERHEAD;
  }

  private FileInfo receive(ApiCall c) {
    User me = c.me();
    String roomId = c.path("room");
    long max = context.maxUploadBytes();
    Request request = c.request();
    if (request.getContentLengthLong() > largestBody(max)) {
      throw tooLarge(max);
    }
    String type = request.getHeader("Content-Type");
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      throw new ChatException.BadRequest("send the file as multipart/form-data, field \"file\"");
    }
    // Before any byte of the body is read: only members may upload here.
    c.timed("http.uploadCheck", () -> engine.room(me, roomId));
    MultipartUpload parser = new MultipartUpload();
    parser.setFileSizeMax(max);
    parser.setSizeMax(largestBody(max));
    parser.setFileCountMax(16);
    try {
      FileItemInputIterator parts = parser.getItemIterator(request);
      while (parts.hasNext()) {
        FileItemInput part = parts.next();
        if (part.isFormField() || !"file".equals(part.getFieldName())) {
          continue;
        }
        try (InputStream in = part.getInputStream()) {
          String name = part.getName();
          return c.timed(
              "http.upload",
              () -> {
                try {
                  return engine.uploadFile(me, roomId, name, in, max);
                } catch (IOException e) {
                  throw new UploadFailed(e);
                }
              });
        }
      }
      throw new ChatException.BadRequest("the form has no \"file\" field");
    } catch (UploadFailed e) {
      throw failure(e.getCause(), max);
    } catch (IOException e) {
      throw failure(e, max);
    }
  }

  private static ChatException failure(Throwable e, long max) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof FileUploadSizeException) {
        return tooLarge(max);
      }
    }
    if (e instanceof FileUploadException) {
      return new ChatException.BadRequest("malformed multipart body: " + e.getMessage());
    }
    return new ChatException.BadRequest("the upload was interrupted");
  }

  private static ChatException.TooLarge tooLarge(long max) {
    return new ChatException.TooLarge("the file is over the limit of " + max + " bytes");
  }

  /** Carries an I/O failure of the engine's upload out of a timed lambda. */
  private static final class UploadFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UploadFailed(IOException cause) {
      super(cause);
    }
  }

  // =====================================================================================
  // Download

  Reply download(ApiCall c) {
    User me = c.me();
    String fileId = c.path("file");
    return serve(c, c.timed("http.file", () -> engine.downloadFile(me, fileId)));
  }

  Reply thumbnail(ApiCall c) {
    User me = c.me();
    String fileId = c.path("file");
    return serve(c, c.timed("http.thumbnail", () -> engine.thumbnail(me, fileId)));
  }

  private Reply serve(ApiCall c, FileDownload d) {
    Request request = c.request();
    String etag = "\"" + d.etag() + "\"";
    String ifNoneMatch = request.getHeader("If-None-Match");
    if (ifNoneMatch != null && matches(ifNoneMatch, etag)) {
      return headers(new Reply(304, null), d, etag);
    }
    long size = d.size();
    String range = request.getHeader("Range");
    String ifRange = request.getHeader("If-Range");
    if (range != null && (ifRange == null || ifRange.strip().equals(etag))) {
      long[] r = range(range, size);
      if (r == null) {
        return headers(
                context.replies().error(416, ErrorCode.BAD_REQUEST, "range not satisfiable"),
                d,
                etag)
            .header("Content-Range", "bytes */" + size);
      }
      if (r.length == 2) {
        long from = r[0];
        long length = r[1] - r[0] + 1;
        return headers(
                Reply.stream(206, contentType(d), length, out -> copy(d, from, length, out)),
                d,
                etag)
            .header("Content-Range", "bytes " + r[0] + "-" + r[1] + "/" + size);
      }
    }
    return headers(Reply.stream(200, contentType(d), size, out -> copy(d, 0, size, out)), d, etag);
  }

  private static Reply headers(Reply r, FileDownload d, String etag) {
    return r.header("Cache-Control", "private, no-cache")
        .header("ETag", etag)
        .header("Accept-Ranges", "bytes")
        .header("Content-Security-Policy", CSP)
        .header("Content-Disposition", disposition(d))
        .header("Cross-Origin-Resource-Policy", "same-origin");
  }

  /** Text is served as UTF-8 (what the sniffer checked); every other type as sniffed. */
  private static String contentType(FileDownload d) {
    return d.contentType().equals("text/plain") ? "text/plain; charset=utf-8" : d.contentType();
  }

  static String disposition(FileDownload d) {
    String name = d.file().name();
    String ascii = name.replaceAll("[^A-Za-z0-9._ -]", "_");
    return (d.inline() ? "inline" : "attachment")
        + "; filename=\""
        + ascii
        + "\"; filename*=UTF-8''"
        + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static boolean matches(String ifNoneMatch, String etag) {
    for (String tag : ifNoneMatch.split(",")) {
      String t = tag.strip();
      if (t.equals("*") || t.equals(etag) || t.equals("W/" + etag)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A single byte range: {@code {from, to}} (inclusive), null when unsatisfiable, or an empty array
   * when the header is not one range this serves (several ranges, another unit): then the whole
   * file is sent, as RFC 9110 allows.
   */
  static long[] range(String header, long size) {
    Matcher m = RANGE.matcher(header.strip());
    if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
      return new long[0];
    }
    try {
      if (m.group(1).isEmpty()) { // the last N bytes
        long n = Long.parseLong(m.group(2));
        if (n == 0 || size == 0) {
          return null;
        }
        return new long[] {Math.max(0, size - n), size - 1};
      }
      long from = Long.parseLong(m.group(1));
      long to = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
      if (from >= size || to < from) {
        return null;
      }
      return new long[] {from, to};
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static void copy(FileDownload d, long from, long length, OutputStream out)
      throws IOException {
    try (InputStream in = d.body().open(from)) {
      byte[] buffer = new byte[64 * 1024];
      long left = length;
      while (left > 0) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (n < 0) {
          break;
        }
        out.write(buffer, 0, n);
        left -= n;
      }
    }
  }
}
