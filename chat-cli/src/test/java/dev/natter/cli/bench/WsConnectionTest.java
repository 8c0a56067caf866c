package dev.natter.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The raw client against a scripted server on a free port: frames split across TCP writes, extended
 * lengths, fragments, pings, masking of what it sends, and the close handshake.
 */
@Timeout(30)
class WsConnectionTest {
  private static final Pattern KEY = Pattern.compile("Sec-WebSocket-Key: (\\S+)\r\n");

  /** What the connection reported. */
  static final class Recorder implements WsConnection.Listener {
    final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    final List<Integer> sizes = new CopyOnWriteArrayList<>();

    @Override
    public void opened(WsConnection c) {
      events.add("opened");
    }

    @Override
    public void text(WsConnection c, byte[] a, int from, int to, long now) {
      sizes.add(to - from);
      String s = new String(a, from, to - from, StandardCharsets.UTF_8);
      events.add(s.length() > 40 ? "long:" + s.length() : "text:" + s);
    }

    @Override
    public void closed(WsConnection c, int code, String reason) {
      events.add("closed:" + code + ":" + reason);
    }

    String next() throws InterruptedException {
      String e = events.poll(10, TimeUnit.SECONDS);
      assertThat(e).as("an event within 10 s").isNotNull();
      return e;
    }
  }

  @Test
  void readsWhatAServerWritesHoweverItIsCut() throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        IoLoop loop = new IoLoop("test-io", new BenchClock())) {
      Recorder recorder = new Recorder();
      WsConnection c =
          WsConnection.open(
              loop,
              new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()),
              null,
              "/ws",
              "secret-token",
              recorder);
      try (Socket s = listener.accept()) {
        s.setSoTimeout(10_000);
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        String request = readHead(in);
        assertThat(request)
            .startsWith("GET /ws HTTP/1.1")
            .contains("Authorization: Bearer secret-token");
        Matcher m = KEY.matcher(request);
        assertThat(m.find()).isTrue();
        String head =
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: "
                + accept(m.group(1))
                + "\r\n\r\n";
        // the head and the first frame in one write, the frame cut in two
        byte[] hello = frame(0x81, "hello".getBytes(StandardCharsets.UTF_8));
        out.write(concat(head.getBytes(StandardCharsets.US_ASCII), slice(hello, 0, 3)));
        out.flush();
        assertThat(recorder.next()).isEqualTo("opened");
        Thread.sleep(50);
        out.write(slice(hello, 3, hello.length));
        out.flush();
        assertThat(recorder.next()).isEqualTo("text:hello");

        // a 16-bit length and a 64-bit length, the latter bigger than the loop's read buffer
        out.write(frame(0x81, filled(300)));
        out.write(frame(0x81, filled(300_000)));
        out.flush();
        assertThat(recorder.next()).isEqualTo("long:300");
        assertThat(recorder.next()).isEqualTo("long:300000");

        // a fragmented message with a ping between the fragments
        out.write(frame(0x01, "frag".getBytes(StandardCharsets.UTF_8)));
        out.write(frame(0x89, "p1".getBytes(StandardCharsets.UTF_8)));
        out.write(frame(0x80, "ment".getBytes(StandardCharsets.UTF_8)));
        out.flush();
        assertThat(recorder.next()).isEqualTo("text:fragment");
        assertThat(readClientFrame(in)).isEqualTo(new Frame(0x8A, "p1"));

        // what the client sends is masked and arrives intact
        c.sendText("from the client".getBytes(StandardCharsets.UTF_8));
        assertThat(readClientFrame(in)).isEqualTo(new Frame(0x81, "from the client"));

        // the server closes: the client answers with the same code and reports it
        out.write(frame(0x88, concat(new byte[] {0x0f, (byte) 0xa8}, "slow".getBytes())));
        out.flush();
        assertThat(recorder.next()).isEqualTo("closed:4008:slow");
        Frame close = readClientFrame(in);
        assertThat(close.opcode()).isEqualTo(0x88);
        assertThat(c.isOpen()).isFalse();
      }
    }
  }

  @Test
  void aRefusedUpgradeEndsTheConnection() throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        IoLoop loop = new IoLoop("test-io", new BenchClock())) {
      Recorder recorder = new Recorder();
      WsConnection.open(
          loop,
          new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()),
          null,
          "/ws",
          null,
          recorder);
      try (Socket s = listener.accept()) {
        readHead(s.getInputStream());
        s.getOutputStream()
            .write("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n".getBytes());
        s.getOutputStream().flush();
        assertThat(recorder.next()).startsWith("closed:1002:upgrade refused: HTTP/1.1 401");
      }
    }
  }

  record Frame(int opcode, String text) {}

  private static Frame readClientFrame(InputStream in) throws IOException {
    DataInputStream d = new DataInputStream(in);
    int b0 = d.readUnsignedByte();
    int b1 = d.readUnsignedByte();
    assertThat(b1 & 0x80).as("masked").isEqualTo(0x80);
    long len = b1 & 0x7f;
    if (len == 126) {
      len = d.readUnsignedShort();
    } else if (len == 127) {
      len = d.readLong();
    }
    byte[] mask = d.readNBytes(4);
    byte[] payload = d.readNBytes((int) len);
    for (int i = 0; i < payload.length; i++) {
      payload[i] ^= mask[i % 4];
    }
    return new Frame(b0, new String(payload, StandardCharsets.UTF_8));
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed during the head");
      }
      head.write(b);
    }
    return head.toString(StandardCharsets.US_ASCII);
  }

  private static String accept(String key) throws Exception {
    byte[] sha1 =
        MessageDigest.getInstance("SHA-1")
            .digest(
                (key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII));
    return Base64.getEncoder().encodeToString(sha1);
  }

  /** An unmasked server frame. */
  private static byte[] frame(int b0, byte[] payload) {
    ByteArrayOutputStream f = new ByteArrayOutputStream();
    f.write(b0);
    if (payload.length < 126) {
      f.write(payload.length);
    } else if (payload.length < 65536) {
      f.write(126);
      f.write(payload.length >> 8);
      f.write(payload.length & 0xff);
    } else {
      f.write(127);
      for (int i = 7; i >= 0; i--) {
        f.write((int) ((long) payload.length >> (8 * i)) & 0xff);
      }
    }
    f.writeBytes(payload);
    return f.toByteArray();
  }

  private static byte[] filled(int n) {
    byte[] b = new byte[n];
    java.util.Arrays.fill(b, (byte) 'x');
    return b;
  }

  private static byte[] slice(byte[] a, int from, int to) {
    return java.util.Arrays.copyOfRange(a, from, to);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
