package dev.natter.transport;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A WebSocket client on a plain socket that does only what a test tells it: it never answers pings
 * by itself and reads only when asked, so it can play a dead peer or a reader that stopped reading.
 */
final class RawWs implements AutoCloseable {
  static final int TEXT = 1;
  static final int CLOSE = 8;
  static final int PING = 9;
  static final int PONG = 10;

  /** One frame from the server. */
  record Frame(int opcode, byte[] payload) {
    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    /** The close code of a close frame. */
    int closeCode() {
      return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
    }

    String closeReason() {
      return payload.length > 2
          ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8)
          : "";
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private final SecureRandom random = new SecureRandom();
  final int status;

  private RawWs(Socket socket, int status) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
    this.status = status;
  }

  /**
   * Opens a socket with a small receive buffer (so a peer that stops reading fills up quickly) and
   * performs the handshake with a bearer token.
   */
  static RawWs connect(int port, String token, int receiveBufferBytes) throws IOException {
    Socket s = new Socket();
    if (receiveBufferBytes > 0) {
      s.setReceiveBufferSize(receiveBufferBytes);
    }
    s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    s.setSoTimeout(10_000);
    byte[] key = new byte[16];
    new SecureRandom().nextBytes(key);
    String request =
        "GET /ws HTTP/1.1\r\n"
            + "Host: 127.0.0.1:"
            + port
            + "\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + "Sec-WebSocket-Key: "
            + Base64.getEncoder().encodeToString(key)
            + "\r\n"
            + "Sec-WebSocket-Version: 13\r\n"
            + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
            + "\r\n";
    s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
    InputStream raw = s.getInputStream();
    String statusLine = readLine(raw);
    int status = Integer.parseInt(statusLine.split(" ")[1]);
    while (!readLine(raw).isEmpty()) {
      // skip headers
    }
    return new RawWs(s, status);
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      if (b == '\n') {
        break;
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.US_ASCII);
  }

  void soTimeout(int ms) throws IOException {
    socket.setSoTimeout(ms);
  }

  /** Reads one frame (no fragmentation: the server sends whole messages). */
  Frame read() throws IOException {
    int b0 = in.readUnsignedByte();
    int b1 = in.readUnsignedByte();
    long len = b1 & 0x7f;
    if (len == 126) {
      len = in.readUnsignedShort();
    } else if (len == 127) {
      len = in.readLong();
    }
    byte[] payload = new byte[(int) len];
    in.readFully(payload);
    return new Frame(b0 & 0x0f, payload);
  }

  /** Reads frames until a close frame, returning it. */
  Frame readUntilClose() throws IOException {
    while (true) {
      Frame f = read();
      if (f.opcode() == CLOSE) {
        return f;
      }
    }
  }

  void sendText(String text) throws IOException {
    send(TEXT, text.getBytes(StandardCharsets.UTF_8));
  }

  void send(int opcode, byte[] payload) throws IOException {
    ByteBuffer frame = ByteBuffer.allocate(payload.length + 14);
    frame.put((byte) (0x80 | opcode));
    if (payload.length < 126) {
      frame.put((byte) (0x80 | payload.length));
    } else if (payload.length < 65536) {
      frame.put((byte) (0x80 | 126));
      frame.putShort((short) payload.length);
    } else {
      frame.put((byte) (0x80 | 127));
      frame.putLong(payload.length);
    }
    byte[] mask = new byte[4];
    random.nextBytes(mask);
    frame.put(mask);
    for (int i = 0; i < payload.length; i++) {
      frame.put((byte) (payload[i] ^ mask[i % 4]));
    }
    out.write(frame.array(), 0, frame.position());
    out.flush();
  }

  /** Sends a small frame without a mask, which RFC 6455 forbids a client to do. */
  void sendUnmasked(int opcode, byte[] payload) throws IOException {
    if (payload.length >= 126) {
      throw new IllegalArgumentException("small frames only");
    }
    byte[] frame = new byte[payload.length + 2];
    frame[0] = (byte) (0x80 | opcode);
    frame[1] = (byte) payload.length;
    System.arraycopy(payload, 0, frame, 2, payload.length);
    out.write(frame);
    out.flush();
  }

  /** Sends only the header of a masked text frame announcing {@code length} payload bytes. */
  void sendHeaderOnly(long length) throws IOException {
    ByteBuffer frame = ByteBuffer.allocate(14);
    frame.put((byte) (0x80 | TEXT));
    frame.put((byte) (0x80 | 127));
    frame.putLong(length);
    byte[] mask = new byte[4];
    random.nextBytes(mask);
    frame.put(mask);
    out.write(frame.array(), 0, frame.position());
    out.flush();
  }

  OutputStream output() {
    return out;
  }

  /** True once the server has closed the TCP connection (reads reach the end). */
  boolean atEof() throws IOException {
    return in.read() == -1;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
