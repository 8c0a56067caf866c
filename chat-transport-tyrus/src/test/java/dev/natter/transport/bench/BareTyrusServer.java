package dev.natter.transport.bench;

import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.nio.transport.TCPNIOTransport;
import org.glassfish.grizzly.nio.transport.TCPNIOTransportBuilder;
import org.glassfish.grizzly.strategies.WorkerThreadIOStrategy;
import org.glassfish.grizzly.threadpool.ThreadPoolConfig;
import org.glassfish.tyrus.container.grizzly.server.WebSocketAddOn;
import org.glassfish.tyrus.core.TyrusWebSocketEngine;
import org.glassfish.tyrus.server.TyrusServerContainer;
import org.glassfish.tyrus.spi.WebSocketEngine;

/**
 * The floor of our own stack for the fan-out benchmark: Grizzly plus the Tyrus server container,
 * set up like {@code NatterServer} (one selector thread, the same worker pool size), with one
 * endpoint at {@code /ws} that relays every received text frame to every open session with {@code
 * getAsyncRemote()}. No authentication, no JSON, no store, no rooms, no limits.
 *
 * <pre>
 * taskset -c 0 java -cp CP dev.natter.transport.bench.BareTyrusServer [port] [port-file]
 * </pre>
 */
public final class BareTyrusServer {
  static final Set<Session> SESSIONS = ConcurrentHashMap.newKeySet();

  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
    Path portFile = args.length > 1 ? Path.of(args[1]) : null;
    int actual = start(port);
    if (portFile != null) {
      Files.writeString(portFile, Integer.toString(actual));
    }
    System.out.println("bare Tyrus broadcast server on port " + actual);
    Thread.currentThread().join();
  }

  static int start(int port) throws Exception {
    Container container = new Container();
    container
        .engine()
        .register(ServerEndpointConfig.Builder.create(Relay.class, "/ws").build(), "");
    HttpServer http = new HttpServer();
    NetworkListener listener = new NetworkListener("bare", "127.0.0.1", port);
    // The same defaults as NatterServer: max(4, min(16, 2 x cores)) workers, one selector.
    int workers = Math.max(4, Math.min(16, 2 * Runtime.getRuntime().availableProcessors()));
    TCPNIOTransport transport =
        TCPNIOTransportBuilder.newInstance()
            .setIOStrategy(WorkerThreadIOStrategy.getInstance())
            .setWorkerThreadPoolConfig(
                ThreadPoolConfig.defaultConfig()
                    .setPoolName("bare-worker")
                    .setCorePoolSize(workers)
                    .setMaxPoolSize(workers)
                    .setDaemon(true))
            .setSelectorThreadPoolConfig(
                ThreadPoolConfig.defaultConfig()
                    .setPoolName("bare-selector")
                    .setCorePoolSize(1)
                    .setMaxPoolSize(1)
                    .setDaemon(true))
            .setSelectorRunnersCount(1)
            .setReuseAddress(true)
            .build();
    listener.setTransport(transport);
    listener.getKeepAlive().setIdleTimeoutInSeconds(-1);
    listener.registerAddOn(new WebSocketAddOn(container, ""));
    http.addListener(listener);
    http.start();
    return listener.getPort();
  }

  /** Relays every text frame to every open session, the sender included. */
  public static final class Relay extends Endpoint {
    @Override
    public void onOpen(Session session, EndpointConfig config) {
      SESSIONS.add(session);
      session.addMessageHandler(
          new MessageHandler.Whole<String>() {
            @Override
            public void onMessage(String text) {
              for (Session s : SESSIONS) {
                if (s.isOpen()) {
                  s.getAsyncRemote().sendText(text);
                }
              }
            }
          });
    }

    @Override
    public void onClose(Session session, jakarta.websocket.CloseReason reason) {
      SESSIONS.remove(session);
    }

    @Override
    public void onError(Session session, Throwable error) {
      SESSIONS.remove(session);
    }
  }

  private static final class Container extends TyrusServerContainer {
    private final TyrusWebSocketEngine engine;

    Container() {
      super((Set<Class<?>>) null);
      this.engine = TyrusWebSocketEngine.builder(this).build();
    }

    TyrusWebSocketEngine engine() {
      return engine;
    }

    @Override
    public void register(Class<?> endpointClass) throws DeploymentException {
      engine.register(endpointClass, "");
    }

    @Override
    public void register(ServerEndpointConfig serverEndpointConfig) throws DeploymentException {
      engine.register(serverEndpointConfig, "");
    }

    @Override
    public WebSocketEngine getWebSocketEngine() {
      return engine;
    }

    @Override
    public Map<String, Object> getProperties() {
      return Map.of();
    }
  }
}
