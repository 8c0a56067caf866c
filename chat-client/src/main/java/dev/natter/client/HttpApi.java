package dev.natter.client;

import dev.natter.codec.JsonCodec;
import dev.natter.core.ChatException;
import dev.natter.core.model.MessagePage;
import dev.natter.core.model.RoomSummary;
import dev.natter.core.model.SearchHit;
import dev.natter.core.model.User;
import dev.natter.core.model.Visibility;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Supplier;

/** The HTTP API, blocking, with the session token as a bearer token. */
final class HttpApi {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final HttpClient http;
  private final String base;
  private final Supplier<String> token;
  private final JsonCodec codec = JsonCodec.shared();

  /** The JDK HTTP client for a server's API and WebSocket: HTTP/1.1, a connect timeout. */
  static HttpClient newHttpClient() {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(JdkWebSocketTransport.CONNECT_TIMEOUT)
        .build();
  }

  HttpApi(HttpClient http, URI server, Supplier<String> token) {
    this.http = http;
    String s = server.toString();
    this.base = s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    this.token = token;
  }

  JsonCodec.Auth login(String username, String password) {
    return codec.decodeAuth(
        call("POST", "/api/login", fields("username", username, "password", password), false));
  }

  JsonCodec.Auth register(String username, String password, String displayName) {
    return codec.decodeAuth(
        call(
            "POST",
            "/api/register",
            fields("username", username, "password", password, "displayName", displayName),
            false));
  }

  void logout() {
    call("POST", "/api/logout", null, true);
  }

  User me() {
    return codec.decodeUser(call("GET", "/api/me", null, true));
  }

  List<User> searchUsers(String query) {
    return codec.decodeUsers(call("GET", "/api/users" + query("q", query), null, true));
  }

  List<RoomSummary> rooms() {
    return codec.decodeRoomSummaries(call("GET", "/api/rooms", null, true));
  }

  List<RoomSummary> publicRooms() {
    return codec.decodeRoomSummaries(call("GET", "/api/rooms/public", null, true));
  }

  RoomSummary room(String roomId) {
    return codec.decodeRoomSummary(call("GET", roomPath(roomId), null, true));
  }

  RoomSummary createRoom(String name, Visibility visibility, List<String> members) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("visibility", visibility == null ? null : visibility.wireName());
    body.put("members", members == null ? List.of() : members);
    return codec.decodeRoomSummary(call("POST", "/api/rooms", codec.encodeObject(body), true));
  }

  RoomSummary openDm(String username) {
    return codec.decodeRoomSummary(call("POST", "/api/dms", fields("username", username), true));
  }

  RoomSummary join(String roomId) {
    return codec.decodeRoomSummary(call("POST", roomPath(roomId) + "/join", null, true));
  }

  void leave(String roomId) {
    call("POST", roomPath(roomId) + "/leave", null, true);
  }

  RoomSummary invite(String roomId, String username) {
    return codec.decodeRoomSummary(
        call("POST", roomPath(roomId) + "/members", fields("username", username), true));
  }

  void kick(String roomId, String username) {
    call("DELETE", roomPath(roomId) + "/members/" + encode(username), null, true);
  }

  MessagePage messages(String roomId, Long before, Long after, Integer limit) {
    return codec.decodeMessagePage(
        call(
            "GET",
            roomPath(roomId)
                + "/messages"
                + query("before", before, "after", after, "limit", limit),
            null,
            true));
  }

  List<SearchHit> search(String query, String roomId) {
    return codec.decodeSearchHits(
        call("GET", "/api/search" + query("q", query, "room", roomId), null, true));
  }

  private String call(String method, String path, String json, boolean authenticated) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(TIMEOUT)
            .header("Accept", "application/json");
    if (json != null) {
      request.header("Content-Type", "application/json");
      request.method(method, HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    if (authenticated) {
      String t = token.get();
      if (t == null) {
        throw new ChatException.Unauthorized("not signed in");
      }
      request.header("Authorization", "Bearer " + t);
    }
    HttpResponse<String> response;
    try {
      response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new java.io.InterruptedIOException("interrupted"));
    }
    if (response.statusCode() >= 400) {
      throw codec.decodeError(response.statusCode(), response.body());
    }
    return response.body();
  }

  private String fields(Object... keyValues) {
    Map<String, Object> body = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      body.put((String) keyValues[i], keyValues[i + 1]);
    }
    return codec.encodeObject(body);
  }

  private static String roomPath(String roomId) {
    if (roomId == null || roomId.isBlank()) {
      throw new ChatException.BadRequest("room is required");
    }
    return "/api/rooms/" + encode(roomId);
  }

  private static String query(Object... keyValues) {
    StringJoiner q = new StringJoiner("&", "?", "").setEmptyValue("");
    for (int i = 0; i < keyValues.length; i += 2) {
      if (keyValues[i + 1] != null) {
        q.add(keyValues[i] + "=" + encode(String.valueOf(keyValues[i + 1])));
      }
    }
    return q.toString();
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
