package dev.natter.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.natter.core.ChatEngine;
import dev.natter.core.security.Pbkdf2PasswordHasher;
import dev.natter.core.spi.ChatStore;
import dev.natter.core.store.memory.InMemoryChatStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** A real server on port 0 over an in-memory store, with HTTP and WebSocket helpers. */
final class TestServer implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  final ChatStore store;
  final ChatEngine engine;
  final NatterServer server;
  final HttpClient http;
  private final List<Ws> sockets = new ArrayList<>();

  /** A registered user: id, username and session token. */
  record Account(String id, String username, String token) {}

  /** A server that owns its engine and store, with a Prometheus registry (so /metrics). */
  private TestServer(
      ChatStore store,
      Consumer<ChatEngine.Builder> engineConfig,
      Consumer<NatterServerBuilder> serverConfig) {
    this.store = store;
    NatterServerBuilder sb =
        NatterServer.builder()
            .store(store)
            .engine(
                eb -> {
                  eb.passwordHasher(new Pbkdf2PasswordHasher(1000));
                  engineConfig.accept(eb);
                })
            .meterRegistry(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
            .port(0)
            .ui(false);
    serverConfig.accept(sb);
    this.server = sb.start();
    this.engine = server.engine();
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  static TestServer start() {
    return start(e -> {}, s -> {});
  }

  static TestServer start(
      Consumer<ChatEngine.Builder> engineConfig, Consumer<NatterServerBuilder> serverConfig) {
    return new TestServer(new InMemoryChatStore(), engineConfig, serverConfig);
  }

  static TestServer start(
      ChatStore store,
      Consumer<ChatEngine.Builder> engineConfig,
      Consumer<NatterServerBuilder> serverConfig) {
    return new TestServer(store, engineConfig, serverConfig);
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  URI wsUri() {
    return URI.create("ws://127.0.0.1:" + server.port() + "/ws");
  }

  String origin() {
    return "http://127.0.0.1:" + server.port();
  }

  // ---- HTTP

  HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(
          request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  HttpRequest.Builder request(String method, String path, String token, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri(path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  HttpResponse<String> get(String path, String token) {
    return send(request("GET", path, token, null));
  }

  HttpResponse<String> post(String path, String token, String body) {
    return send(request("POST", path, token, body));
  }

  HttpResponse<String> put(String path, String token, String body) {
    return send(request("PUT", path, token, body));
  }

  HttpResponse<String> delete(String path, String token) {
    return send(request("DELETE", path, token, null));
  }

  static JsonNode json(HttpResponse<String> response) {
    return json(response.body());
  }

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Asserts an error answer: status and {@code error.code}. */
  static void assertError(HttpResponse<String> response, int status, String code) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(json(response).path("error").path("code").asText()).isEqualTo(code);
    assertThat(json(response).path("error").path("message").asText()).isNotBlank();
  }

  Account register(String username) {
    HttpResponse<String> r =
        post(
            "/api/register",
            null,
            "{\"username\":\"" + username + "\",\"password\":\"correct horse battery\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonNode j = json(r);
    return new Account(j.path("user").path("id").asText(), username, j.path("token").asText());
  }

  /** Creates a group room owned by {@code owner} with the given members; returns its id. */
  String createRoom(Account owner, String name, String visibility, String... members) {
    StringBuilder m = new StringBuilder();
    for (String u : members) {
      m.append(m.length() == 0 ? "" : ",").append('"').append(u).append('"');
    }
    HttpResponse<String> r =
        post(
            "/api/rooms",
            owner.token(),
            "{\"name\":\""
                + name
                + "\",\"visibility\":\""
                + visibility
                + "\",\"members\":["
                + m
                + "]}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return json(r).path("id").asText();
  }

  String openDm(Account a, Account b) {
    HttpResponse<String> r = post("/api/dms", a.token(), "{\"username\":\"" + b.username() + "\"}");
    assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
    return json(r).path("id").asText();
  }

  // ---- WebSocket

  /** Connects with a bearer token and waits for {@code ready}. */
  Ws connect(Account account) {
    Ws ws = Ws.connect(http, wsUri(), List.of("Authorization", "Bearer " + account.token()), true);
    sockets.add(ws);
    JsonNode ready = ws.next("ready");
    assertThat(ready.path("user").path("id").asText()).isEqualTo(account.id());
    return ws;
  }

  @Override
  public void close() {
    for (Ws ws : sockets) {
      ws.abort();
    }
    server.close(); // and its engine and store
  }
}
