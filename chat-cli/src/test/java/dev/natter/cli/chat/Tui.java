package dev.natter.cli.chat;

import static org.awaitility.Awaitility.await;

import dev.natter.cli.CliContext;
import dev.natter.cli.app.Natter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.jline.terminal.Size;
import org.jline.terminal.impl.ExternalTerminal;
import picocli.CommandLine;

/** {@code natter chat} on a JLine terminal over pipes: type keys, read the screen as text. */
final class Tui implements AutoCloseable {
  private final PipedOutputStream keys;
  private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
  private final ExternalTerminal terminal;
  private final Thread thread;
  private final AtomicInteger exitCode = new AtomicInteger(-1);
  private final StringWriter err = new StringWriter();
  private int mark;
  private volatile String status = "";
  private final java.util.List<String> statuses = new java.util.concurrent.CopyOnWriteArrayList<>();

  Tui(CliContext context, String... args) throws IOException {
    PipedInputStream in = new PipedInputStream(64 * 1024);
    keys = new PipedOutputStream(in);
    OutputStream out =
        new OutputStream() {
          @Override
          public void write(int b) {
            synchronized (screen) {
              screen.write(b);
            }
          }

          @Override
          public void write(byte[] b, int off, int len) {
            synchronized (screen) {
              screen.write(b, off, len);
            }
          }
        };
    terminal = new ExternalTerminal("test", "xterm", in, out, StandardCharsets.UTF_8);
    terminal.setSize(new Size(160, 40));
    context
        .terminalFactory(() -> terminal)
        .statusListener(
            s -> {
              status = s;
              statuses.add(s);
            });
    String[] argv = new String[args.length + 1];
    argv[0] = "chat";
    System.arraycopy(args, 0, argv, 1, args.length);
    thread =
        new Thread(
            () -> {
              CommandLine cl = Natter.commandLine(context);
              cl.setErr(new PrintWriter(err, true));
              exitCode.set(cl.execute(argv));
            },
            "tui");
    thread.setDaemon(true);
    thread.start();
  }

  /** Types text (keys as they come: \r is Enter, \t is Tab, \u001ba is Alt-A). */
  Tui type(String text) throws IOException {
    keys.write(text.getBytes(StandardCharsets.UTF_8));
    keys.flush();
    return this;
  }

  /** Types a line and Enter. */
  Tui line(String text) throws IOException {
    return type(text + "\r");
  }

  /** Everything printed so far, escape sequences removed. */
  String text() {
    String raw;
    synchronized (screen) {
      raw = screen.toString(StandardCharsets.UTF_8);
    }
    return strip(raw);
  }

  /** Everything printed, with the escape sequences. */
  String raw() {
    synchronized (screen) {
      return screen.toString(StandardCharsets.UTF_8);
    }
  }

  /** What was printed since the last {@link #mark()}. */
  String sinceMark() {
    String t = text();
    return t.substring(Math.min(mark, t.length()));
  }

  Tui mark() {
    mark = text().length();
    return this;
  }

  Tui waitFor(String text) {
    return waitFor(text, Duration.ofSeconds(10));
  }

  Tui waitFor(String text, Duration timeout) {
    await()
        .alias("'" + text + "' on screen; since the mark:\n" + tail(sinceMark()))
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(20))
        .failFast(
            "natter chat ended:\n" + err, () -> !thread.isAlive() && !sinceMark().contains(text))
        .until(() -> sinceMark().contains(text));
    return this;
  }

  /** Waits until the status line contains {@code text}. */
  Tui waitForStatus(String text) {
    await()
        .alias("'" + text + "' in the status line; it is: " + status + "\nscreen:\n" + tail(text()))
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> status.contains(text));
    return this;
  }

  String status() {
    return status;
  }

  /** Every status the client showed, in order (with a line per upload above the status line). */
  java.util.List<String> statuses() {
    return java.util.List.copyOf(statuses);
  }

  /** How many times the terminal bell rang (BEL characters outside escape sequences). */
  int bells() {
    String outsideOsc = raw().replaceAll("\u001b\\][^\u0007\u001b]*(\u0007|\u001b\\\\)", "");
    return (int) outsideOsc.chars().filter(c -> c == '\u0007').count();
  }

  /**
   * The style parameters in effect for the last {@code text} on the screen: those of the SGR
   * sequences since the last reset before it ({@code [1, 30, 43]} for bold black on yellow).
   */
  java.util.Set<String> styleOf(String text) {
    String r = raw();
    int at = r.lastIndexOf(text);
    java.util.Set<String> params = new java.util.LinkedHashSet<>();
    if (at < 0) {
      return params;
    }
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("\u001b\\[([0-9;]*)m").matcher(r.substring(0, at));
    while (m.find()) {
      for (String p : m.group(1).split(";")) {
        if (p.isEmpty() || p.equals("0")) {
          params.clear();
        } else if (p.equals("39")) {
          params.removeIf(q -> q.matches("3[0-8]|9[0-7]"));
        } else if (p.equals("49")) {
          params.removeIf(q -> q.matches("4[0-8]|10[0-7]"));
        } else if (p.equals("22")) {
          params.remove("1");
        } else {
          params.add(p);
        }
      }
    }
    return params;
  }

  /** Waits for the client to end; returns its exit code. */
  int awaitExit() throws InterruptedException {
    thread.join(10_000);
    return exitCode.get();
  }

  String err() {
    return err.toString();
  }

  private static String tail(String s) {
    return s.length() > 3000 ? s.substring(s.length() - 3000) : s;
  }

  static String strip(String s) {
    return s.replaceAll("\u001b\\[[0-9;?]*[ -/]*[@-~]", "")
        .replaceAll("\u001b\\][^\u0007\u001b]*(\u0007|\u001b\\\\)", "")
        .replaceAll("\u001b[()][0-9A-Za-z]", "")
        .replaceAll("\u001b[=>78]", "")
        .replace("\r", "");
  }

  @Override
  public void close() throws Exception {
    if (thread.isAlive()) {
      try {
        type("\u0004"); // Ctrl-D
      } catch (IOException e) {
        // gone
      }
      thread.join(5_000);
    }
    if (thread.isAlive()) {
      thread.interrupt();
    }
    terminal.close();
  }
}
