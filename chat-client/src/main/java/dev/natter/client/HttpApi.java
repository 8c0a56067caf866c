package dev.natter.client;

import dev.natter.codec.JsonCodec;
import dev.natter.core.ChatException;
import dev.natter.core.model.MessagePage;
import dev.natter.core.model.RoomSummary;
import dev.natter.core.model.SearchHit;
import dev.natter.core.model.User;
import dev.natter.core.model.Visibility;
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
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The HTTP API on the JDK's {@link HttpClient} (only its WebSocket is unreliable), asynchronous,
 * with the session token as a bearer token. A future fails with the server's error as a {@link
 * ChatException}, or with an {@link java.io.IOException} when the server cannot be reached. The
 * futures complete on the HTTP client's threads.
 */
final class HttpApi {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final HttpClient http;
  private final String base;
  private final Supplier<CompletableFuture<String>> token;
  private final JsonCodec codec = JsonCodec.shared();

  /**
   * @param token the session token for authenticated calls (signing in first if need be)
   */
  HttpApi(URI server, Duration connectTimeout, Supplier<CompletableFuture<String>> token) {
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(connectTimeout)
            .build();
    String s = server.toString();
    this.base = s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    this.token = token;
  }

  CompletableFuture<JsonCodec.Auth> login(String username, String password) {
    return call("POST", "/api/login", fields("username", username, "password", password), false)
        .thenApply(codec::decodeAuth);
  }

  CompletableFuture<JsonCodec.Auth> register(String username, String password, String displayName) {
    return call(
            "POST",
            "/api/register",
            fields("username", username, "password", password, "displayName", displayName),
            false)
        .thenApply(codec::decodeAuth);
  }

  CompletableFuture<Void> logout() {
    return call("POST", "/api/logout", null, true).thenApply(body -> null);
  }

  CompletableFuture<User> me() {
    return call("GET", "/api/me", null, true).thenApply(codec::decodeUser);
  }

  CompletableFuture<List<User>> searchUsers(String query) {
    return call("GET", "/api/users" + query("q", query), null, true).thenApply(codec::decodeUsers);
  }

  CompletableFuture<List<RoomSummary>> rooms() {
    return call("GET", "/api/rooms", null, true).thenApply(codec::decodeRoomSummaries);
  }

  CompletableFuture<List<RoomSummary>> publicRooms() {
    return call("GET", "/api/rooms/public", null, true).thenApply(codec::decodeRoomSummaries);
  }

  CompletableFuture<RoomSummary> room(String roomId) {
    return call("GET", roomPath(roomId), null, true).thenApply(codec::decodeRoomSummary);
  }

  CompletableFuture<RoomSummary> createRoom(
      String name, Visibility visibility, List<String> members) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("visibility", visibility.wireName());
    body.put("members", members);
    return call("POST", "/api/rooms", codec.encodeObject(body), true)
        .thenApply(codec::decodeRoomSummary);
  }

  CompletableFuture<RoomSummary> openDm(String username) {
    return call("POST", "/api/dms", fields("username", username), true)
        .thenApply(codec::decodeRoomSummary);
  }

  CompletableFuture<RoomSummary> join(String roomId) {
    return call("POST", roomPath(roomId) + "/join", null, true).thenApply(codec::decodeRoomSummary);
  }

  CompletableFuture<Void> leave(String roomId) {
    return call("POST", roomPath(roomId) + "/leave", null, true).thenApply(body -> null);
  }

  CompletableFuture<RoomSummary> invite(String roomId, String username) {
    return call("POST", roomPath(roomId) + "/members", fields("username", username), true)
        .thenApply(codec::decodeRoomSummary);
  }

  CompletableFuture<Void> kick(String roomId, String username) {
    return call("DELETE", roomPath(roomId) + "/members/" + encode(username), null, true)
        .thenApply(body -> null);
  }

  CompletableFuture<MessagePage> messages(String roomId, HistoryQuery q) {
    String query =
        query(
            "before",
            q.before > 0 ? q.before : null,
            "after",
            q.after >= 0 ? q.after : null,
            "limit",
            q.limit);
    return call("GET", roomPath(roomId) + "/messages" + query, null, true)
        .thenApply(codec::decodeMessagePage);
  }

  CompletableFuture<List<SearchHit>> search(String query, String roomId) {
    return call("GET", "/api/search" + query("q", query, "room", roomId), null, true)
        .thenApply(codec::decodeSearchHits);
  }

  private CompletableFuture<String> call(
      String method, String path, String json, boolean authenticated) {
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
    CompletableFuture<HttpRequest> ready =
        authenticated
            ? token.get().thenApply(t -> request.header("Authorization", "Bearer " + t).build())
            : CompletableFuture.completedFuture(request.build());
    return ready
        .thenCompose(
            r -> http.sendAsync(r, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)))
        .thenApply(
            response -> {
              if (response.statusCode() >= 400) {
                throw codec.decodeError(response.statusCode(), response.body());
              }
              return response.body();
            });
  }

  private String fields(Object... keyValues) {
    Map<String, Object> body = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      if (keyValues[i + 1] != null) {
        body.put((String) keyValues[i], keyValues[i + 1]);
      }
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
