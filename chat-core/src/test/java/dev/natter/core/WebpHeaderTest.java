package dev.natter.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** WebP dimensions from each of the three headers, and what is not a WebP header. */
class WebpHeaderTest {
  /** RIFF....WEBP, a chunk header and then {@code data}, padded to 40 bytes. */
  static byte[] webp(String fourCc, int... data) {
    byte[] b = new byte[40];
    put(b, 0, "RIFF");
    b[4] = 32;
    put(b, 8, "WEBP");
    put(b, 12, fourCc);
    b[16] = 20;
    for (int i = 0; i < data.length; i++) {
      b[20 + i] = (byte) data[i];
    }
    return b;
  }

  private static void put(byte[] b, int at, String s) {
    System.arraycopy(s.getBytes(StandardCharsets.US_ASCII), 0, b, at, s.length());
  }

  @Test
  void lossy() {
    // frame tag (3 bytes), start code 9d 01 2a, width 640 and height 480 (14 bits, scale 0)
    byte[] b = webp("VP8 ", 0x50, 0x2a, 0x00, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0xe0, 0x01);
    assertThat(WebpHeader.dimensions(b)).containsExactly(640, 480);
    // the two scaling bits above the 14 are not part of the size
    byte[] scaled = webp("VP8 ", 0x50, 0x2a, 0x00, 0x9d, 0x01, 0x2a, 0x80, 0x42, 0xe0, 0xc1);
    assertThat(WebpHeader.dimensions(scaled)).containsExactly(640, 480);
  }

  @Test
  void lossless() {
    // signature 2f, then width-1 (14 bits) and height-1 (14 bits), little-endian: 400 x 300
    int w = 399;
    int h = 299;
    long bits = w | (long) h << 14;
    byte[] b =
        webp(
            "VP8L",
            0x2f,
            (int) (bits & 0xff),
            (int) (bits >> 8 & 0xff),
            (int) (bits >> 16 & 0xff),
            (int) (bits >> 24 & 0xff));
    assertThat(WebpHeader.dimensions(b)).containsExactly(400, 300);
  }

  @Test
  void extended() {
    // flags, 3 reserved, canvas width-1 and height-1 in 24 bits each: 5000 x 70000
    int w = 4999;
    int h = 69999;
    byte[] b =
        webp(
            "VP8X",
            0x10,
            0,
            0,
            0,
            w & 0xff,
            w >> 8 & 0xff,
            w >> 16 & 0xff,
            h & 0xff,
            h >> 8 & 0xff,
            h >> 16 & 0xff);
    assertThat(WebpHeader.dimensions(b)).containsExactly(5000, 70000);
  }

  @Test
  void otherBytesHaveNoDimensions() {
    assertThat(WebpHeader.dimensions(new byte[10])).isNull();
    assertThat(WebpHeader.dimensions(webp("VP8 ", 0, 0, 0, 1, 2, 3))).isNull(); // no start code
    assertThat(WebpHeader.dimensions(webp("VP8L", 0x2e))).isNull(); // no signature
    assertThat(WebpHeader.dimensions(webp("ALPH"))).isNull();
    byte[] notRiff = webp("VP8X", 0, 0, 0, 0, 1, 0, 0, 1, 0, 0);
    notRiff[0] = 'X';
    assertThat(WebpHeader.dimensions(notRiff)).isNull();
  }

  @Test
  void anUploadedWebpGetsItsDimensionsButNoThumbnail() {
    byte[] b = webp("VP8 ", 0x50, 0x2a, 0x00, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0xe0, 0x01);
    Images.Inspection i = Images.inspect(MediaTypes.WEBP, new ByteArrayInputStream(b));
    assertThat(i.width()).isEqualTo(640);
    assertThat(i.height()).isEqualTo(480);
    assertThat(i.thumbnail()).isNull();
  }
}
