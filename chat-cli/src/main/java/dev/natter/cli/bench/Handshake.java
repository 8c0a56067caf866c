package dev.natter.cli.bench;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/** The client side of one WebSocket opening handshake (RFC 6455, section 4). */
final class Handshake {
  private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  private static final byte[] HEAD_END = Bytes.ascii("\r\n\r\n");

  private final String key;

  Handshake() {
    byte[] nonce = new byte[16];
    ThreadLocalRandom.current().nextBytes(nonce);
    key = Base64.getEncoder().encodeToString(nonce);
  }

  /** The upgrade request; {@code token} (may be null) goes into {@code Authorization: Bearer}. */
  byte[] request(String hostAndPort, String path, String token) {
    String r =
        "GET "
            + path
            + " HTTP/1.1\r\nHost: "
            + hostAndPort
            + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
            + key
            + "\r\nSec-WebSocket-Version: 13\r\n"
            + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
            + "\r\n";
    return r.getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Checks the response head in {@code a[from, to)}.
   *
   * @return the index just after the head, or -1 while it is incomplete
   * @throws IllegalStateException when the server refused the upgrade
   */
  int response(byte[] a, int from, int to) {
    int end = Bytes.after(a, from, to, HEAD_END);
    if (end < 0) {
      if (to - from > 16 * 1024) {
        throw new IllegalStateException("no end of the handshake response in 16 KiB");
      }
      return -1;
    }
    String head = new String(a, from, end - from, StandardCharsets.ISO_8859_1);
    String status = head.substring(0, head.indexOf('\r'));
    if (!status.startsWith("HTTP/1.1 101")) {
      throw new IllegalStateException("upgrade refused: " + status);
    }
    if (!head.contains(accept())) {
      throw new IllegalStateException("wrong Sec-WebSocket-Accept in the handshake response");
    }
    return end;
  }

  private String accept() {
    try {
      byte[] sha1 =
          MessageDigest.getInstance("SHA-1")
              .digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(sha1);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
