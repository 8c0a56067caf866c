package dev.natter.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay in front of a server, to break connections the way a network does: {@link #cut()}
 * drops every relayed connection without a WebSocket close; while {@link #refuse(boolean)} is on,
 * the port is closed, so connecting is refused as when the server is down.
 */
public final class TcpProxy implements AutoCloseable {
  private final int port;
  private final int targetPort;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private volatile ServerSocket listener;
  private volatile boolean closed;

  public TcpProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.listener = listen(0);
    this.port = listener.getLocalPort();
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** Closes the port (connections are refused) or opens it again; relayed ones stay. */
  public synchronized void refuse(boolean refuse) throws IOException {
    if (refuse && listener != null) {
      listener.close();
      listener = null;
    } else if (!refuse && listener == null && !closed) {
      listener = listen(port);
    }
  }

  private ServerSocket listen(int onPort) throws IOException {
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 50);
    Thread t = new Thread(() -> acceptLoop(s), "tcp-proxy-accept");
    t.setDaemon(true);
    t.start();
    return s;
  }

  int liveSockets() {
    return sockets.size();
  }

  /** Drops every relayed connection at once. */
  public void cut() {
    for (Socket s : sockets) {
      closeQuietly(s);
    }
    sockets.clear();
  }

  private void acceptLoop(ServerSocket server) {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream;
        try {
          upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        } catch (IOException e) {
          closeQuietly(client);
          continue;
        }
        sockets.add(client);
        sockets.add(upstream);
        pump(client, upstream);
        pump(upstream, client);
      } catch (IOException e) {
        // closed, or one failed accept: the loop condition decides
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[8192];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                  out.write(buf, 0, n);
                  out.flush();
                }
              } catch (IOException e) {
                // cut or closed
              } finally {
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
              }
            },
            "tcp-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // nothing to do
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    cut();
    try {
      if (listener != null) {
        listener.close();
      }
    } catch (IOException e) {
      // nothing to do
    }
  }
}
