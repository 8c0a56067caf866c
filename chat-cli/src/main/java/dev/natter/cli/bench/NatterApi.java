package dev.natter.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.natter.cli.CliException;
import dev.natter.cli.ExitCodes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/** The few calls of Natter's HTTP API (docs/protocol.md) that set a run up. Thread-safe. */
final class NatterApi {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration RETRY_429_FOR = Duration.ofMinutes(1);

  private volatile long lastSuccessNanos = System.nanoTime();

  private final URI base;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  NatterApi(URI base) {
    this.base = base;
  }

  /** {@code POST /api/register}; returns the new user's token. */
  String register(String username, String password) {
    ObjectNode body = JSON.createObjectNode().put("username", username).put("password", password);
    return call("POST", "/api/register", null, body, 201).path("token").asText();
  }

  /** Whether {@code token} is a live session ({@code GET /api/me}). */
  boolean signedIn(String token) {
    return status("GET", "/api/me", token) == 200;
  }

  /** {@code POST /api/rooms}: a private group owned by the token's user; returns its id. */
  String createRoom(String token, String name, List<String> members) {
    ObjectNode body = JSON.createObjectNode().put("name", name).put("visibility", "private");
    members.forEach(body.putArray("members")::add);
    return call("POST", "/api/rooms", token, body, 201).path("id").asText();
  }

  /** {@code POST /api/dms}: finds or creates the DM with {@code username}; returns its id. */
  String openDm(String token, String username) {
    ObjectNode body = JSON.createObjectNode().put("username", username);
    return call("POST", "/api/dms", token, body, 200, 201).path("id").asText();
  }

  /** The newest seq of a room (0 when empty), or -1 when the user cannot read it. */
  long lastSeq(String token, String room) {
    HttpResponse<String> r = send("GET", "/api/rooms/" + room + "/messages?limit=1", token, null);
    if (r.statusCode() != 200) {
      return -1;
    }
    JsonNode messages = parse(r).path("messages");
    return messages.isEmpty() ? 0 : messages.get(messages.size() - 1).path("seq").asLong();
  }

  private int status(String method, String path, String token) {
    return send(method, path, token, null).statusCode();
  }

  private JsonNode call(String method, String path, String token, JsonNode body, int... ok) {
    HttpResponse<String> r = send(method, path, token, body);
    for (int s : ok) {
      if (r.statusCode() == s) {
        return parse(r);
      }
    }
    String message = r.body();
    try {
      message = JSON.readTree(r.body()).path("error").path("message").asText(r.body());
    } catch (IOException e) {
      // the raw body then
    }
    throw CliException.failure(
        method + " " + path + " answered " + r.statusCode() + ": " + message);
  }

  /**
   * Sends the request; a 429 (the server's password threads are busy with other registrations or
   * sign-ins, which a bench setting up many users causes itself) is retried after a growing pause,
   * as a polite client would, until a minute passes in which no request of this client got through
   * (several threads registering share one slot on a small server: one may lose many times in a row
   * while the others make progress).
   */
  private HttpResponse<String> send(String method, String path, String token, JsonNode body) {
    long started = System.nanoTime();
    long pauseMs = 50;
    while (true) {
      HttpResponse<String> r = sendOnce(method, path, token, body);
      long now = System.nanoTime();
      if (r.statusCode() < 300) {
        lastSuccessNanos = now;
      }
      if (r.statusCode() != 429
          || now - Math.max(started, lastSuccessNanos) > RETRY_429_FOR.toNanos()) {
        return r;
      }
      try {
        Thread.sleep(pauseMs + (long) (Math.random() * pauseMs));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw CliException.failure("interrupted", e);
      }
      pauseMs = Math.min(pauseMs * 2, 2_000);
    }
  }

  private HttpResponse<String> sendOnce(String method, String path, String token, JsonNode body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(Duration.ofSeconds(120))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw CliException.failure(
          method + " " + base.resolve(path) + ": " + ExitCodes.messageOf(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliException.failure("interrupted", e);
    }
  }

  private static JsonNode parse(HttpResponse<String> r) {
    try {
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw CliException.failure("not JSON from the server: " + r.body(), e);
    }
  }
}
