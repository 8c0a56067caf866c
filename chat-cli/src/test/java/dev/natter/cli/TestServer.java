package dev.natter.cli;

import dev.natter.cli.serve.RunningServer;
import dev.natter.cli.serve.ServerSettings;
import dev.natter.core.security.Pbkdf2PasswordHasher;
import dev.natter.core.spi.PasswordHasher;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/** A real Natter server on a free port with its data in a temporary directory. */
public final class TestServer implements AutoCloseable {
  public static final PasswordHasher FAST_HASHER = new Pbkdf2PasswordHasher(1000);

  private final Path dataDir;
  private RunningServer running;
  private int port;

  private TestServer(Path dataDir) {
    this.dataDir = dataDir;
  }

  /** Starts a server on a free port. */
  public static TestServer start(Path dataDir) {
    TestServer s = new TestServer(dataDir);
    s.startOn(0);
    return s;
  }

  private void startOn(int p) {
    running =
        RunningServer.start(
            new ServerSettings(
                "127.0.0.1", p, dataDir, List.of(), null, null, null, null, null, false),
            FAST_HASHER);
    port = running.port();
  }

  /** Stops the server (clients see 1001 and start reconnecting). */
  public void stop() {
    running.close();
  }

  /** Starts it again on the same port and data directory. */
  public void restart() {
    startOn(port);
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public int port() {
    return port;
  }

  public Path dataDir() {
    return dataDir;
  }

  public RunningServer running() {
    return running;
  }

  @Override
  public void close() {
    running.close();
  }
}
