package dev.natter.client;

import dev.natter.core.ChatEngine;
import dev.natter.core.security.Pbkdf2PasswordHasher;
import dev.natter.core.spi.ChatStore;
import dev.natter.core.store.memory.InMemoryChatStore;
import dev.natter.transport.NatterServer;
import java.net.URI;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A real Natter server on port 0 that can stop and start again on the same port: over one in-memory
 * store that outlives the restarts, or over a store reopened on each start (SQLite).
 */
final class LiveServer implements AutoCloseable {
  static final String PASSWORD = "correct horse battery";

  private final Supplier<ChatStore> stores;
  private final boolean reopenStore;
  private final Consumer<ChatEngine.Builder> config;
  private ChatStore store;
  private ChatEngine engine;
  private NatterServer server;
  private int port;

  private LiveServer(
      Supplier<ChatStore> stores, boolean reopenStore, Consumer<ChatEngine.Builder> config) {
    this.stores = stores;
    this.reopenStore = reopenStore;
    this.config = config;
    this.store = stores.get();
    start(0);
  }

  static LiveServer start() {
    return start(b -> {});
  }

  /** With engine settings of the test's choosing (limits, heartbeat). */
  static LiveServer start(Consumer<ChatEngine.Builder> config) {
    InMemoryChatStore memory = new InMemoryChatStore();
    return new LiveServer(() -> memory, false, config);
  }

  /** Over a store that is closed on {@link #stop()} and opened again on {@link #startAgain()}. */
  static LiveServer reopening(Supplier<ChatStore> stores) {
    return new LiveServer(stores, true, b -> {});
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

  /** Stops the server (clients see 1001) and its engine, and closes a reopening store. */
  void stop() {
    if (server == null) {
      return;
    }
    server.close();
    engine.close();
    server = null;
    if (reopenStore) {
      store.close();
    }
  }

  /** Starts again on the same port (and the same, or reopened, store). */
  void startAgain() {
    if (reopenStore) {
      store = stores.get();
    }
    start(port);
  }

  /** A client builder that registers {@code username} on this server, with quick reconnects. */
  ChatClientBuilder register(String username) {
    return ChatClient.builder(uri())
        .register(username, PASSWORD)
        .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(500));
  }

  @Override
  public void close() {
    stop();
    store.close();
  }
}
