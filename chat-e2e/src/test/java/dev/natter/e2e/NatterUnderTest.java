package dev.natter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.natter.core.ChatEngine;
import dev.natter.core.Limits;
import dev.natter.core.security.Pbkdf2PasswordHasher;
import dev.natter.core.store.blob.FileSystemBlobStore;
import dev.natter.store.sqlite.SqliteChatStore;
import dev.natter.transport.NatterServer;
import java.nio.file.Path;
import java.util.List;

/**
 * The real thing: a {@link NatterServer} with the chat-web UI from the test classpath, in front of
 * a {@link ChatEngine} over a SQLite file, on 127.0.0.1.
 *
 * <p>The first {@link #start()} binds port 0; {@link #stop()} then {@link #start()} again reopens
 * the same SQLite file and listens on the same port, which is what a restart looks like to a
 * browser.
 */
final class NatterUnderTest implements AutoCloseable {
  private final Path databaseFile;
  private final Limits limits;
  private SqliteChatStore store;
  private final Path filesDirectory;
  private ChatEngine engine;
  private NatterServer server;
  private int port;

  NatterUnderTest(Path directory) {
    this(directory, Limits.defaults());
  }

  /** With other engine limits (say, a faster send rate for a test that writes many messages). */
  NatterUnderTest(Path directory, Limits limits) {
    this.databaseFile = directory.resolve("natter.db");
    this.filesDirectory = directory.resolve("files");
    this.limits = limits;
  }

  /** Opens the store and starts listening (port 0 the first time, the same port afterwards). */
  NatterUnderTest start() {
    if (server != null) {
      throw new IllegalStateException("already running");
    }
    store = SqliteChatStore.open(databaseFile);
    try {
      engine =
          ChatEngine.builder(store)
              .passwordHasher(new Pbkdf2PasswordHasher(1000))
              .limits(limits)
              .blobStore(blobs())
              .build();
      var builder = NatterServer.builder(engine).host("127.0.0.1").port(port);
      if (port != 0) {
        builder.allowedOrigins(List.of(origin(port)));
      }
      server = builder.build().start();
    } catch (RuntimeException e) {
      closeQuietly();
      throw e;
    }
    if (port == 0) {
      port = server.port();
    }
    assertThat(server.port()).isEqualTo(port);
    assertThat(server.servesUi())
        .as(
            "the chat-web UI bundle (classpath natter-ui/index.html) is missing: build chat-web with"
                + " npm (do not pass -Dskip.npm=true) before running chat-e2e")
        .isTrue();
    assertThat(server.allowedOrigins()).contains(origin());
    return this;
  }

  /** Uploaded files, in the data directory as {@code natter serve} keeps them. */
  private FileSystemBlobStore blobs() {
    try {
      return FileSystemBlobStore.open(filesDirectory);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Closes the server, the engine and the store: browsers see their WebSocket close (1001). */
  void stop() {
    if (server == null) {
      throw new IllegalStateException("not running");
    }
    closeQuietly();
  }

  /** {@code http://127.0.0.1:<port>}, also the one allowed browser origin. */
  String origin() {
    if (port == 0) {
      throw new IllegalStateException("not started yet");
    }
    return origin(port);
  }

  int port() {
    return port;
  }

  /** Open WebSocket connections (0 while stopped). */
  int connectionCount() {
    NatterServer s = server;
    return s == null ? 0 : s.connectionCount();
  }

  private static String origin(int port) {
    return "http://127.0.0.1:" + port;
  }

  private void closeQuietly() {
    RuntimeException failure = null;
    for (AutoCloseable c : new AutoCloseable[] {server, engine, store}) {
      if (c == null) {
        continue;
      }
      try {
        c.close();
      } catch (Exception e) {
        if (failure == null) {
          failure = new IllegalStateException("could not stop the server cleanly", e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    server = null;
    engine = null;
    store = null;
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public void close() {
    if (server != null || engine != null || store != null) {
      closeQuietly();
    }
  }
}
