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
 * An nginx of the test's own, in front of the nodes: a config generated from the repository's
 * deploy/nginx/natter.conf rules (WebSocket upgrade, long proxy timeouts, least_conn, no sticky
 * sessions) on a free loopback port, run as a child process ({@code nginx -c <file> -p <dir>},
 * {@code daemon off}).
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
      StringBuilder servers = new StringBuilder();
      for (int p : upstreamPorts) {
        servers.append("    server 127.0.0.1:").append(p).append(" max_fails=1 fail_timeout=2s;\n");
      }
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
              + "  map $http_upgrade $connection_upgrade { default upgrade; '' close; }\n"
              + "  upstream natter {\n"
              + "    least_conn;\n"
              + servers
              + "  }\n"
              + "  server {\n"
              + "    listen 127.0.0.1:"
              + port
              + ";\n"
              + "    location / {\n"
              + "      proxy_pass http://natter;\n"
              + "      proxy_http_version 1.1;\n"
              + "      proxy_set_header Upgrade $http_upgrade;\n"
              + "      proxy_set_header Connection $connection_upgrade;\n"
              + "      proxy_set_header Host $host;\n"
              + "      proxy_connect_timeout 2s;\n"
              + "      proxy_read_timeout 120s;\n"
              + "      proxy_send_timeout 120s;\n"
              + "      proxy_next_upstream error timeout http_502 http_503;\n"
              + "    }\n"
              + "  }\n"
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
