package dev.natter.examples;

import dev.natter.store.sqlite.SqliteChatStore;
import dev.natter.transport.NatterServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A complete Natter server inside a Java application: SQLite store, chat engine, WebSocket + HTTP
 * API, and the browser UI when {@code chat-web} is on the classpath. The {@link NatterServer} owns
 * the store and the engine it builds, and closing it closes them in order.
 *
 * <pre>
 * ./mvnw -q -pl examples -am install -DskipTests
 * ./mvnw -q -pl examples exec:java -Dexec.mainClass=dev.natter.examples.EmbeddedServerExample \
 *     -Dexec.args="natter-data 8080"
 * </pre>
 */
public final class EmbeddedServerExample {
  private EmbeddedServerExample() {}

  /** Arguments: the data directory (default {@code natter-data}) and the port (default 8080). */
  public static void main(String[] args) throws Exception {
    Path dataDir = Path.of(args.length > 0 ? args[0] : "natter-data");
    int port = args.length > 1 ? Integer.parseInt(args[1]) : 8080;
    NatterServer natter = start(dataDir, port);
    Runtime.getRuntime().addShutdownHook(new Thread(natter::close));
    System.out.println("Natter is running at " + natter.uri() + " (Ctrl-C stops it)");
    Thread.currentThread().join();
  }

  /** The whole server: closing it stops the transport, then the engine, then the store. */
  public static NatterServer start(Path dataDir, int port) throws IOException {
    // tag::embedded[]
    Files.createDirectories(dataDir);
    return NatterServer.builder()
        .store(SqliteChatStore.open(dataDir.resolve("natter.db"))) // the server owns and closes it
        .port(port) // 0 picks a free port: see uri()
        .start();
    // end::embedded[]
  }
}
