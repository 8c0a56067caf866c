package dev.natter.client;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A minimal WebSocket server on loopback that answers each handshake with the 101 response and the
 * connection's text frames in ONE write, the way that made the JDK's WebSocket client lose bytes
 * (see {@code JdkWebSocketHandoverRepro} in chat-transport-tyrus): whatever the client reads
 * together with the 101 response, and what follows at once, must come out intact. It checks the
 * bearer token, then reads (and discards) what the client sends until its close frame, which it
 * answers. Problems it sees go to {@link #problems}.
 */
final class HandshakeBurstServer implements AutoCloseable {
  private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  final Queue<String> problems = new ConcurrentLinkedQueue<>();
  private final ServerSocket listener;
  private final String token;
  private final Function<Integer, List<String>> framesOf;
  private final ExecutorService threads = Executors.newCachedThreadPool(daemon());
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private int accepted;

  /**
   * @param token the bearer token every handshake must carry
   * @param framesOf the text frames for the n-th connection (from 0)
   */
  HandshakeBurstServer(String token, Function<Integer, List<String>> framesOf) throws IOException {
    this.token = token;
    this.framesOf = framesOf;
    this.listener = new ServerSocket();
    listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1_000);
    threads.execute(this::acceptLoop);
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + listener.getLocalPort());
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket s = listener.accept();
        int n = accepted++;
        open.add(s);
        threads.execute(() -> serve(s, n));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket s, int n) {
    try (s) {
      s.setTcpNoDelay(true);
      InputStream in = new BufferedInputStream(s.getInputStream());
      String key = null;
      String auth = null;
      for (String line : readHead(in).split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0) {
          String name = line.substring(0, colon).trim();
          String value = line.substring(colon + 1).trim();
          if (name.equalsIgnoreCase("Sec-WebSocket-Key")) {
            key = value;
          } else if (name.equalsIgnoreCase("Authorization")) {
            auth = value;
          }
        }
      }
      OutputStream out = s.getOutputStream();
      if (key == null || !("Bearer " + token).equals(auth)) {
        problems.add("connection " + n + ": handshake without the key or the bearer token");
        out.write("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n".getBytes());
        return;
      }
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      all.write(
          ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  + "Sec-WebSocket-Accept: "
                  + accept(key)
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
      for (String text : framesOf.apply(n)) {
        writeFrame(all, 0x1, text.getBytes(StandardCharsets.UTF_8));
      }
      out.write(all.toByteArray()); // the 101 response and every frame in one write
      out.flush();
      drainUntilClose(in, out);
    } catch (IOException e) {
      // the client went away; what it saw is the test's business
    } finally {
      open.remove(s);
    }
  }

  /** Reads the client's frames (masked) until its close frame, and answers that. */
  private static void drainUntilClose(InputStream in, OutputStream out) throws IOException {
    while (true) {
      int b0 = in.read();
      int b1 = in.read();
      if (b0 < 0 || b1 < 0) {
        return;
      }
      long len = b1 & 0x7f;
      if (len == 126) {
        len = (in.read() << 8) | in.read();
      } else if (len == 127) {
        len = 0;
        for (int i = 0; i < 8; i++) {
          len = (len << 8) | in.read();
        }
      }
      byte[] mask = (b1 & 0x80) != 0 ? in.readNBytes(4) : new byte[4];
      byte[] payload = in.readNBytes((int) len);
      if ((b0 & 0x0f) == 0x8) {
        byte[] code = new byte[Math.min(2, payload.length)];
        for (int i = 0; i < code.length; i++) {
          code[i] = (byte) (payload[i] ^ mask[i % 4]);
        }
        ByteArrayOutputStream close = new ByteArrayOutputStream();
        writeFrame(close, 0x8, code);
        out.write(close.toByteArray());
        out.flush();
        return;
      }
    }
  }

  private static void writeFrame(ByteArrayOutputStream out, int opcode, byte[] payload) {
    out.write(0x80 | opcode); // FIN, unmasked (server to client)
    if (payload.length < 126) {
      out.write(payload.length);
    } else if (payload.length < 65536) {
      out.write(126);
      out.write(payload.length >> 8);
      out.write(payload.length & 0xff);
    } else {
      out.write(127);
      for (int i = 7; i >= 0; i--) {
        out.write((int) (((long) payload.length >> (8 * i)) & 0xff));
      }
    }
    out.writeBytes(payload);
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int b;
    int crlf = 0;
    while (crlf < 4 && (b = in.read()) != -1) {
      head.write(b);
      crlf = (b == '\r' || b == '\n') ? crlf + 1 : 0;
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  private static String accept(String key) {
    try {
      byte[] sha1 =
          MessageDigest.getInstance("SHA-1")
              .digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1));
      return Base64.getEncoder().encodeToString(sha1);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static java.util.concurrent.ThreadFactory daemon() {
    return r -> {
      Thread t = new Thread(r, "handshake-burst-server");
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public void close() throws IOException {
    listener.close();
    for (Socket s : open) {
      s.close();
    }
    threads.shutdownNow();
  }
}
