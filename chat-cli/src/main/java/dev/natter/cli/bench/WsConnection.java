package dev.natter.cli.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A raw WebSocket client connection on a non-blocking socket, driven by an {@link IoLoop}: the
 * handshake, masked frames out, frames in (pings answered, fragments joined, close answered). Text
 * payloads go to the {@link Listener} as a byte range, valid only during the call.
 *
 * <p>Threads: reads and the listener run on the loop's thread; {@link #sendText} may be called from
 * any thread (writes are serialized on the connection).
 */
final class WsConnection {
  /** What a connection reports. Called on the loop's thread. */
  interface Listener {
    /** The handshake completed. */
    void opened(WsConnection c);

    /** A whole text message arrived in {@code a[from, to)} at {@code now} (run clock). */
    void text(WsConnection c, byte[] a, int from, int to, long now);

    /** The connection ended: the close code received, 1006 without one, or 1002/1011 on errors. */
    void closed(WsConnection c, int code, String reason);
  }

  static final int TEXT = 1;
  private static final int CONTINUATION = 0;
  private static final int BINARY = 2;
  private static final int CLOSE = 8;
  private static final int PING = 9;
  private static final int PONG = 10;
  private static final byte[] NONE = new byte[0];

  private final IoLoop loop;
  private final SocketChannel channel;
  private final Listener listener;
  private final Handshake handshake = new Handshake();
  private final String hostAndPort;
  private final String path;
  private final String token;
  private SelectionKey key;
  private volatile boolean open;
  private boolean reading = true;
  private boolean closed; // guarded by this
  private byte[] carry = NONE; // input not parsed yet (loop thread)
  private int carryLength;
  private int needed; // bytes the incomplete frame at the start of the input needs
  private byte[] message = NONE; // fragments of a message (loop thread)
  private int messageLength;
  private ByteBuffer pending; // output that did not fit into the socket (guarded by this)

  private WsConnection(
      IoLoop loop,
      SocketChannel channel,
      Listener listener,
      InetSocketAddress server,
      String path,
      String token) {
    this.loop = loop;
    this.channel = channel;
    this.listener = listener;
    this.hostAndPort = server.getHostString() + ":" + server.getPort();
    this.path = path;
    this.token = token;
  }

  /**
   * Starts connecting; the listener hears {@code opened} or {@code closed}.
   *
   * @param source the local address to bind, or null for the system's choice
   * @param token the bearer token for the upgrade request, or null
   */
  static WsConnection open(
      IoLoop loop,
      InetSocketAddress server,
      InetAddress source,
      String path,
      String token,
      Listener listener)
      throws IOException {
    SocketChannel ch = SocketChannel.open();
    try {
      ch.configureBlocking(false);
      ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
      if (source != null) {
        ch.bind(new InetSocketAddress(source, 0));
      }
      ch.connect(server);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
    WsConnection c = new WsConnection(loop, ch, listener, server, path, token);
    loop.execute(c::register);
    return c;
  }

  private void register() {
    try {
      key = channel.register(loop.selector(), SelectionKey.OP_CONNECT, this);
      if (channel.isConnected()) {
        connectable();
      }
    } catch (IOException e) {
      fail(1006, "connect: " + e.getMessage());
    }
  }

  /** The socket connected (loop thread): send the upgrade request. */
  void connectable() {
    try {
      if (channel.isConnectionPending() && !channel.finishConnect()) {
        return;
      }
    } catch (IOException e) {
      fail(1006, "connect: " + e.getMessage());
      return;
    }
    key.interestOps(SelectionKey.OP_READ);
    write(ByteBuffer.wrap(handshake.request(hostAndPort, path, token)));
  }

  /** Sends one text frame; ignored once closed. */
  void sendText(byte[] payload) {
    send(TEXT, payload, payload.length);
  }

  /**
   * Stops reading (a client that never reads: the server's writes pile up in the socket buffers) or
   * starts again. Loop thread only, or before the handshake completes.
   */
  void reading(boolean on) {
    reading = on;
    if (key != null && key.isValid()) {
      int ops = key.interestOps();
      key.interestOps(on ? ops | SelectionKey.OP_READ : ops & ~SelectionKey.OP_READ);
      if (on && carryLength > 0) {
        parse(carry, carryLength, loop.now());
      }
    }
  }

  /** Starts reading again from any thread. */
  void resumeReading() {
    loop.execute(() -> reading(true));
  }

  boolean isOpen() {
    return open && channel.isOpen();
  }

  /** Sends a normal close (1000) and closes the socket without waiting for the answer. */
  void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      if (open) {
        byte[] code = {(byte) (1000 >> 8), (byte) (1000 & 0xff)};
        send(CLOSE, code, code.length);
      }
    }
    loop.execute(() -> fail(1000, "closed by the load generator"));
  }

  /** Data to read (loop thread). */
  void readable() {
    long now = loop.now();
    for (int round = 0; round < 4 && reading; round++) {
      int n;
      boolean full;
      try {
        if (carryLength == 0) {
          ByteBuffer view = loop.readView;
          view.clear();
          n = channel.read(view);
          full = n == view.capacity();
          if (n > 0) {
            parse(loop.readBuffer, n, now);
          }
        } else {
          int want = Math.max(needed, carryLength + 16 * 1024);
          if (carry.length < want) {
            carry = Arrays.copyOf(carry, Math.max(want, carry.length * 2));
          }
          n = channel.read(ByteBuffer.wrap(carry, carryLength, carry.length - carryLength));
          full = carryLength + Math.max(n, 0) == carry.length;
          if (n > 0) {
            parse(carry, carryLength + n, now);
          }
        }
      } catch (IOException e) {
        fail(1006, e.getMessage());
        return;
      }
      if (n < 0) {
        fail(1006, "the server closed the socket");
        return;
      }
      if (!full) {
        return;
      }
    }
  }

  /** Parses {@code a[0, length)}; what is left becomes the carry. */
  private void parse(byte[] a, int length, long now) {
    int pos = 0;
    try {
      if (!open) {
        int end = handshake.response(a, 0, length);
        if (end < 0) {
          keep(a, 0, length, length + 1);
          return;
        }
        open = true;
        pos = end;
        listener.opened(this);
      }
      pos = frames(a, pos, length, now);
    } catch (RuntimeException e) {
      fail(1002, e.getMessage());
      return;
    }
    keep(a, pos, length, needed);
  }

  private void keep(byte[] a, int from, int to, int need) {
    int rest = to - from;
    needed = need;
    if (rest == 0) {
      carryLength = 0;
      if (carry.length > 64 * 1024) {
        carry = NONE; // a big frame passed: give the memory back
      }
      return;
    }
    if (a == carry) {
      System.arraycopy(carry, from, carry, 0, rest);
    } else {
      if (carry.length < Math.max(rest, need)) {
        carry = new byte[Math.max(Math.max(rest, need), 4 * 1024)];
      }
      System.arraycopy(a, from, carry, 0, rest);
    }
    carryLength = rest;
  }

  /**
   * Handles every whole frame in {@code a[pos, end)}; returns where the first partial one starts.
   */
  private int frames(byte[] a, int pos, int end, long now) {
    needed = 0;
    while (reading && !closed && end - pos >= 2) {
      int b0 = a[pos] & 0xff;
      int b1 = a[pos + 1] & 0xff;
      long length = b1 & 0x7f;
      int header = 2;
      if (length == 126) {
        header = 4;
        if (end - pos < header) {
          break;
        }
        length = ((a[pos + 2] & 0xff) << 8) | (a[pos + 3] & 0xff);
      } else if (length == 127) {
        header = 10;
        if (end - pos < header) {
          break;
        }
        length = 0;
        for (int i = 2; i < 10; i++) {
          length = (length << 8) | (a[pos + i] & 0xff);
        }
      }
      boolean masked = (b1 & 0x80) != 0;
      int maskAt = pos + header;
      if (masked) {
        header += 4;
      }
      if (length > Integer.MAX_VALUE - 64) {
        throw new IllegalStateException("frame too large: " + length + " bytes");
      }
      if (end - pos < header + length) {
        needed = (int) (header + length);
        break;
      }
      int from = pos + header;
      int to = (int) (from + length);
      if (masked) { // servers must not mask, but unmasking costs nothing here
        for (int i = from; i < to; i++) {
          a[i] ^= a[maskAt + ((i - from) & 3)];
        }
      }
      frame(b0, a, from, to, now);
      pos = to;
    }
    return pos;
  }

  private void frame(int b0, byte[] a, int from, int to, long now) {
    boolean fin = (b0 & 0x80) != 0;
    int opcode = b0 & 0x0f;
    switch (opcode) {
      case TEXT, BINARY -> {
        if (fin) {
          listener.text(this, a, from, to, now);
        } else {
          messageLength = 0;
          append(a, from, to);
        }
      }
      case CONTINUATION -> {
        append(a, from, to);
        if (fin) {
          listener.text(this, message, 0, messageLength, now);
          messageLength = 0;
          if (message.length > 64 * 1024) {
            message = NONE;
          }
        }
      }
      case PING -> send(PONG, Arrays.copyOfRange(a, from, to), to - from);
      case PONG -> {}
      case CLOSE -> {
        int code = to - from >= 2 ? ((a[from] & 0xff) << 8) | (a[from + 1] & 0xff) : 1005;
        String reason =
            to - from > 2 ? new String(a, from + 2, to - from - 2, StandardCharsets.UTF_8) : "";
        byte[] echo = Arrays.copyOfRange(a, from, Math.min(to, from + 2));
        send(CLOSE, echo, echo.length);
        fail(code, reason);
      }
      default -> throw new IllegalStateException("unknown opcode " + opcode);
    }
  }

  private void append(byte[] a, int from, int to) {
    int n = to - from;
    if (message.length < messageLength + n) {
      message = Arrays.copyOf(message, Math.max(messageLength + n, message.length * 2));
    }
    System.arraycopy(a, from, message, messageLength, n);
    messageLength += n;
  }

  /** Frames, masks and writes one message; what does not fit waits for the socket. */
  private synchronized void send(int opcode, byte[] payload, int length) {
    if (closed) {
      return;
    }
    ByteBuffer frame = ByteBuffer.allocate(length + 14);
    frame.put((byte) (0x80 | opcode));
    if (length < 126) {
      frame.put((byte) (0x80 | length));
    } else if (length < 65536) {
      frame.put((byte) (0x80 | 126));
      frame.putShort((short) length);
    } else {
      frame.put((byte) (0x80 | 127));
      frame.putLong(length);
    }
    int mask = ThreadLocalRandom.current().nextInt();
    frame.putInt(mask);
    byte[] m = {(byte) (mask >>> 24), (byte) (mask >>> 16), (byte) (mask >>> 8), (byte) mask};
    for (int i = 0; i < length; i++) {
      frame.put((byte) (payload[i] ^ m[i & 3]));
    }
    frame.flip();
    write(frame);
  }

  private synchronized void write(ByteBuffer bytes) {
    if (closed) {
      return;
    }
    try {
      if (pending == null) {
        channel.write(bytes);
        if (!bytes.hasRemaining()) {
          return;
        }
        pending = ByteBuffer.allocate(Math.max(bytes.remaining() * 2, 4096));
        loop.execute(this::wantWrite);
      }
      if (pending.remaining() < bytes.remaining()) {
        ByteBuffer bigger =
            ByteBuffer.allocate(
                Math.max(pending.capacity() * 2, pending.position() + bytes.remaining()));
        pending.flip();
        bigger.put(pending);
        pending = bigger;
      }
      pending.put(bytes);
    } catch (IOException e) {
      loop.execute(() -> fail(1006, e.getMessage()));
    }
  }

  private void wantWrite() {
    if (key != null && key.isValid()) {
      key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
    }
  }

  /** The socket can take more (loop thread). */
  synchronized void writable() {
    if (pending == null) {
      key.interestOps(key.interestOps() & ~SelectionKey.OP_WRITE);
      return;
    }
    pending.flip();
    try {
      channel.write(pending);
    } catch (IOException e) {
      pending = null;
      loop.execute(() -> fail(1006, e.getMessage()));
      return;
    }
    if (pending.hasRemaining()) {
      pending.compact();
    } else {
      pending = null;
      key.interestOps(key.interestOps() & ~SelectionKey.OP_WRITE);
    }
  }

  /** Ends the connection once (loop thread), telling the listener. */
  void fail(int code, String reason) {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      pending = null;
    }
    open = false;
    if (key != null) {
      key.cancel();
    }
    try {
      channel.close();
    } catch (IOException e) {
      // closing anyway
    }
    carry = NONE;
    carryLength = 0;
    message = NONE;
    listener.closed(this, code, reason == null ? "" : reason);
  }
}
