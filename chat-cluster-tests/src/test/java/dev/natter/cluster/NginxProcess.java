package dev.natter.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An nginx of the test's own, in front of the nodes: the repository's deploy/nginx/natter.conf
 * (WebSocket upgrade, long proxy timeouts, least_conn, no sticky sessions) with the nodes' ports
 * and a free loopback port, in an http block of its own, run as a child process ({@code nginx -c
 * <file> -p <dir>}, {@code daemon off}).
 */
final class NginxProcess implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path dir;

  private NginxProcess(Process process, int port, Path dir) {
    this.process = process;
    this.port = port;
    this.dir = dir;
  }

  static NginxProcess start(Path nginx, Path dir, List<Integer> upstreamPorts) {
    try {
      Path home = Files.createDirectories(dir.resolve("nginx"));
      Files.createDirectories(home.resolve("tmp"));
      int port = freePort();
      boolean root = "root".equals(System.getProperty("user.name"));
      String conf =
          (root ? "user root;\n" : "")
              + "worker_processes 1;\n"
              + "daemon off;\n"
              + "pid "
              + home.resolve("nginx.pid")
              + ";\n"
              + "error_log "
              + home.resolve("error.log")
              + " warn;\n"
              + "events { worker_connections 1024; }\n"
              + "http {\n"
              + "  access_log off;\n"
              + "  client_body_temp_path "
              + home.resolve("tmp/body")
              + ";\n"
              + "  proxy_temp_path "
              + home.resolve("tmp/proxy")
              + ";\n"
              + "  fastcgi_temp_path "
              + home.resolve("tmp/fastcgi")
              + ";\n"
              + "  uwsgi_temp_path "
              + home.resolve("tmp/uwsgi")
              + ";\n"
              + "  scgi_temp_path "
              + home.resolve("tmp/scgi")
              + ";\n"
              + site(upstreamPorts, port)
              + "}\n";
      Path file = home.resolve("nginx.conf");
      Files.writeString(file, conf);
      Process process =
          new ProcessBuilder(nginx.toString(), "-c", file.toString(), "-p", home.toString())
              .redirectErrorStream(true)
              .redirectOutput(home.resolve("stdout.log").toFile())
              .start();
      NginxProcess n = new NginxProcess(process, port, home);
      n.awaitListening();
      return n;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The repository's deploy/nginx/natter.conf with the nodes' ports in its upstream and a free port
   * to listen on: the suite tests the file the operations guide installs.
   */
  static String site(List<Integer> upstreamPorts, int listenPort) throws IOException {
    Path file = Path.of(System.getProperty("natter.repoRoot", ".."), "deploy/nginx/natter.conf");
    StringBuilder out = new StringBuilder();
    boolean serversWritten = false;
    for (String line : Files.readAllLines(file)) {
      String t = line.strip();
      if (t.matches("server 127\\.0\\.0\\.1:\\d+ .*;")) {
        if (!serversWritten) {
          for (int p : upstreamPorts) {
            out.append(line.replaceFirst("127\\.0\\.0\\.1:\\d+", "127.0.0.1:" + p)).append('\n');
          }
          serversWritten = true;
        }
      } else if (t.matches("listen 127\\.0\\.0\\.1:\\d+;")) {
        out.append(line.replaceFirst("127\\.0\\.0\\.1:\\d+", "127.0.0.1:" + listenPort))
            .append('\n');
      } else {
        out.append(line).append('\n');
      }
    }
    if (!serversWritten || !out.toString().contains("127.0.0.1:" + listenPort)) {
      throw new IllegalStateException(file + " has no upstream servers or listen line to adapt");
    }
    return out.toString();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + port);
  }

  private void awaitListening() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("nginx exited: " + log());
      }
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
        return;
      } catch (IOException e) {
        try {
          Thread.sleep(50);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
    throw new IllegalStateException("nginx did not listen in time: " + log());
  }

  private String log() {
    try {
      return Files.readString(dir.resolve("error.log"))
          + Files.readString(dir.resolve("stdout.log"));
    } catch (IOException e) {
      return e.toString();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    process.destroy(); // SIGTERM: a fast shutdown of master and worker
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
