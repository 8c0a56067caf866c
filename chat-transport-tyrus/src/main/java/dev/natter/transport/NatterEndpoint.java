package dev.natter.transport;

import dev.natter.core.ChatException;
import dev.natter.core.ConnectedClient;
import dev.natter.core.protocol.ClientCommand;
import dev.natter.core.protocol.ErrorCode;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@code /ws} endpoint: one instance per WebSocket. Public only because Tyrus calls it
 * reflectively; not API (it cannot be constructed outside this package).
 */
public final class NatterEndpoint extends Endpoint {
  private static final Logger LOG = Logger.getLogger(NatterEndpoint.class.getName());
  private static final String CONNECTION_ID = "natter.connectionId";

  private final NatterServer server;
  private volatile WsConnection connection;

  NatterEndpoint(NatterServer server) {
    this.server = server;
  }

  /** The endpoint's configuration: path {@code /ws}, one endpoint instance per connection. */
  static ServerEndpointConfig config(NatterServer server) {
    return ServerEndpointConfig.Builder.create(NatterEndpoint.class, "/ws")
        .configurator(
            new ServerEndpointConfig.Configurator() {
              @Override
              public <T> T getEndpointInstance(Class<T> endpointClass) {
                return endpointClass.cast(new NatterEndpoint(server));
              }

              @Override
              public boolean checkOrigin(String originHeaderValue) {
                return true; // the UpgradeGate has checked it already
              }

              @Override
              public void modifyHandshake(
                  ServerEndpointConfig sec, HandshakeRequest request, HandshakeResponse response) {
                List<String> ids = request.getHeaders().get(UpgradeGate.CONNECTION_HEADER);
                if (ids == null) {
                  ids = request.getHeaders().get(UpgradeGate.CONNECTION_HEADER.toLowerCase());
                }
                if (ids != null && !ids.isEmpty()) {
                  sec.getUserProperties().put(CONNECTION_ID, ids.get(0));
                }
              }
            })
        .build();
  }

  @Override
  public void onOpen(Session session, EndpointConfig config) {
    Object id = session.getUserProperties().get(CONNECTION_ID);
    if (id == null) {
      id = config.getUserProperties().get(CONNECTION_ID);
    }
    UpgradeGate.Pending pending = server.gate().take(id == null ? null : id.toString());
    if (pending == null) {
      closeQuietly(session, CloseReason.CloseCodes.VIOLATED_POLICY, "not authenticated");
      return;
    }
    session.setMaxTextMessageBufferSize(server.maxFrameBytes());
    session.setMaxBinaryMessageBufferSize(server.maxFrameBytes());
    session.setMaxIdleTimeout(0);
    WsConnection c = server.newConnection(id.toString(), session, pending.socket());
    connection = c;
    UpgradeGate.bind(pending.socket(), c);
    session.addMessageHandler(String.class, (MessageHandler.Whole<String>) this::onText);
    session.addMessageHandler(
        PongMessage.class, (MessageHandler.Whole<PongMessage>) pong -> c.heard());
    session.addMessageHandler(ByteBuffer.class, (MessageHandler.Whole<ByteBuffer>) this::onBinary);
    server.opened(c);
    try {
      ConnectedClient client =
          server.timed("connect", () -> server.engine().connect(pending.auth(), c));
      c.attach(client);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "could not attach a connection", e);
      c.close(CloseReason.CloseCodes.UNEXPECTED_CONDITION.getCode(), "internal error");
    }
  }

  private void onText(String text) {
    WsConnection c = connection;
    c.heard();
    server.metrics().framesIn.increment();
    ConnectedClient client = c.client();
    if (client == null) {
      return;
    }
    ClientCommand command;
    try {
      command = server.codec().decodeCommand(text);
    } catch (ChatException e) {
      server.metrics().malformedFrames.increment();
      client.reject(server.codec().requestId(text), e);
      return;
    }
    server.timed(
        commandName(command),
        () -> {
          client.handle(command);
          return null;
        });
  }

  private void onBinary(ByteBuffer data) {
    WsConnection c = connection;
    c.heard();
    server.metrics().framesIn.increment();
    ConnectedClient client = c.client();
    if (client != null) {
      client.reject(
          null,
          new ChatException(
              ErrorCode.BAD_REQUEST, "binary frames are not supported; send JSON text"));
    }
  }

  private static String commandName(ClientCommand command) {
    String n = command.getClass().getSimpleName();
    return "ws." + Character.toLowerCase(n.charAt(0)) + n.substring(1);
  }

  @Override
  public void onClose(Session session, CloseReason closeReason) {
    WsConnection c = connection;
    if (c == null) {
      return;
    }
    server.metrics().closed(closeReason.getCloseCode().getCode());
    server.closed(c);
    ConnectedClient client = c.client();
    if (client != null) {
      client.disconnected();
    }
  }

  @Override
  public void onError(Session session, Throwable thr) {
    LOG.log(Level.FINE, "WebSocket error", thr);
  }

  private static void closeQuietly(Session session, CloseReason.CloseCode code, String reason) {
    try {
      session.close(new CloseReason(code, reason));
    } catch (Exception e) {
      LOG.log(Level.FINE, "close failed", e);
    }
  }
}
