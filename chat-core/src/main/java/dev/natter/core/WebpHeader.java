package dev.natter.core;

/**
 * The dimensions of a WebP image from its RIFF header, without decoding it (the JDK has no WebP
 * reader): the canvas of an extended file ({@code VP8X}), or the frame of a simple lossy ({@code
 * VP8 }) or lossless ({@code VP8L}) one. See RFC 9649.
 */
final class WebpHeader {
  /** Enough bytes for every variant's dimensions. */
  static final int HEAD_BYTES = 30;

  private WebpHeader() {}

  /**
   * Reads the width and height.
   *
   * @param b the first bytes of the file (at least {@link #HEAD_BYTES} for a result)
   * @return {width, height}, or null when the header is not one of the three known ones
   */
  static int[] dimensions(byte[] b) {
    if (b.length < HEAD_BYTES || !ascii(b, 0, "RIFF") || !ascii(b, 8, "WEBP")) {
      return null;
    }
    if (ascii(b, 12, "VP8X")) {
      return sized(1 + u24(b, 24), 1 + u24(b, 27));
    }
    if (ascii(b, 12, "VP8L")) {
      if (u8(b, 20) != 0x2f) {
        return null;
      }
      long bits = u8(b, 21) | u8(b, 22) << 8 | u8(b, 23) << 16 | (long) u8(b, 24) << 24;
      return sized(1 + (int) (bits & 0x3fff), 1 + (int) ((bits >> 14) & 0x3fff));
    }
    if (ascii(b, 12, "VP8 ")) {
      if (u8(b, 23) != 0x9d || u8(b, 24) != 0x01 || u8(b, 25) != 0x2a) {
        return null;
      }
      return sized(u16(b, 26) & 0x3fff, u16(b, 28) & 0x3fff);
    }
    return null;
  }

  private static int[] sized(int width, int height) {
    return width > 0 && height > 0 ? new int[] {width, height} : null;
  }

  private static boolean ascii(byte[] b, int at, String s) {
    for (int i = 0; i < s.length(); i++) {
      if (b[at + i] != s.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static int u8(byte[] b, int at) {
    return b[at] & 0xff;
  }

  private static int u16(byte[] b, int at) {
    return u8(b, at) | u8(b, at + 1) << 8;
  }

  private static int u24(byte[] b, int at) {
    return u16(b, at) | u8(b, at + 2) << 16;
  }
}
