package dev.natter.transport;

import dev.natter.core.protocol.CloseCode;
import org.glassfish.grizzly.Buffer;

/**
 * Reads the headers of the WebSocket frames a client sends, without copying or consuming anything,
 * to find a frame over the size limit as soon as its header arrives, before any of its payload is
 * buffered, and a frame the client did not mask (RFC 6455 §5.1: the server must close the
 * connection). (Tyrus would buffer a frame up to its incoming buffer size and then fail it with
 * {@code CloseCode.INTERNAL_ERROR}.) Messages fragmented into many small frames are limited by
 * Tyrus itself ({@code CloseCode.TOO_LARGE}).
 */
final class FrameGuard {
  private final long maxPayload;
  private final byte[] header = new byte[14];
  private int headerLen;
  private long payloadLeft;

  FrameGuard(long maxPayload) {
    this.maxPayload = maxPayload;
  }

  /**
   * Scans the next bytes of the stream.
   *
   * @return null while the frames are fine, else the code to close with: {@link
   *     CloseCode#TOO_LARGE} or {@link CloseCode#PROTOCOL_ERROR}
   */
  CloseCode scan(Buffer buffer) {
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
      if ((header[1] & 0x80) == 0) {
        return CloseCode.PROTOCOL_ERROR; // a client frame without a mask
      }
      int mask = 4;
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
          return CloseCode.TOO_LARGE;
        }
      }
      if (len > maxPayload) {
        return CloseCode.TOO_LARGE;
      }
      headerLen = 0;
      payloadLeft = len;
    }
    return null;
  }
}
