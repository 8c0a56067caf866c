package dev.natter.client;

import dev.natter.codec.JsonCodec;
import dev.natter.core.ChatException;
import dev.natter.core.model.FileInfo;
import dev.natter.core.model.MessagePage;
import dev.natter.core.model.NotifyLevel;
import dev.natter.core.model.RoomSummary;
import dev.natter.core.model.SearchHit;
import dev.natter.core.model.User;
import dev.natter.core.model.Visibility;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.function.Supplier;

/**
 * The HTTP API on the JDK's {@link HttpClient} (only its WebSocket is unreliable), asynchronous,
 * with the session token as a bearer token. A future fails with the server's error as a {@link
 * ChatException}, or with an {@link java.io.IOException} when the server cannot be reached. The
 * futures complete on the HTTP client's threads.
 */
final class HttpApi {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /**
   * Whether uploads ask {@code Expect: 100-continue}, so that a file over the server's limit is
   * refused before its bytes are sent. Java 17's HttpClient waits forever when the answer to that
   * is a final status such as 413 (seen with 17.0.15; 25 is fine): there the body goes out whole,
   * and the server reads and throws it away to answer 413 all the same.
   */
  private static final boolean EXPECT_CONTINUE_WORKS = Runtime.version().feature() >= 25;

  /** The slowest upload that is not given up on: 16 KiB/s, on top of {@link #TIMEOUT}. */
  private static final long SLOWEST_UPLOAD_BYTES_PER_SECOND = 16 * 1024;

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

  CompletableFuture<RoomSummary> setNotifyLevel(String roomId, NotifyLevel level) {
    return call("PUT", roomPath(roomId) + "/notify", fields("level", level.wireName()), true)
        .thenApply(codec::decodeRoomSummary);
  }

  /**
   * {@code POST /api/rooms/{id}/files}: streams the file as {@code multipart/form-data}; {@code
   * progress} hears the file's bytes as they go out.
   */
  CompletableFuture<FileInfo> upload(String roomId, Path file, TransferProgress progress) {
    String path = roomPath(roomId) + "/files";
    long size;
    MultipartFile body;
    try {
      size = Files.size(file);
      String type = Files.probeContentType(file);
      body =
          new MultipartFile(
              file,
              file.getFileName().toString(),
              type == null ? "application/octet-stream" : type,
              sent -> progress.onProgress(sent, size));
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
    progress.onProgress(0, size);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(TIMEOUT.plusSeconds(size / SLOWEST_UPLOAD_BYTES_PER_SECOND))
            .header("Accept", "application/json")
            .header("Content-Type", body.contentType())
            .expectContinue(EXPECT_CONTINUE_WORKS)
            .POST(body.body());
    return authorized(request)
        .thenCompose(
            r -> http.sendAsync(r, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)))
        .thenApply(this::bodyOrError)
        .thenApply(codec::decodeFile);
  }

  /**
   * {@code GET /api/files/{id}}: writes the bytes to the stream {@code open} gives once the server
   * answers 200 (so nothing is opened for a refusal), as they arrive. Completes with the file as
   * the response describes it: its name from {@code Content-Disposition}, its type, the bytes
   * written.
   */
  CompletableFuture<FileInfo> download(
      String fileId, Callable<OutputStream> open, boolean close, TransferProgress progress) {
    return fetch(fileId, "", open, close, progress);
  }

  /**
   * {@code GET /api/files/{id}/thumbnail}: as {@link #download}, the thumbnail's bytes; the name is
   * the file's, the type the thumbnail's.
   */
  CompletableFuture<FileInfo> downloadThumbnail(
      String fileId, Callable<OutputStream> open, boolean close, TransferProgress progress) {
    return fetch(fileId, "/thumbnail", open, close, progress);
  }

  private CompletableFuture<FileInfo> fetch(
      String fileId,
      String suffix,
      Callable<OutputStream> open,
      boolean close,
      TransferProgress progress) {
    if (fileId == null || fileId.isBlank()) {
      return CompletableFuture.failedFuture(new ChatException.BadRequest("file is required"));
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + "/api/files/" + encode(fileId) + suffix))
            .timeout(TIMEOUT)
            .GET();
    HttpResponse.BodyHandler<Long> handler =
        info -> {
          if (info.statusCode() >= 400) {
            return HttpResponse.BodySubscribers.mapping(
                HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8),
                text -> {
                  throw codec.decodeError(info.statusCode(), text);
                });
          }
          long total = info.headers().firstValueAsLong("Content-Length").orElse(-1);
          progress.onProgress(0, total);
          try {
            return new DownloadSubscriber(
                open.call(), close, received -> progress.onProgress(received, total));
          } catch (Exception e) {
            return failing(e);
          }
        };
    return authorized(request)
        .thenCompose(r -> http.sendAsync(r, handler))
        .thenApply(
            response ->
                new FileInfo(
                    fileId,
                    ContentDisposition.fileName(
                            response.headers().firstValue("Content-Disposition").orElse(null))
                        .orElse(fileId),
                    response
                        .headers()
                        .firstValue("Content-Type")
                        .orElse("application/octet-stream"),
                    response.body(),
                    null,
                    null));
  }

  /** A body subscriber that reads nothing and fails with {@code error}. */
  private static <T> HttpResponse.BodySubscriber<T> failing(Throwable error) {
    return new HttpResponse.BodySubscriber<>() {
      @Override
      public CompletionStage<T> getBody() {
        return CompletableFuture.failedFuture(error);
      }

      @Override
      public void onSubscribe(Flow.Subscription subscription) {
        subscription.cancel();
      }

      @Override
      public void onNext(List<java.nio.ByteBuffer> item) {}

      @Override
      public void onError(Throwable throwable) {}

      @Override
      public void onComplete() {}
    };
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
        authenticated ? authorized(request) : CompletableFuture.completedFuture(request.build());
    return ready
        .thenCompose(
            r -> http.sendAsync(r, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)))
        .thenApply(this::bodyOrError);
  }

  /** The request with the session's token (signing in first if need be). */
  private CompletableFuture<HttpRequest> authorized(HttpRequest.Builder request) {
    return token.get().thenApply(t -> request.header("Authorization", "Bearer " + t).build());
  }

  private String bodyOrError(HttpResponse<String> response) {
    if (response.statusCode() >= 400) {
      throw codec.decodeError(response.statusCode(), response.body());
    }
    return response.body();
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
