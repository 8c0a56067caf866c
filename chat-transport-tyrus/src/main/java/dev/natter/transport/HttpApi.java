package dev.natter.transport;

import dev.natter.codec.JsonCodec;
import dev.natter.core.AuthResult;
import dev.natter.core.ChatEngine;
import dev.natter.core.ChatException;
import dev.natter.core.DmOpened;
import dev.natter.core.model.MessagePage;
import dev.natter.core.model.NotifyLevel;
import dev.natter.core.model.RoomSummary;
import dev.natter.core.model.User;
import dev.natter.core.model.Visibility;
import dev.natter.core.protocol.ErrorCode;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JSON API under {@code /api}: a table of routes (method, path pattern, handler), each a thin
 * translation between HTTP and one {@link ChatEngine} call. Failures become the protocol's error
 * bodies; a path that exists with another method is 405 with {@code Allow}.
 */
final class HttpApi extends HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
  private static final String PREFIX = "/api";

  private final ApiContext context;
  private final ChatEngine engine;
  private final JsonCodec codec;
  private final HttpReplies replies;
  private final List<Route> routes;
  private final Route registerRoute;
  private final Route uploadRoute;

  /**
   * Registrations queued or running on the password workers: at most half of the workers, so a
   * registration flood can never fill their queue and starve sign-ins.
   */
  private final Semaphore registrationShare;

  HttpApi(ApiContext context) {
    this.context = context;
    this.registrationShare = new Semaphore(context.registrationSlots());
    this.registerRoute = Route.post("/register", this::register).onPasswordWorkers();
    this.engine = context.engine();
    this.codec = context.codec();
    this.replies = context.replies();
    FileRoutes files = new FileRoutes(context);
    this.uploadRoute = Route.post("/rooms/{room}/files", files::upload);
    this.routes =
        List.of(
            registerRoute,
            Route.post("/login", this::login).onPasswordWorkers(),
            Route.post("/logout", this::logout),
            Route.get("/me", c -> Reply.ok(codec.encodeUser(c.me()))),
            Route.get("/users", this::users),
            Route.get("/search", this::search),
            Route.post("/dms", this::openDm),
            Route.get("/rooms", this::rooms),
            Route.post("/rooms", this::createRoom),
            Route.get("/rooms/public", this::publicRooms),
            Route.get("/rooms/{room}", this::room),
            Route.post("/rooms/{room}/join", this::join),
            Route.post("/rooms/{room}/leave", this::leave),
            Route.post("/rooms/{room}/members", this::invite),
            Route.put("/rooms/{room}/notify", this::setNotifyLevel),
            Route.get("/rooms/{room}/messages", this::messages),
            uploadRoute,
            Route.get("/files/{file}", files::download),
            Route.get("/files/{file}/thumbnail", files::thumbnail),
            Route.delete("/rooms/{room}/members/{username}", this::kick));
  }

  /** The route table, in matching order (tests enumerate every endpoint from it). */
  List<Route> routes() {
    return routes;
  }

  /**
   * Whether a request that says {@code Expect: 100-continue} may send its body: not when the length
   * it declares is over what its endpoint takes, so the client hears the 413 (answered by {@link
   * #service}) without sending the body first.
   */
  boolean welcomesBody(Request request) {
    long max =
        isUpload(request)
            ? FileRoutes.largestBody(context.maxUploadBytes())
            : context.maxRequestBytes();
    return request.getContentLengthLong() <= max;
  }

  private boolean isUpload(Request request) {
    try {
      return request.getMethod().getMethodString().equals(uploadRoute.method())
          && uploadRoute.match(segments(request.getRequestURI().substring(PREFIX.length())))
              != null;
    } catch (IllegalArgumentException malformed) {
      return false;
    }
  }

  /** Whether a request path belongs to the API. */
  static boolean owns(String path) {
    return path.equals(PREFIX) || path.startsWith(PREFIX + "/");
  }

  // =====================================================================================
  // Dispatch

  @Override
  public void service(Request request, Response response) throws IOException {
    String path = request.getRequestURI();
    String method = request.getMethod().getMethodString();
    List<String> segments;
    try {
      segments = segments(path.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      replies.write(response, replies.error(ErrorCode.BAD_REQUEST, "malformed path"));
      return;
    }
    String origin = request.getHeader("Origin");
    if (origin != null && !context.originAllowed().test(origin)) {
      replies.write(response, replies.error(ErrorCode.FORBIDDEN, "origin not allowed"));
      return;
    }
    if (origin == null && mayBeCrossSite(request, method)) {
      replies.write(
          response,
          replies.error(
              ErrorCode.FORBIDDEN,
              "a request authenticated by cookie without Origin must send Content-Type:"
                  + " application/json"));
      return;
    }
    Set<String> allowed = new LinkedHashSet<>();
    for (Route route : routes) {
      Map<String, String> params = route.match(segments);
      if (params == null) {
        continue;
      }
      if (route.method().equals(method)) {
        ApiCall call = new ApiCall(context, request, params);
        if (route.offloaded()) {
          offload(route, call, response);
        } else {
          replies.write(response, run(route, call));
        }
        return;
      }
      allowed.add(route.method());
    }
    replies.write(
        response,
        allowed.isEmpty()
            ? replies.error(ErrorCode.NOT_FOUND, "no such API endpoint")
            : replies.methodNotAllowed(String.join(", ", allowed)));
  }

  private Reply run(Route route, ApiCall call) {
    try {
      return route.handler().handle(call);
    } catch (ChatException e) {
      return replies.error(e);
    } catch (RuntimeException e) {
      Request r = call.request();
      LOG.warn("request failed: {} {}", r.getMethod().getMethodString(), r.getRequestURI(), e);
      return replies.error(ErrorCode.INTERNAL, "internal error");
    }
  }

  /**
   * Runs a route on the password workers: hashing takes a good part of a second and must not hold
   * an I/O thread. The body is read here first, on the I/O thread. A full queue answers 429.
   */
  private void offload(Route route, ApiCall call, Response response) throws IOException {
    try {
      call.body();
    } catch (ChatException e) {
      replies.write(response, replies.error(e).header("Connection", "close"));
      return;
    }
    Semaphore share = route == registerRoute ? registrationShare : null;
    if (share != null && !share.tryAcquire()) {
      replies.write(
          response,
          replies
              .error(
                  ErrorCode.RATE_LIMITED, "too many registrations in progress; try again shortly")
              .header("Retry-After", "5"));
      return;
    }
    response.suspend();
    try {
      context
          .passwordWork()
          .execute(
              () -> {
                try {
                  replies.write(response, run(route, call));
                } catch (IOException e) {
                  LOG.debug("could not answer", e);
                } finally {
                  release(share);
                  response.resume();
                }
              });
    } catch (RejectedExecutionException busy) {
      release(share);
      try {
        replies.write(
            response,
            replies
                .error(ErrorCode.RATE_LIMITED, "too many sign-ins in progress; try again shortly")
                .header("Retry-After", "5"));
      } finally {
        response.resume();
      }
    }
  }

  /**
   * A state-changing request that only the session cookie authenticates, without {@code Origin},
   * and with neither a JSON content type (which a cross-site form cannot send without a CORS
   * preflight) nor {@code Sec-Fetch-Site: same-origin}: it may come from another site's form.
   */
  static boolean mayBeCrossSite(Request request, String method) {
    if (method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")) {
      return false;
    }
    boolean cookieOnly =
        Sessions.token(request.getHeader("Authorization"), List.of()) == null
            && Sessions.token(null, request.getHeaders("Cookie")) != null;
    if (!cookieOnly) {
      return false;
    }
    String type = request.getHeader("Content-Type");
    boolean json =
        type != null
            && type.strip().toLowerCase(java.util.Locale.ROOT).startsWith("application/json");
    return !json && !"same-origin".equalsIgnoreCase(request.getHeader("Sec-Fetch-Site"));
  }

  private static void release(Semaphore share) {
    if (share != null) {
      share.release();
    }
  }

  /** The decoded path segments after {@code /api}; empty segments are kept. */
  private static List<String> segments(String rest) {
    List<String> out = new ArrayList<>();
    if (rest.isEmpty() || rest.equals("/")) {
      return out;
    }
    for (String p : rest.substring(1).split("/", -1)) {
      out.add(URLDecoder.decode(p.replace("+", "%2B"), StandardCharsets.UTF_8));
    }
    return out;
  }

  // =====================================================================================
  // Accounts

  private Reply register(ApiCall c) {
    RequestBody body = c.json();
    String username = body.string("username");
    String password = body.string("password");
    String displayName = body.optString("displayName");
    String address = Addresses.forLimits(c.request().getRemoteAddr());
    AuthResult r =
        c.timed("http.register", () -> engine.register(username, password, displayName, address));
    return signedIn(c, 201, r);
  }

  private Reply login(ApiCall c) {
    RequestBody body = c.json();
    String username = body.string("username");
    String password = body.string("password");
    String address = c.request().getRemoteAddr();
    AuthResult r = c.timed("http.login", () -> engine.login(username, password, address));
    return signedIn(c, 200, r);
  }

  private Reply signedIn(ApiCall c, int status, AuthResult r) {
    return new Reply(status, codec.encodeAuth(r.user(), r.token()))
        .header(
            "Set-Cookie", Sessions.setCookie(r.token(), engine.limits().sessionTtl(), c.secure()));
  }

  private Reply logout(ApiCall c) {
    String token = c.token();
    c.timedRun("http.logout", () -> engine.logout(token));
    return Reply.noContent().header("Set-Cookie", Sessions.clearCookie(c.secure()));
  }

  // =====================================================================================
  // Users, search and rooms

  private Reply users(ApiCall c) {
    User me = c.me();
    String q = c.query("q");
    return Reply.ok(codec.encodeUsers(c.timed("http.users", () -> engine.searchUsers(me, q))));
  }

  private Reply search(ApiCall c) {
    User me = c.me();
    String q = c.query("q");
    String room = c.query("room");
    return Reply.ok(
        codec.encodeSearchHits(c.timed("http.search", () -> engine.search(me, q, room))));
  }

  private Reply openDm(ApiCall c) {
    User me = c.me();
    String username = c.json().string("username");
    DmOpened dm = c.timed("http.openDm", () -> engine.openDm(me, username));
    return new Reply(dm.created() ? 201 : 200, codec.encodeRoomSummary(dm.room()));
  }

  private Reply rooms(ApiCall c) {
    User me = c.me();
    return Reply.ok(codec.encodeRoomSummaries(c.timed("http.rooms", () -> engine.rooms(me))));
  }

  private Reply createRoom(ApiCall c) {
    User me = c.me();
    RequestBody body = c.json();
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
        c.timed("http.createRoom", () -> engine.createRoom(me, name, visibility, members));
    return new Reply(201, codec.encodeRoomSummary(room));
  }

  private Reply publicRooms(ApiCall c) {
    User me = c.me();
    return Reply.ok(
        codec.encodeRoomSummaries(c.timed("http.publicRooms", () -> engine.publicRooms(me))));
  }

  private Reply room(ApiCall c) {
    User me = c.me();
    String roomId = c.path("room");
    return Reply.ok(codec.encodeRoomSummary(c.timed("http.room", () -> engine.room(me, roomId))));
  }

  private Reply join(ApiCall c) {
    User me = c.me();
    String roomId = c.path("room");
    return Reply.ok(codec.encodeRoomSummary(c.timed("http.join", () -> engine.join(me, roomId))));
  }

  private Reply leave(ApiCall c) {
    User me = c.me();
    String roomId = c.path("room");
    c.timedRun("http.leave", () -> engine.leave(me, roomId));
    return Reply.noContent();
  }

  private Reply invite(ApiCall c) {
    User me = c.me();
    String roomId = c.path("room");
    String username = c.json().string("username");
    c.timedRun("http.invite", () -> engine.invite(me, roomId, username));
    return new Reply(201, codec.encodeRoomSummary(engine.room(me, roomId)));
  }

  private Reply setNotifyLevel(ApiCall c) {
    User me = c.me();
    String roomId = c.path("room");
    String wire = c.json().string("level");
    NotifyLevel level =
        NotifyLevel.fromWire(wire)
            .orElseThrow(
                () ->
                    new ChatException.BadRequest(
                        "level must be \"all\", \"mentions\" or \"none\""));
    return Reply.ok(
        codec.encodeRoomSummary(
            c.timed("http.notify", () -> engine.setNotifyLevel(me, roomId, level))));
  }

  private Reply kick(ApiCall c) {
    User me = c.me();
    String roomId = c.path("room");
    String username = c.path("username");
    c.timedRun("http.kick", () -> engine.kick(me, roomId, username));
    return Reply.noContent();
  }

  private Reply messages(ApiCall c) {
    User me = c.me();
    String roomId = c.path("room");
    Long before = c.longQuery("before");
    Long after = c.longQuery("after");
    Long limit = c.longQuery("limit");
    Integer lim = limit == null ? null : limit.intValue(); // within FieldBound.LIMIT
    MessagePage page =
        c.timed("http.messages", () -> engine.messages(me, roomId, before, after, lim));
    return Reply.ok(codec.encodeMessagePage(page));
  }
}
