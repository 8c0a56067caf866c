package dev.natter.cli.bench;

import dev.natter.cli.CliException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The run's peers and their I/O loops: opens the connections with a bounded number of handshakes at
 * a time, spread over several 127.0.0.x source addresses when there are many (each source address
 * has its own range of ephemeral ports), and closes them all at the end.
 */
final class Connections implements AutoCloseable, Peer.Lifecycle {
  /**
   * Handshakes in progress at once. A server on a busy core may take a tenth of a second per
   * handshake (a member of a big room gets its presence snapshot): with many more waiting, the last
   * would wait past the server's 10 s first-request timeout and be cut (1006).
   */
  private static final int HANDSHAKES = 16;

  /** Connections per source address before another one is used. */
  static final int PER_SOURCE_ADDRESS = 16_000;

  private final BenchSpec spec;
  private final Wire wire;
  private final String runId;
  private final Meters meters;
  private final List<IoLoop> loops = new ArrayList<>();
  private final List<Peer> peers = new ArrayList<>();
  private final Semaphore handshakes = new Semaphore(HANDSHAKES);
  private final AtomicInteger ready = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final AtomicReference<String> firstFailure = new AtomicReference<>();
  private volatile String slowReaderEnd;

  Connections(BenchSpec spec, Wire wire, String runId, Meters meters, BenchClock clock) {
    this.spec = spec;
    this.wire = wire;
    this.runId = runId;
    this.meters = meters;
    for (int i = 0; i < spec.ioThreads(); i++) {
      loops.add(new IoLoop("bench-io-" + i, clock));
    }
  }

  /**
   * Opens one connection per plan and waits until each is ready or failed, or the connect timeout
   * passes (what is not ready by then is left out).
   */
  void open(List<Peer.Plan> plans) throws InterruptedException {
    checkFileLimit(plans.size());
    List<InetAddress> sources = sources(plans.size());
    long deadline = System.nanoTime() + spec.connectTimeout().toNanos();
    for (int i = 0; i < plans.size(); i++) {
      long left = deadline - System.nanoTime();
      if (left <= 0 || !handshakes.tryAcquire(left, TimeUnit.NANOSECONDS)) {
        break;
      }
      Peer p = new Peer(i, plans.get(i), runId, wire, this);
      peers.add(p);
      try {
        boolean receiverElsewhere = spec.receiversTarget() != null && i >= spec.senders();
        p.connect(
            loops.get(i % loops.size()),
            receiverElsewhere ? spec.receiversTarget().address() : spec.target().address(),
            sources.isEmpty() ? null : sources.get(i % sources.size()));
      } catch (IOException e) {
        handshakes.release();
        failed.incrementAndGet();
        firstFailure.compareAndSet(null, e.toString());
      }
    }
    long left = deadline - System.nanoTime();
    if (left > 0 && handshakes.tryAcquire(HANDSHAKES, left, TimeUnit.NANOSECONDS)) {
      handshakes.release(HANDSHAKES);
    }
  }

  private List<InetAddress> sources(int count) {
    int n = spec.sourceAddresses();
    if (n == 0) {
      n = spec.target().ipv4Loopback() ? (count + PER_SOURCE_ADDRESS - 1) / PER_SOURCE_ADDRESS : 1;
    }
    List<InetAddress> out = new ArrayList<>();
    if (n <= 1) {
      return out;
    }
    for (int i = 1; i <= n; i++) {
      try {
        out.add(InetAddress.getByAddress(new byte[] {127, 0, (byte) (i >> 8), (byte) i}));
      } catch (UnknownHostException e) {
        throw new IllegalStateException(e);
      }
    }
    return out;
  }

  /** Fails early when this process may not open that many sockets (nothing is raised here). */
  private static void checkFileLimit(int connections) {
    long limit = openFileLimit();
    if (limit > 0 && connections + 100 > limit) {
      throw CliException.failure(
          connections
              + " connections need about "
              + (connections + 100)
              + " file descriptors, but this process may open "
              + limit
              + " (raise the soft limit in the shell that runs it: ulimit -n)");
    }
  }

  private static long openFileLimit() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
        if (line.startsWith("Max open files")) {
          String soft = line.substring("Max open files".length()).strip().split("\\s+")[0];
          return soft.equals("unlimited") ? -1 : Long.parseLong(soft);
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: no check
    }
    return -1;
  }

  @Override
  public void settled(Peer peer, boolean isReady) {
    (isReady ? ready : failed).incrementAndGet();
    handshakes.release();
  }

  @Override
  public void closed(Peer peer, int code, String reason, boolean byUs) {
    String why = code + (reason.isBlank() ? "" : " " + reason);
    if (!peer.reads()) {
      slowReaderEnd = why;
    } else if (!byUs) {
      meters.closed(why);
      firstFailure.compareAndSet(null, why);
    }
  }

  List<Peer> peers() {
    return List.copyOf(peers);
  }

  int planned() {
    return spec.plannedConnections();
  }

  int ready() {
    return ready.get();
  }

  int failed() {
    return failed.get();
  }

  /** Connections open now. */
  int open() {
    return (int) peers.stream().filter(Peer::isOpen).count();
  }

  /** The first reason a connection failed or was closed by the server, or null. */
  String firstFailure() {
    return firstFailure.get();
  }

  /** How the slow reader's connection ended, or null while open. */
  String slowReaderEnd() {
    return slowReaderEnd;
  }

  /** Lets the peers that never read read again, so that a close by the server shows. */
  void resumeSlowReaders() {
    peers.stream().filter(p -> !p.reads()).forEach(Peer::resumeReading);
  }

  @Override
  public void close() {
    peers.forEach(Peer::close);
    loops.forEach(IoLoop::close);
  }
}
