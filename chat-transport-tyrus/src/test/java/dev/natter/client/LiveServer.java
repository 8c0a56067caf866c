package dev.natter.client;

import dev.natter.core.ChatEngine;
import dev.natter.core.security.Pbkdf2PasswordHasher;
import dev.natter.core.spi.ChatStore;
import dev.natter.core.store.memory.InMemoryChatStore;
import dev.natter.transport.NatterServer;
import java.net.URI;
import java.time.Duration;
import java.util.function.Consumer;

/** A real Natter server on port 0 over a store that outlives restarts of the server. */
final class LiveServer implements AutoCloseable {
  static final String PASSWORD = "correct horse battery";

  private final ChatStore store;
  private final Consumer<ChatEngine.Builder> config;
  private ChatEngine engine;
  private NatterServer server;
  private int port;

  private LiveServer(ChatStore store, Consumer<ChatEngine.Builder> config) {
    this.store = store;
    this.config = config;
    start(0);
  }

  static LiveServer start() {
    return start(b -> {});
  }

  /** With engine settings of the test's choosing (limits, heartbeat). */
  static LiveServer start(Consumer<ChatEngine.Builder> config) {
    return new LiveServer(new InMemoryChatStore(), config);
  }

  private void start(int onPort) {
    ChatEngine.Builder b = ChatEngine.builder(store).passwordHasher(new Pbkdf2PasswordHasher(1000));
    config.accept(b);
    engine = b.build();
    server = NatterServer.builder(engine).port(onPort).ui(false).build().start();
    port = server.port();
  }

  int port() {
    return port;
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + port);
  }

  ChatEngine engine() {
    return engine;
  }

  /** Stops the server (clients see 1001) and its engine; the store stays. */
  void stop() {
    server.close();
    engine.close();
  }

  /** Starts again on the same port and store. */
  void startAgain() {
    start(port);
  }

  /** A client builder that registers {@code username} on this server, with quick reconnects. */
  ChatClient.Builder register(String username) {
    return ChatClient.builder(uri())
        .register(username, PASSWORD, null)
        .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(500));
  }

  @Override
  public void close() {
    stop();
    store.close();
  }
}
