package dev.natter.transport;

import dev.natter.codec.JsonCodec;
import dev.natter.core.AuthResult;
import dev.natter.core.ChatEngine;
import dev.natter.core.ChatException;
import dev.natter.core.DmOpened;
import dev.natter.core.model.MessagePage;
import dev.natter.core.model.RoomSummary;
import dev.natter.core.model.User;
import dev.natter.core.model.Visibility;
import dev.natter.core.protocol.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;

/**
 * Every plain HTTP request: the JSON API under {@code /api}, {@code /healthz}, {@code /metrics} and
 * the browser UI with its fallback to {@code index.html}.
 */
final class HttpApi extends HttpHandler {
  private static final Logger LOG = Logger.getLogger(HttpApi.class.getName());
  private static final String JSON = "application/json; charset=utf-8";

  private final NatterServer server;
  private final ChatEngine engine;
  private final JsonCodec codec;
  private final ExecutorService passwordWork;
  private final UiResources ui;

  HttpApi(NatterServer server, ExecutorService passwordWork, UiResources ui) {
    this.server = server;
    this.engine = server.engine();
    this.codec = server.codec();
    this.passwordWork = passwordWork;
    this.ui = ui;
  }

  /** An answer: status, JSON body (or null) and extra headers. */
  private static final class Reply {
    final int status;
    final String body;
    final List<String[]> headers = new ArrayList<>();

    Reply(int status, String body) {
      this.status = status;
      this.body = body;
    }

    Reply header(String name, String value) {
      headers.add(new String[] {name, value});
      return this;
    }
  }

  /** Thrown for a known path with the wrong method. */
  private static final class MethodNotAllowed extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String allow;

    MethodNotAllowed(String allow) {
      super(null, null, false, false);
      this.allow = allow;
    }
  }

  @Override
  public void service(Request request, Response response) throws Exception {
    String path = request.getRequestURI();
    String method = request.getMethod().getMethodString();
    if (path.equals("/api") || path.startsWith("/api/")) {
      api(request, response, path, method);
    } else if (path.equals("/healthz")) {
      write(response, onlyGet(method, () -> new Reply(200, "{\"status\":\"ok\"}")));
    } else if (path.equals("/metrics")) {
      if (!method.equals("GET")) {
        write(response, methodNotAllowed("GET"));
        return;
      }
      byte[] text = server.metrics().registry().scrape().getBytes(StandardCharsets.UTF_8);
      response.setStatus(200);
      response.setContentType("text/plain; version=0.0.4; charset=utf-8");
      response.setHeader("Cache-Control", "no-store");
      response.setContentLength(text.length);
      response.getOutputStream().write(text);
    } else if (path.equals("/ws")) {
      write(response, error(426, ErrorCode.BAD_REQUEST, "use a WebSocket upgrade on /ws"));
    } else {
      ui(request, response, path, method);
    }
  }

  private Reply onlyGet(String method, java.util.function.Supplier<Reply> reply) {
    return method.equals("GET") ? reply.get() : methodNotAllowed("GET");
  }

  // =====================================================================================
  // The JSON API

  private void api(Request request, Response response, String path, String method)
      throws IOException {
    List<String> seg;
    try {
      seg = segments(path.substring("/api".length()));
    } catch (IllegalArgumentException e) {
      write(response, error(ErrorCode.BAD_REQUEST, "malformed path"));
      return;
    }
    String origin = request.getHeader("Origin");
    if (origin != null && !server.allowedOrigins().contains(origin)) {
      write(response, error(ErrorCode.FORBIDDEN, "origin not allowed"));
      return;
    }
    boolean passwordRoute =
        seg.size() == 1 && (seg.get(0).equals("register") || seg.get(0).equals("login"));
    if (passwordRoute && method.equals("POST")) {
      // Password hashing takes a good part of a second: keep it off the I/O worker threads.
      String body;
      try {
        body = readBody(request);
      } catch (ChatException e) {
        write(response, error(e).header("Connection", "close"));
        return;
      }
      response.suspend();
      try {
        passwordWork.execute(
            () -> {
              try {
                Reply reply;
                try {
                  reply =
                      seg.get(0).equals("register")
                          ? register(request, body)
                          : login(request, body);
                } catch (ChatException e) {
                  reply = error(e);
                } catch (RuntimeException e) {
                  LOG.log(Level.WARNING, "request failed: POST " + path, e);
                  reply = error(ErrorCode.INTERNAL, "internal error");
                }
                write(response, reply);
              } catch (IOException e) {
                LOG.log(Level.FINE, "could not answer", e);
              } finally {
                response.resume();
              }
            });
      } catch (RejectedExecutionException busy) {
        try {
          write(
              response,
              error(ErrorCode.RATE_LIMITED, "too many sign-ins in progress; try again shortly")
                  .header("Retry-After", "5"));
        } finally {
          response.resume();
        }
      }
      return;
    }
    Reply reply;
    try {
      reply = route(request, seg, method);
    } catch (MethodNotAllowed e) {
      reply = methodNotAllowed(e.allow);
    } catch (ChatException e) {
      reply = error(e);
      if (e.code() == ErrorCode.TOO_LARGE) {
        reply.header("Connection", "close");
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "request failed: " + method + " " + path, e);
      reply = error(ErrorCode.INTERNAL, "internal error");
    }
    write(response, reply);
  }

  private Reply route(Request request, List<String> seg, String method) {
    int n = seg.size();
    String first = n > 0 ? seg.get(0) : "";
    switch (first) {
      case "register":
      case "login":
        if (n == 1) {
          throw new MethodNotAllowed("POST");
        }
        break;
      case "logout":
        if (n == 1) {
          allow(method, "POST");
          return logout(request);
        }
        break;
      case "me":
        if (n == 1) {
          allow(method, "GET");
          return ok(codec.encodeUser(me(request)));
        }
        break;
      case "users":
        if (n == 1) {
          allow(method, "GET");
          User me = me(request);
          String q = request.getParameter("q");
          return ok(codec.encodeUsers(timed("http.users", () -> engine.searchUsers(me, q))));
        }
        break;
      case "search":
        if (n == 1) {
          allow(method, "GET");
          User me = me(request);
          String q = request.getParameter("q");
          String room = request.getParameter("room");
          return ok(codec.encodeSearchHits(timed("http.search", () -> engine.search(me, q, room))));
        }
        break;
      case "dms":
        if (n == 1) {
          allow(method, "POST");
          User me = me(request);
          RequestBody body = RequestBody.parse(readBody(request));
          String username = body.string("username");
          DmOpened dm = timed("http.openDm", () -> engine.openDm(me, username));
          return new Reply(dm.created() ? 201 : 200, codec.encodeRoomSummary(dm.room()));
        }
        break;
      case "rooms":
        return rooms(request, seg, method);
      default:
        break;
    }
    throw new ChatException.NotFound("no such API endpoint");
  }

  private Reply rooms(Request request, List<String> seg, String method) {
    int n = seg.size();
    if (n == 1) {
      allow(method, "GET", "POST");
      User me = me(request);
      if (method.equals("GET")) {
        return ok(codec.encodeRoomSummaries(timed("http.rooms", () -> engine.rooms(me))));
      }
      RequestBody body = RequestBody.parse(readBody(request));
      String name = body.string("name");
      String vis = body.optString("visibility");
      Visibility visibility;
      try {
        visibility = vis == null ? null : Visibility.fromWire(vis);
      } catch (IllegalArgumentException e) {
        throw new ChatException.BadRequest(e.getMessage());
      }
      List<String> members = body.optStrings("members");
      RoomSummary room =
          timed("http.createRoom", () -> engine.createRoom(me, name, visibility, members));
      return new Reply(201, codec.encodeRoomSummary(room));
    }
    if (n == 2 && seg.get(1).equals("public")) {
      allow(method, "GET");
      User me = me(request);
      return ok(codec.encodeRoomSummaries(timed("http.publicRooms", () -> engine.publicRooms(me))));
    }
    String roomId = seg.size() > 1 ? seg.get(1) : "";
    if (n == 2) {
      allow(method, "GET");
      User me = me(request);
      return ok(codec.encodeRoomSummary(timed("http.room", () -> engine.room(me, roomId))));
    }
    String action = seg.get(2);
    if (n == 3) {
      switch (action) {
        case "join":
          {
            allow(method, "POST");
            User me = me(request);
            return ok(codec.encodeRoomSummary(timed("http.join", () -> engine.join(me, roomId))));
          }
        case "leave":
          {
            allow(method, "POST");
            User me = me(request);
            timed(
                "http.leave",
                () -> {
                  engine.leave(me, roomId);
                  return null;
                });
            return new Reply(204, null);
          }
        case "members":
          {
            allow(method, "POST");
            User me = me(request);
            String username = RequestBody.parse(readBody(request)).string("username");
            timed(
                "http.invite",
                () -> {
                  engine.invite(me, roomId, username);
                  return null;
                });
            return new Reply(201, codec.encodeRoomSummary(engine.room(me, roomId)));
          }
        case "messages":
          {
            allow(method, "GET");
            User me = me(request);
            Long before = longParam(request, "before");
            Long after = longParam(request, "after");
            Long limit = longParam(request, "limit");
            Integer lim =
                limit == null ? null : (int) Math.max(Integer.MIN_VALUE, Math.min(limit, 100_000));
            MessagePage page =
                timed("http.messages", () -> engine.messages(me, roomId, before, after, lim));
            return ok(codec.encodeMessagePage(page));
          }
        default:
          break;
      }
    }
    if (n == 4 && action.equals("members")) {
      allow(method, "DELETE");
      User me = me(request);
      String username = seg.get(3);
      timed(
          "http.kick",
          () -> {
            engine.kick(me, roomId, username);
            return null;
          });
      return new Reply(204, null);
    }
    throw new ChatException.NotFound("no such API endpoint");
  }

  private Reply register(Request request, String text) {
    RequestBody body = RequestBody.parse(text);
    String username = body.string("username");
    String password = body.string("password");
    String displayName = body.optString("displayName");
    AuthResult r =
        timed("http.register", () -> engine.register(username, password, displayName));
    return signedIn(request, 201, r);
  }

  private Reply login(Request request, String text) {
    RequestBody body = RequestBody.parse(text);
    String username = body.string("username");
    String password = body.string("password");
    String address = request.getRemoteAddr();
    AuthResult r = timed("http.login", () -> engine.login(username, password, address));
    return signedIn(request, 200, r);
  }

  private Reply signedIn(Request request, int status, AuthResult r) {
    return new Reply(status, codec.encodeAuth(r.user(), r.token()))
        .header(
            "Set-Cookie",
            Sessions.setCookie(r.token(), engine.limits().sessionTtl(), secure(request)));
  }

  private Reply logout(Request request) {
    String token = token(request);
    timed(
        "http.logout",
        () -> {
          engine.logout(token);
          return null;
        });
    return new Reply(204, null).header("Set-Cookie", Sessions.clearCookie(secure(request)));
  }

  private boolean secure(Request request) {
    Boolean forced = server.secureCookies();
    if (forced != null) {
      return forced;
    }
    return request.isSecure() || "https".equalsIgnoreCase(request.getHeader("X-Forwarded-Proto"));
  }

  private static String token(Request request) {
    return Sessions.token(request.getHeader("Authorization"), request.getHeaders("Cookie"));
  }

  private User me(Request request) {
    String token = token(request);
    return timed("http.authenticate", () -> engine.authenticate(token)).user();
  }

  private <T> T timed(String op, java.util.function.Supplier<T> call) {
    return server.timed(op, call);
  }

  private static void allow(String method, String... allowed) {
    for (String a : allowed) {
      if (a.equals(method)) {
        return;
      }
    }
    throw new MethodNotAllowed(String.join(", ", allowed));
  }

  private static Long longParam(Request request, String name) {
    String v = request.getParameter(name);
    if (v == null || v.isEmpty()) {
      return null;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new ChatException.BadRequest("\"" + name + "\" must be an integer");
    }
  }

  private String readBody(Request request) {
    int max = server.maxRequestBytes();
    long declared = request.getContentLengthLong();
    if (declared > max) {
      throw new ChatException.TooLarge("the request body is over " + max + " bytes");
    }
    try {
      InputStream in = request.getInputStream();
      byte[] bytes;
      if (declared >= 0) {
        // Read exactly Content-Length: with an "Upgrade: h2c" header (the JDK's HttpClient sends
        // one) Grizzly does not delimit the body, so reading to the end would wait forever.
        bytes = in.readNBytes((int) declared);
        if (bytes.length < declared) {
          throw new ChatException.BadRequest("the request body ended early");
        }
      } else if (request.getHeader("Upgrade") != null) {
        bytes = new byte[0]; // an undelimited body cannot be read safely
      } else {
        bytes = in.readNBytes(max + 1);
        if (bytes.length > max) {
          throw new ChatException.TooLarge("the request body is over " + max + " bytes");
        }
      }
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ChatException.BadRequest("could not read the request body");
    }
  }

  /** The decoded path segments after {@code /api}; empty segments are kept (they match nothing). */
  private static List<String> segments(String rest) {
    List<String> out = new ArrayList<>();
    if (rest.isEmpty() || rest.equals("/")) {
      return out;
    }
    String[] parts = rest.substring(1).split("/", -1);
    for (String p : parts) {
      out.add(URLDecoder.decode(p.replace("+", "%2B"), StandardCharsets.UTF_8));
    }
    return out;
  }

  // =====================================================================================
  // The UI

  private void ui(Request request, Response response, String path, String method)
      throws IOException {
    if (ui == null) {
      write(response, error(ErrorCode.NOT_FOUND, "not found"));
      return;
    }
    if (!method.equals("GET") && !method.equals("HEAD")) {
      write(response, methodNotAllowed("GET, HEAD"));
      return;
    }
    Optional<UiResources.File> found = ui.resolve(path);
    if (found.isEmpty()) {
      write(response, error(ErrorCode.NOT_FOUND, "not found"));
      return;
    }
    UiResources.File file = found.get();
    response.setHeader("Cache-Control", file.cacheControl());
    response.setHeader("ETag", file.etag());
    response.setHeader("X-Content-Type-Options", "nosniff");
    if (file.name().endsWith(".html")) {
      response.setHeader("X-Frame-Options", "DENY");
      response.setHeader("Referrer-Policy", "no-referrer");
      response.setHeader(
          "Content-Security-Policy",
          "default-src 'self'; connect-src 'self'; img-src 'self' data:;"
              + " style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'self';"
              + " frame-ancestors 'none'");
    }
    String inm = request.getHeader("If-None-Match");
    if (inm != null && inm.contains(file.etag())) {
      response.setStatus(304);
      return;
    }
    response.setStatus(200);
    response.setContentType(file.contentType());
    response.setContentLength(file.bytes().length);
    if (method.equals("GET")) {
      response.getOutputStream().write(file.bytes());
    }
  }

  // =====================================================================================
  // Writing

  private static Reply ok(String json) {
    return new Reply(200, json);
  }

  private Reply error(ChatException e) {
    Reply r = error(e.code(), e.getMessage());
    if (e.code() == ErrorCode.RATE_LIMITED) {
      r.header("Retry-After", "60");
    }
    return r;
  }

  private Reply error(ErrorCode code, String message) {
    return error(code.httpStatus(), code, message);
  }

  private Reply error(int status, ErrorCode code, String message) {
    server.metrics().error(code);
    return new Reply(status, codec.encodeError(code, message));
  }

  private Reply methodNotAllowed(String allow) {
    return error(405, ErrorCode.BAD_REQUEST, "method not allowed; use " + allow)
        .header("Allow", allow);
  }

  private void write(Response response, Reply reply) throws IOException {
    server.metrics().httpResponse(reply.status);
    response.setStatus(reply.status);
    response.setHeader("Cache-Control", "no-store");
    response.setHeader("X-Content-Type-Options", "nosniff");
    for (String[] h : reply.headers) {
      response.addHeader(h[0], h[1]);
    }
    if (reply.body == null) {
      response.setContentLength(0);
      return;
    }
    byte[] bytes = reply.body.getBytes(StandardCharsets.UTF_8);
    response.setContentType(JSON);
    response.setContentLength(bytes.length);
    OutputStream out = response.getOutputStream();
    out.write(bytes);
  }
}
