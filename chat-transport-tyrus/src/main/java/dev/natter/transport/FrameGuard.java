package dev.natter.transport;

import org.glassfish.grizzly.Buffer;

/**
 * Reads the headers of the WebSocket frames a client sends, without copying or consuming anything,
 * to find a frame over the size limit as soon as its header arrives, before any of its payload is
 * buffered. (Tyrus would buffer a frame up to its incoming buffer size and then fail it with {@code
 * CloseCode.INTERNAL_ERROR}.) Messages fragmented into many small frames are limited by Tyrus
 * itself ({@code CloseCode.TOO_LARGE}).
 */
final class FrameGuard {
  private final long maxPayload;
  private final byte[] header = new byte[14];
  private int headerLen;
  private long payloadLeft;

  FrameGuard(long maxPayload) {
    this.maxPayload = maxPayload;
  }

  /** Scans the next bytes of the stream; false when a frame is over the limit. */
  boolean scan(Buffer buffer) {
    int pos = buffer.position();
    int limit = buffer.limit();
    while (pos < limit) {
      if (payloadLeft > 0) {
        long skip = Math.min(payloadLeft, limit - pos);
        payloadLeft -= skip;
        pos += (int) skip;
        continue;
      }
      header[headerLen++] = buffer.get(pos++);
      if (headerLen < 2) {
        continue;
      }
      int len7 = header[1] & 0x7f;
      int extra = len7 == 126 ? 2 : len7 == 127 ? 8 : 0;
      int mask = (header[1] & 0x80) != 0 ? 4 : 0;
      if (headerLen < 2 + extra + mask) {
        continue;
      }
      long len = len7;
      if (len7 == 126) {
        len = ((header[2] & 0xffL) << 8) | (header[3] & 0xffL);
      } else if (len7 == 127) {
        len = 0;
        for (int i = 2; i < 10; i++) {
          len = (len << 8) | (header[i] & 0xffL);
        }
        if (len < 0) {
          return false;
        }
      }
      if (len > maxPayload) {
        return false;
      }
      headerLen = 0;
      payloadLeft = len;
    }
    return true;
  }
}
