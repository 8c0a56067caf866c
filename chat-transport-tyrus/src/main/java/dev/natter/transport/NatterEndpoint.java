package dev.natter.transport;

import dev.natter.core.ChatException;
import dev.natter.core.ConnectedClient;
import dev.natter.core.protocol.ClientCommand;
import dev.natter.core.protocol.CloseCode;
import dev.natter.core.protocol.ErrorCode;
import dev.natter.transport.internal.PublicEndpoint;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code /ws} endpoint: one instance per WebSocket, made by its configurator and handed to
 * Tyrus inside a {@link PublicEndpoint}.
 */
final class NatterEndpoint extends Endpoint {
  private static final Logger LOG = LoggerFactory.getLogger(NatterEndpoint.class);
  private static final String CONNECTION_ID = "natter.connectionId";

  private final EndpointContext context;
  private volatile WsConnection connection;

  NatterEndpoint(EndpointContext context) {
    this.context = context;
  }

  /** The endpoint's configuration: path {@code /ws}, one endpoint instance per connection. */
  static ServerEndpointConfig config(EndpointContext context) {
    return ServerEndpointConfig.Builder.create(PublicEndpoint.class, "/ws")
        .configurator(
            new ServerEndpointConfig.Configurator() {
              @Override
              public <T> T getEndpointInstance(Class<T> endpointClass) {
                return endpointClass.cast(new PublicEndpoint(new NatterEndpoint(context)));
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
    UpgradeGate.Pending pending = context.gate().take(id == null ? null : id.toString());
    if (pending == null) {
      closeQuietly(session, CloseCode.POLICY, "not authenticated");
      return;
    }
    session.setMaxTextMessageBufferSize(context.maxFrameBytes());
    session.setMaxBinaryMessageBufferSize(context.maxFrameBytes());
    // Never idle out: the heartbeat closes silent connections. Negative, not 0: with 0, Tyrus 2.2
    // schedules a no-op idle check on its timer thread for every message received.
    session.setMaxIdleTimeout(-1);
    WsConnection c = context.sockets().open(id.toString(), session, pending.socket());
    connection = c;
    context.gate().bind(pending.socket(), c);
    session.addMessageHandler(String.class, (MessageHandler.Whole<String>) this::onText);
    session.addMessageHandler(
        PongMessage.class, (MessageHandler.Whole<PongMessage>) pong -> c.heard());
    session.addMessageHandler(ByteBuffer.class, (MessageHandler.Whole<ByteBuffer>) this::onBinary);
    try {
      ConnectedClient client =
          context.metrics().timed("connect", () -> context.engine().connect(pending.auth(), c));
      c.attach(client);
    } catch (RuntimeException e) {
      LOG.warn("could not attach a connection", e);
      c.close(CloseCode.INTERNAL_ERROR);
    } finally {
      pending.permit().release(); // the handshake's work is done
    }
  }

  private void onText(String text) {
    WsConnection c = connection;
    c.heard();
    context.metrics().framesIn.increment();
    ConnectedClient client = c.client();
    if (client == null) {
      return;
    }
    ClientCommand command;
    try {
      command = context.codec().decodeCommand(text);
    } catch (ChatException e) {
      context.metrics().malformedFrames.increment();
      client.reject(context.codec().requestId(text), e);
      return;
    }
    context
        .metrics()
        .timed(
            commandName(command),
            () -> {
              client.handle(command);
              return null;
            });
  }

  private void onBinary(ByteBuffer data) {
    WsConnection c = connection;
    c.heard();
    context.metrics().framesIn.increment();
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
    context.metrics().closed(c.closeCode(closeReason));
    context.sockets().ended(c);
    ConnectedClient client = c.client();
    if (client != null) {
      client.disconnected();
    }
  }

  /**
   * A failure Tyrus reports for this socket: I/O failures (a peer gone) are routine; anything else
   * escaped a handler, is counted ({@code natter.ws.failures}) and logged as a warning.
   */
  @Override
  public void onError(Session session, Throwable thr) {
    if (isIo(thr)) {
      LOG.debug("WebSocket I/O error", thr);
    } else {
      context.metrics().endpointFailures.increment();
      LOG.warn("WebSocket endpoint failure", thr);
    }
  }

  private static boolean isIo(Throwable thr) {
    for (Throwable t = thr; t != null; t = t.getCause()) {
      if (t instanceof java.io.IOException) {
        return true;
      }
    }
    return false;
  }

  private static void closeQuietly(Session session, CloseCode code, String reason) {
    try {
      session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code.code()), reason));
    } catch (Exception e) {
      LOG.debug("close failed", e);
    }
  }
}
