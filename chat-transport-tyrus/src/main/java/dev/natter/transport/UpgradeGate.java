package dev.natter.transport;

import dev.natter.codec.JsonCodec;
import dev.natter.core.Authenticated;
import dev.natter.core.ChatException;
import dev.natter.core.protocol.CloseCode;
import dev.natter.core.protocol.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.Closeable;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.EmptyCompletionHandler;
import org.glassfish.grizzly.Grizzly;
import org.glassfish.grizzly.WriteResult;
import org.glassfish.grizzly.attributes.Attribute;
import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChain;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.http.HttpContent;
import org.glassfish.grizzly.http.HttpHeader;
import org.glassfish.grizzly.http.HttpRequestPacket;
import org.glassfish.grizzly.http.HttpResponsePacket;
import org.glassfish.grizzly.http.Protocol;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.HttpServerFilter;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.memory.Buffers;
import org.glassfish.grizzly.utils.IdleTimeoutFilter;

/**
 * A Grizzly filter in front of Tyrus's WebSocket filter. It refuses an upgrade at HTTP level before
 * Tyrus sees it: 404 for a path other than {@code /ws}, 403 for a browser {@code Origin} not in the
 * allow-list, 401 without a valid session (cookie or bearer token). An accepted upgrade gets a
 * connection id in an internal request header, which the Tyrus configurator passes to the endpoint,
 * so the endpoint finds the authenticated session and the TCP connection (to cut it when a peer
 * stops reading). It also notes when plain HTTP connections were last used, so idle keep-alive
 * connections can be closed (the listener's own keep-alive timeout is off because it would end
 * WebSockets).
 */
final class UpgradeGate extends BaseFilter {
  /** The internal header that carries the connection id from the gate to the endpoint. */
  static final String CONNECTION_HEADER = "X-Natter-Connection";

  private static final Attribute<Boolean> UPGRADED =
      Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute(UpgradeGate.class.getName() + ".upgraded");
  private static final Attribute<FrameGuard> GUARD =
      Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute(UpgradeGate.class.getName() + ".guard");
  private static final Attribute<Boolean> DISCARD =
      Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute(UpgradeGate.class.getName() + ".discard");
  private static final Attribute<WsConnection> SOCKET =
      Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute(UpgradeGate.class.getName() + ".socket");
  private static final Attribute<Boolean> FRESH =
      Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute(UpgradeGate.class.getName() + ".fresh");
  private static final Attribute<HandshakeBudget.Permit> OPENING =
      Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute(UpgradeGate.class.getName() + ".opening");
  // Grizzly's attributes by name (the same instances its HTTP codec uses): the upgrade request it
  // keeps for the connection, and its keep-alive record
  private static final Attribute<Object> HTTP_REQUEST =
      Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute(
          org.glassfish.grizzly.http.HttpServerFilter.HTTP_SERVER_REQUEST_ATTR_NAME);
  private static final Attribute<Object> KEEP_ALIVE =
      Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute("HttpServerFilter.KeepAliveContext");

  /** The header of every frame batch that reaches Tyrus through {@link #useWebSocketChain}. */
  private static final HttpRequestPacket FRAMES_HEADER =
      HttpRequestPacket.builder().method("GET").uri("/ws").protocol(Protocol.HTTP_1_1).build();

  private static final Attribute<Boolean> TRACKED =
      Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute(UpgradeGate.class.getName() + ".tracked");

  /**
   * An accepted upgrade waiting for its endpoint, holding its share of the handshake budget until
   * the endpoint has attached it (or the connection ends).
   */
  record Pending(
      Authenticated auth,
      Connection<?> socket,
      String remoteAddress,
      HandshakeBudget.Permit permit) {}

  private final Function<String, Authenticated> authenticate;
  private final JsonCodec codec;
  private final ServerMetrics metrics;
  private final Predicate<String> originAllowed;
  private final int maxFrameBytes;
  private final ConnectionCaps caps;
  private final HandshakeBudget budget;
  private final AtomicLong ids = new AtomicLong();
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final Map<Connection<?>, Long> httpLastUsed = new ConcurrentHashMap<>();
  private volatile FilterChain webSocketChain;

  private static final String TYRUS_FILTER =
      "org.glassfish.tyrus.container.grizzly.server.GrizzlyServerFilter";

  /**
   * @param authenticate the user and session behind a token ({@code Unauthorized} otherwise)
   * @param originAllowed whether a browser origin may open a WebSocket
   */
  UpgradeGate(
      Function<String, Authenticated> authenticate,
      JsonCodec codec,
      ServerMetrics metrics,
      Predicate<String> originAllowed,
      int maxFrameBytes,
      ConnectionCaps caps,
      HandshakeBudget budget) {
    this.maxFrameBytes = maxFrameBytes;
    this.caps = caps;
    this.budget = budget;
    this.authenticate = authenticate;
    this.codec = codec;
    this.metrics = metrics;
    this.originAllowed = originAllowed;
  }

  /** Installs the gate right before the HTTP handler filter (call before Tyrus's add-on). */
  AddOn addOn() {
    return new AddOn() {
      @Override
      public void setup(NetworkListener listener, FilterChainBuilder builder) {
        int i = builder.indexOfType(HttpServerFilter.class);
        if (i < 0) {
          throw new IllegalStateException("no HttpServerFilter in the filter chain");
        }
        builder.add(i, UpgradeGate.this);
      }
    };
  }

  /** Takes the accepted upgrade with this id (once). */
  Pending take(String connectionId) {
    return connectionId == null ? null : pending.remove(connectionId);
  }

  /**
   * Closes plain HTTP connections unused for longer than {@code idleMs}, and new ones that have not
   * sent a complete request header within {@code firstRequestMs}.
   */
  void closeIdleHttp(long idleMs, long firstRequestMs) {
    long now = System.nanoTime();
    httpLastUsed.forEach(
        (conn, last) -> {
          long limitMs =
              Boolean.TRUE.equals(FRESH.get(conn)) ? Math.min(firstRequestMs, idleMs) : idleMs;
          if (now - last > limitMs * 1_000_000L && !Boolean.TRUE.equals(UPGRADED.get(conn))) {
            httpLastUsed.remove(conn);
            conn.closeSilently();
          }
        });
  }

  int trackedHttpConnections() {
    return httpLastUsed.size();
  }

  /**
   * A new connection counts as used now: one that never completes a request (or an upgrade) is
   * closed after the idle timeout like any idle keep-alive connection.
   */
  @Override
  public NextAction handleAccept(FilterChainContext ctx) throws IOException {
    Connection<?> conn = ctx.getConnection();
    HandshakeBudget.Permit opening = budget.opened();
    OPENING.set(conn, opening);
    onClose(conn, opening::release);
    FRESH.set(conn, Boolean.TRUE);
    track(conn);
    return ctx.getInvokeAction();
  }

  @Override
  public NextAction handleRead(FilterChainContext ctx) throws IOException {
    Object message = ctx.getMessage();
    Connection<?> conn = ctx.getConnection();
    if (message instanceof Buffer bytes && Boolean.TRUE.equals(UPGRADED.get(conn))) {
      HttpContent frames = HttpContent.builder(FRAMES_HEADER).content(bytes).build();
      ctx.setMessage(frames); // on the WebSocket chain: the bytes as Tyrus's filter takes them
      return frames(ctx, conn, frames);
    }
    if (!(message instanceof HttpContent)) {
      return ctx.getInvokeAction();
    }
    if (Boolean.TRUE.equals(UPGRADED.get(conn))) {
      return frames(ctx, conn, (HttpContent) message);
    }
    FRESH.remove(conn); // a request header arrived: from now on the keep-alive timeout applies
    HttpContent content = (HttpContent) message;
    HttpHeader header = content.getHttpHeader();
    if (!header.isRequest()) {
      return ctx.getInvokeAction();
    }
    HttpRequestPacket request = (HttpRequestPacket) header;
    HandshakeBudget.Permit opening = OPENING.get(conn);
    if (!"websocket".equalsIgnoreCase(request.getUpgrade())) {
      if (opening != null) {
        opening.release(); // a plain HTTP connection is open once its first request is here
      }
      track(conn);
      return ctx.getInvokeAction();
    }
    request.getHeaders().removeHeader(CONNECTION_HEADER); // never trust a client's copy
    if (!"/ws".equals(request.getRequestURI())) {
      return refuse(ctx, content, 404, ErrorCode.NOT_FOUND, "no WebSocket endpoint here");
    }
    String origin = request.getHeader("Origin");
    if (origin != null && !originAllowed.test(origin)) {
      return refuse(ctx, content, 403, ErrorCode.FORBIDDEN, "origin not allowed");
    }
    HandshakeBudget.Permit permit = opening != null ? opening : budget.opened();
    if (budget.overBudget()) {
      permit.release();
      metrics.handshakesShed.increment();
      return refuse(
          ctx,
          content,
          503,
          ErrorCode.RATE_LIMITED,
          "the server is busy opening other connections; try again shortly",
          "1");
    }
    Authenticated auth;
    try {
      String token =
          Sessions.token(request.getHeader("Authorization"), request.getHeaders().values("Cookie"));
      auth = authenticate.apply(token);
    } catch (ChatException e) {
      int status = e.code() == ErrorCode.INTERNAL ? 500 : 401;
      return refuse(ctx, content, status, e.code(), e.getMessage());
    }
    String address = request.getRemoteAddress();
    String overCap = caps.tryOpen(auth.user().id(), address);
    if (overCap != null) {
      return refuse(ctx, content, 429, ErrorCode.RATE_LIMITED, overCap);
    }
    onClose(conn, () -> caps.release(auth.user().id(), address));
    if (opening == null) {
      onClose(conn, permit::release); // if the endpoint never attaches it
    }
    String id = "c" + ids.incrementAndGet();
    pending.put(id, new Pending(auth, conn, address, permit));
    onClose(conn, () -> pending.remove(id));
    request.setHeader(CONNECTION_HEADER, id);
    UPGRADED.set(conn, Boolean.TRUE);
    GUARD.set(conn, new FrameGuard(maxFrameBytes));
    httpLastUsed.remove(conn);
    return ctx.getInvokeAction();
  }

  /**
   * The endpoint's connection for this socket, so the gate can close it with {@link
   * CloseCode#TOO_LARGE}.
   */
  void bind(Connection<?> socket, WsConnection connection) {
    if (socket == null) {
      return;
    }
    SOCKET.set(socket, connection);
    FilterChain frames = webSocketChain;
    if (frames != null) {
      // the HTTP codec is done with this connection: its bytes are frames from now on, and the
      // upgrade request it kept for the connection's life (about 9.5 KB) can go
      socket.setProcessor(frames);
      HTTP_REQUEST.remove(socket);
      KEEP_ALIVE.remove(socket);
    }
  }

  /** Whether Grizzly's HTTP codec still keeps a request for this connection. */
  static boolean keepsHttpRequest(Connection<?> socket) {
    return HTTP_REQUEST.get(socket) != null;
  }

  /**
   * Where an accepted WebSocket's bytes go after the handshake: the transport, this gate and
   * Tyrus's filter, without the HTTP codec. Grizzly would otherwise parse every later byte as the
   * body of the upgrade request, which it keeps, with its headers and parsing state, for the
   * connection's life: half of an idle connection's heap. The gate wraps the bytes as that body
   * (with one shared, never changed header) because Tyrus's filter takes HTTP content; Tyrus reads
   * only the bytes. The listener's idle-timeout filter stays in the chain: it forgets a connection
   * only when it sees the close (without it every closed WebSocket would stay reachable from its
   * queue).
   *
   * @param full the listener's chain, built: the transport filter first, this gate right before
   *     Tyrus's filter
   */
  void useWebSocketChain(FilterChain full) {
    int at = full.indexOf(this);
    if (at < 0
        || at + 1 >= full.size()
        || !full.get(at + 1).getClass().getName().equals(TYRUS_FILTER)) {
      throw new IllegalStateException("the gate is not right in front of Tyrus's filter");
    }
    FilterChainBuilder chain = FilterChainBuilder.stateless().add(full.get(0));
    int idle = full.indexOfType(IdleTimeoutFilter.class);
    if (idle >= 0) {
      chain.add(full.get(idle));
    }
    webSocketChain = chain.add(this).add(full.get(at + 1)).build();
  }

  /**
   * From now on the peer's bytes on this connection are read and thrown away: the server has sent
   * its close frame and handles nothing more.
   */
  static void discardInput(Connection<?> conn) {
    DISCARD.set(conn, Boolean.TRUE);
  }

  /**
   * WebSocket bytes from a client: a frame over the limit closes the connection with {@link
   * CloseCode#TOO_LARGE}, an unmasked frame with {@link CloseCode#PROTOCOL_ERROR}.
   */
  private NextAction frames(FilterChainContext ctx, Connection<?> conn, HttpContent content) {
    if (Boolean.TRUE.equals(DISCARD.get(conn))) {
      content.recycle();
      return ctx.getStopAction();
    }
    WsConnection live = SOCKET.get(conn);
    if (live != null) {
      live.heard(); // any bytes from the peer (a frame, a pong, a ping of its own) mean it is alive
    }
    FrameGuard guard = GUARD.get(conn);
    CloseCode broken = guard == null ? null : guard.scan(content.getContent());
    if (broken == null) {
      return ctx.getInvokeAction();
    }
    discardInput(conn);
    content.recycle();
    if (live != null) {
      live.refuseAndLinger(
          broken,
          broken == CloseCode.TOO_LARGE
              ? "frame too large: the limit is " + maxFrameBytes + " bytes"
              : "protocol error: client frames must be masked");
    } else {
      conn.terminateSilently();
    }
    return ctx.getStopAction();
  }

  private void track(Connection<?> conn) {
    httpLastUsed.put(conn, System.nanoTime());
    if (TRACKED.get(conn) == null) {
      TRACKED.set(conn, Boolean.TRUE);
      onClose(conn, () -> httpLastUsed.remove(conn));
    }
  }

  @SuppressWarnings("deprecation") // Grizzly deprecated ICloseType without a replacement
  private static void onClose(Connection<?> conn, Runnable action) {
    conn.addCloseListener(
        (org.glassfish.grizzly.CloseListener<Closeable, org.glassfish.grizzly.ICloseType>)
            (closeable, type) -> action.run());
  }

  private NextAction refuse(
      FilterChainContext ctx, HttpContent content, int status, ErrorCode code, String message) {
    return refuse(ctx, content, status, code, message, null);
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  private NextAction refuse(
      FilterChainContext ctx,
      HttpContent content,
      int status,
      ErrorCode code,
      String message,
      String retryAfterSeconds) {
    metrics.error(code);
    HttpRequestPacket request = (HttpRequestPacket) content.getHttpHeader();
    HttpResponsePacket response = request.getResponse();
    response.setProtocol(Protocol.HTTP_1_1);
    response.setStatus(status);
    // a raw header: this packet bypasses the HTTP server filter, which is what writes the
    // Content-Type kept by setContentType
    response.getHeaders().addValue("Content-Type").setString("application/json; charset=utf-8");
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("Connection", "close");
    response.setHeader("Cache-Control", "no-store");
    if (retryAfterSeconds != null) {
      response.setHeader("Retry-After", retryAfterSeconds);
    }
    byte[] body = codec.encodeError(code, message).getBytes(StandardCharsets.UTF_8);
    response.setContentLength(body.length);
    Buffer buffer = Buffers.wrap(ctx.getMemoryManager(), body);
    Connection<?> conn = ctx.getConnection();
    ctx.write(
        HttpContent.builder(response).content(buffer).last(true).build(),
        new EmptyCompletionHandler<WriteResult>() {
          @Override
          public void completed(WriteResult result) {
            conn.closeSilently();
          }

          @Override
          public void failed(Throwable throwable) {
            conn.closeSilently();
          }
        });
    content.recycle();
    return ctx.getStopAction();
  }
}
