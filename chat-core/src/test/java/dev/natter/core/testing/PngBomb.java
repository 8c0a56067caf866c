package dev.natter.core.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/** A tiny, valid-looking PNG that declares huge dimensions: a decompression bomb's header. */
public final class PngBomb {
  private PngBomb() {}

  /**
   * A PNG declaring {@code width} x {@code height} grey pixels, with a few real rows.
   *
   * @param width the declared width
   * @param height the declared height
   * @return the PNG's bytes (a few hundred)
   * @throws IOException never (in-memory streams)
   */
  public static byte[] declaring(int width, int height) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
    ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
    DataOutputStream h = new DataOutputStream(ihdr);
    h.writeInt(width);
    h.writeInt(height);
    h.writeByte(8); // bit depth
    h.writeByte(0); // greyscale
    h.writeByte(0);
    h.writeByte(0);
    h.writeByte(0);
    chunk(out, "IHDR", ihdr.toByteArray());
    Deflater deflater = new Deflater(9);
    deflater.setInput(new byte[(width + 1) * 4]); // four rows of zeros
    deflater.finish();
    byte[] buffer = new byte[64 * 1024];
    int n = deflater.deflate(buffer);
    byte[] idat = java.util.Arrays.copyOf(buffer, n);
    chunk(out, "IDAT", idat);
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data)
      throws IOException {
    DataOutputStream d = new DataOutputStream(out);
    byte[] name = type.getBytes(StandardCharsets.US_ASCII);
    d.writeInt(data.length);
    d.write(name);
    d.write(data);
    CRC32 crc = new CRC32();
    crc.update(name);
    crc.update(data);
    d.writeInt((int) crc.getValue());
  }
}
