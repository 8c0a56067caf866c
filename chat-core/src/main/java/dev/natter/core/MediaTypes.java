package dev.natter.core;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * The media type of a file, from its first bytes (magic numbers), never from what the uploader
 * claimed: PNG, JPEG, GIF, WebP, PDF, ZIP (and the formats built on it), UTF-8 text; anything else
 * is {@code application/octet-stream}. HTML and SVG are text here, so they are never rendered.
 */
final class MediaTypes {
  static final String PNG = "image/png";
  static final String JPEG = "image/jpeg";
  static final String GIF = "image/gif";
  static final String WEBP = "image/webp";
  static final String PDF = "application/pdf";
  static final String ZIP = "application/zip";
  static final String TEXT = "text/plain";
  static final String BINARY = "application/octet-stream";

  /** How many leading bytes {@link #sniff} looks at. */
  static final int HEAD_BYTES = 8192;

  /** Raster images a browser may show inline: they cannot carry script. */
  private static final Set<String> RASTER = Set.of(PNG, JPEG, GIF, WEBP);

  private MediaTypes() {}

  static boolean isRaster(String type) {
    return RASTER.contains(type);
  }

  /**
   * The type of a file whose first bytes (up to {@link #HEAD_BYTES}) are {@code head}.
   *
   * @param head the first bytes; {@code complete} when they are the whole file
   */
  static String sniff(byte[] head, boolean complete) {
    if (startsWith(head, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
      return PNG;
    }
    if (startsWith(head, 0xFF, 0xD8, 0xFF)) {
      return JPEG;
    }
    if (startsWith(head, 'G', 'I', 'F', '8', '7', 'a')
        || startsWith(head, 'G', 'I', 'F', '8', '9', 'a')) {
      return GIF;
    }
    if (startsWith(head, 'R', 'I', 'F', 'F')
        && head.length >= 12
        && head[8] == 'W'
        && head[9] == 'E'
        && head[10] == 'B'
        && head[11] == 'P') {
      return WEBP;
    }
    if (startsWith(head, '%', 'P', 'D', 'F', '-')) {
      return PDF;
    }
    if (startsWith(head, 'P', 'K', 3, 4) || startsWith(head, 'P', 'K', 5, 6)) {
      return ZIP;
    }
    return isUtf8Text(head, complete) ? TEXT : BINARY;
  }

  private static boolean startsWith(byte[] head, int... magic) {
    if (head.length < magic.length) {
      return false;
    }
    for (int i = 0; i < magic.length; i++) {
      if ((head[i] & 0xFF) != magic[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Well-formed UTF-8 without NUL or other control characters than tab, line feed, form feed,
   * carriage return and escape. A character cut at the end of an incomplete head is allowed.
   */
  private static boolean isUtf8Text(byte[] head, boolean complete) {
    for (byte b : head) {
      int c = b & 0xFF;
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1B) {
        return false;
      }
      if (c == 0x7F) {
        return false;
      }
    }
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(head);
    CharBuffer out = CharBuffer.allocate(head.length + 1);
    CoderResult r = decoder.decode(in, out, complete);
    if (r.isError()) {
      return false;
    }
    if (complete) {
      try {
        r = decoder.flush(out);
        return !r.isError();
      } catch (IllegalStateException e) {
        return false;
      }
    }
    return in.remaining() < 4; // at most one character cut by the end of the head
  }
}
