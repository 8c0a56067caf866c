package dev.natter.transport;

import java.nio.charset.StandardCharsets;

/**
 * Complete WebSocket text frames as a server sends them (RFC 6455, section 5.2): one final frame,
 * unmasked, no extension bits, so the same bytes can be written to every recipient of an event.
 * Natter negotiates no extensions (no permessage-deflate), which is what makes that valid.
 */
final class TextFrames {
  private static final int FIN_TEXT = 0x81;

  private TextFrames() {}

  /**
   * The frame carrying {@code text}: header (2, 4 or 10 bytes) and the UTF-8 payload.
   *
   * @param text the message; unpaired surrogates become {@code ?}, as in any UTF-8 encoding
   * @return a new array holding the whole frame
   */
  static byte[] encode(String text) {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    int n = payload.length;
    int header = n < 126 ? 2 : n <= 0xFFFF ? 4 : 10;
    byte[] frame = new byte[header + n];
    frame[0] = (byte) FIN_TEXT;
    if (n < 126) {
      frame[1] = (byte) n;
    } else if (n <= 0xFFFF) {
      frame[1] = 126;
      frame[2] = (byte) (n >>> 8);
      frame[3] = (byte) n;
    } else {
      frame[1] = 127;
      long len = n;
      for (int i = 0; i < 8; i++) {
        frame[2 + i] = (byte) (len >>> (56 - 8 * i));
      }
    }
    System.arraycopy(payload, 0, frame, header, n);
    return frame;
  }
}
