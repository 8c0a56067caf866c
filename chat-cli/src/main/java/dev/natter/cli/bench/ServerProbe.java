package dev.natter.cli.bench;

import dev.natter.cli.CliException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the load generator can learn about a server process on this machine ({@code --server-pid},
 * Linux): its resident memory and CPU time from {@code /proc}, and, for a JVM when {@code jcmd} is
 * on the PATH, its heap after a full GC ({@code jcmd PID GC.run}, then {@code GC.heap_info}).
 */
final class ServerProbe {
  /** Kernel clock ticks per second of {@code /proc/PID/stat} (USER_HZ, 100 on Linux). */
  private static final double TICKS_PER_SECOND = 100;

  private static final Pattern USED = Pattern.compile("used (\\d+)([KMG])");

  /** Memory of the server: resident set, and live heap after a full GC (null: unknown). */
  record Memory(long rssKib, Long heapKib) {}

  private final long pid;
  private final Path jcmd;

  private ServerProbe(long pid, Path jcmd) {
    this.pid = pid;
    this.jcmd = jcmd;
  }

  /** A probe of process {@code pid}; a usage error when there is no such process. */
  static ServerProbe of(long pid) {
    if (!Files.isReadable(Path.of("/proc", Long.toString(pid), "status"))) {
      throw CliException.usage("no process " + pid + " on this machine (--server-pid)");
    }
    return new ServerProbe(pid, onPath("jcmd"));
  }

  long pid() {
    return pid;
  }

  /** The memory now; runs a full GC first when it can read the heap. */
  Memory memory() {
    Long heap = null;
    if (jcmd != null && isJvm() && run("GC.run") != null) {
      String info = run("GC.heap_info");
      heap = info == null ? null : heapUsedKib(info);
    }
    return new Memory(rssKib(), heap);
  }

  /** VmRSS in KiB, or -1 when the process is gone. */
  long rssKib() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      // gone
    }
    return -1;
  }

  /** CPU time (user + system) in seconds, or -1 when the process is gone. */
  double cpuSeconds() {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * The used heap in KiB from {@code jcmd GC.heap_info} output: the sum of the "used" figures of
   * the heap lines (one for G1 and ZGC, one per generation otherwise), Metaspace excluded; null
   * when there is none.
   */
  static Long heapUsedKib(String heapInfo) {
    long sum = 0;
    boolean found = false;
    for (String line : heapInfo.split("\n")) {
      String l = line.toLowerCase(Locale.ROOT);
      if (l.contains("metaspace") || l.contains("class space")) {
        continue;
      }
      Matcher m = USED.matcher(line);
      if (m.find()) {
        long v = Long.parseLong(m.group(1));
        sum +=
            switch (m.group(2)) {
              case "M" -> v * 1024;
              case "G" -> v * 1024 * 1024;
              default -> v;
            };
        found = true;
      }
    }
    return found ? sum : null;
  }

  /**
   * Whether the process runs a HotSpot JVM ({@code libjvm.so} mapped). jcmd must never be pointed
   * at anything else: attaching sends SIGQUIT, which ends a Node process.
   */
  private boolean isJvm() {
    try (var lines = Files.lines(Path.of("/proc", Long.toString(pid), "maps"))) {
      return lines.anyMatch(l -> l.endsWith("/libjvm.so"));
    } catch (IOException | java.io.UncheckedIOException e) {
      return false;
    }
  }

  /** Runs {@code jcmd PID command}; its output, or null when it failed or took over a minute. */
  private String run(String command) {
    Path out = null;
    try {
      out = Files.createTempFile("natter-bench-jcmd", ".txt");
      Process p =
          new ProcessBuilder(List.of(jcmd.toString(), Long.toString(pid), command))
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return null;
      }
      return p.exitValue() == 0 ? Files.readString(out, StandardCharsets.UTF_8) : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } finally {
      if (out != null) {
        try {
          Files.deleteIfExists(out);
        } catch (IOException e) {
          // a temp file left behind
        }
      }
    }
  }

  private static Path onPath(String command) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path p = Path.of(dir, command);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }
}
