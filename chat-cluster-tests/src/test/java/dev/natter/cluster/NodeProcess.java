package dev.natter.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One {@code natter serve} in a child JVM on this module's test classpath ({@link TestNode}), on
 * loopback with {@code --port 0}; its port comes from {@code --port-file}. Its output goes to
 * {@code node-<id>.log} in the cluster's directory.
 */
final class NodeProcess implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  final String nodeId;
  private final Process process;
  private final Path log;
  private volatile int port = -1;

  private NodeProcess(String nodeId, Process process, Path log) {
    this.nodeId = nodeId;
    this.process = process;
    this.log = log;
  }

  /** Starts a node; {@link #awaitPort()} waits until it listens. */
  static NodeProcess start(
      Path dir, String nodeId, String storeUrl, String busUrl, String busPrefix) {
    Path portFile = dir.resolve("port-" + nodeId);
    Path log = dir.resolve("node-" + nodeId + ".log");
    try {
      Files.deleteIfExists(portFile);
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.addAll(
          List.of(
              "-Xmx256m",
              "-XX:+UseSerialGC",
              "-XX:TieredStopAtLevel=1",
              "-Xshare:auto",
              "-cp",
              System.getProperty("java.class.path"),
              TestNode.class.getName(),
              "serve",
              "--host",
              "127.0.0.1",
              "--port",
              "0",
              "--port-file",
              portFile.toString(),
              "--data-dir",
              dir.resolve("data-" + nodeId).toString(),
              "--store",
              storeUrl,
              "--bus",
              busUrl,
              "--bus-prefix",
              busPrefix,
              "--node-id",
              nodeId,
              "--presence-ttl",
              "2s",
              "--send-rate",
              "100000/s",
              "--read-rate",
              "100000/s",
              "--no-ui"));
      ProcessBuilder pb =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().put("NATTER_ALLOWED_ORIGINS", "http://127.0.0.1");
      NodeProcess node = new NodeProcess(nodeId, pb.start(), log);
      node.portFile = portFile;
      return node;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path portFile;

  /** Waits until the node wrote its port (it listens then), or fails with its log. */
  NodeProcess awaitPort() {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (Files.exists(portFile)) {
          port = Integer.parseInt(Files.readString(portFile).strip());
          return this;
        }
        if (!process.isAlive()) {
          throw new IllegalStateException(
              "node " + nodeId + " exited with " + process.exitValue() + ":\n" + tail());
        }
        Thread.sleep(50);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("node " + nodeId + " did not start in time:\n" + tail());
  }

  int port() {
    return port;
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + port);
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** {@code kill -9}: no shutdown hook, no clean-up, nothing flushed that was not committed. */
  void kill9() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The end of the node's log, for failure messages. */
  String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** SIGTERM (a clean stop), then SIGKILL if it takes too long. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
