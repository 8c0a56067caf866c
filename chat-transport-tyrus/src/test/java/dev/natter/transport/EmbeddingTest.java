package dev.natter.transport;

import static dev.natter.transport.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.natter.core.ChatEngine;
import dev.natter.core.ConnectedClient;
import dev.natter.core.UserListener;
import dev.natter.core.model.User;
import dev.natter.core.protocol.CloseCode;
import dev.natter.core.protocol.ServerEvent;
import dev.natter.core.security.Pbkdf2PasswordHasher;
import dev.natter.core.spi.ChatStore;
import dev.natter.core.store.memory.InMemoryChatStore;
import dev.natter.store.sqlite.SqliteChatStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole server owned by one object, with the engine used in-process next to the network. */
class EmbeddingTest {
  private static final String PASSWORD = "correct horse battery";

  @TempDir Path dir;

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  /** An in-memory store that notes, when it is closed, what {@code atClose} says then. */
  private static ChatStore recording(Map<String, Object> notes, Supplier<Object> atClose) {
    InMemoryChatStore memory = new InMemoryChatStore();
    return (ChatStore)
        Proxy.newProxyInstance(
            ChatStore.class.getClassLoader(),
            new Class<?>[] {ChatStore.class},
            (proxy, method, args) -> {
              if (method.getName().equals("close") && method.getParameterCount() == 0) {
                notes.put("closed", atClose.get());
              }
              try {
                return method.invoke(memory, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  private HttpResponse<String> get(URI uri, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String register(URI base, String username) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(base.resolve("/api/register"))
                .timeout(Duration.ofSeconds(10))
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"username\":\"" + username + "\",\"password\":\"" + PASSWORD + "\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return json(r).path("token").asText();
  }

  /** A WebSocket with a bearer token, past its {@code ready}. */
  private Ws connect(NatterServer natter, String token) {
    Ws ws =
        Ws.connect(
            http,
            URI.create("ws://127.0.0.1:" + natter.port() + "/ws"),
            List.of("Authorization", "Bearer " + token),
            true);
    ws.next("ready");
    return ws;
  }

  @Test
  void theReadmeRecipeRunsAServerOnSqliteAndClosesItAll() throws Exception {
    Path db = dir.resolve("natter.db");
    try (NatterServer natter =
        NatterServer.builder().store(SqliteChatStore.open(db)).ui(false).port(0).start()) {
      assertThat(get(natter.uri().resolve("/healthz"), null).statusCode()).isEqualTo(200);
      natter.engine().createUser("admin", PASSWORD, "Admin");
    }
    // closed in order: the store was flushed and released, so it opens again with the user
    try (SqliteChatStore again = SqliteChatStore.open(db)) {
      assertThat(again.findCredentials("admin")).isPresent();
    }
  }

  @Test
  void closingStopsTheSocketsThenTheEngineThenTheStore() throws Exception {
    Map<String, Object> notes = new ConcurrentHashMap<>();
    List<CloseCode> listenerCloses = new CopyOnWriteArrayList<>();
    NatterServer[] holder = new NatterServer[1];
    ChatStore store =
        recording(notes, () -> List.of(holder[0].connectionCount(), List.copyOf(listenerCloses)));
    NatterServer natter =
        NatterServer.builder()
            .store(store)
            .engine(e -> e.passwordHasher(new Pbkdf2PasswordHasher(1000)))
            .ui(false)
            .start();
    holder[0] = natter;
    String token = register(natter.uri(), "alice");
    Ws socket = connect(natter, token);
    User alice = natter.engine().user("alice");
    natter
        .engine()
        .listen(
            alice,
            new UserListener() {
              @Override
              public void onEvent(ServerEvent event) {}

              @Override
              public void onClosed(CloseCode code) {
                listenerCloses.add(code);
              }
            });

    natter.close();

    assertThat(socket.awaitClose(Duration.ofSeconds(5))).isEqualTo(CloseCode.GOING_AWAY.code());
    // when the store closed, no socket was open and the engine had closed its listener
    assertThat(notes.get("closed")).isEqualTo(List.of(0, List.of(CloseCode.GOING_AWAY)));
    natter.close(); // idempotent
  }

  @Test
  void aServerInFrontOfTheCallersEngineLeavesItOpen() throws Exception {
    try (InMemoryChatStore store = new InMemoryChatStore();
        ChatEngine engine =
            ChatEngine.builder(store).passwordHasher(new Pbkdf2PasswordHasher(1000)).build()) {
      NatterServer natter = NatterServer.builder(engine).ui(false).start();
      assertThat(natter.engine()).isSameAs(engine);
      natter.close();
      assertThat(engine.createUser("still", PASSWORD, null).username()).isEqualTo("still");
    }
  }

  @Test
  void aServerThatCannotStartClosesWhatItOwns() {
    Map<String, Object> notes = new ConcurrentHashMap<>();
    try (NatterServer first =
        NatterServer.builder().store(new InMemoryChatStore()).ui(false).start()) {
      NatterServerBuilder second =
          NatterServer.builder()
              .store(recording(notes, () -> "closed"))
              .ui(false)
              .port(first.port());

      assertThatThrownBy(second::start).isInstanceOf(UncheckedIOException.class);
      assertThat(notes).containsEntry("closed", "closed");
    }
  }

  @Test
  void theBuilderWantsExactlyOneOfStoreAndEngine() throws Exception {
    assertThatThrownBy(() -> NatterServer.builder().start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("store");
    try (InMemoryChatStore store = new InMemoryChatStore();
        ChatEngine engine = ChatEngine.builder(store).build()) {
      assertThatThrownBy(() -> NatterServer.builder(engine).store(store))
          .isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> NatterServer.builder(engine).engine(b -> {}))
          .isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void metricsAreServedOnlyWithAPrometheusRegistry() throws Exception {
    SimpleMeterRegistry simple = new SimpleMeterRegistry();
    try (NatterServer withSimple =
            NatterServer.builder()
                .store(new InMemoryChatStore())
                .meterRegistry(simple)
                .ui(false)
                .start();
        NatterServer withDefault =
            NatterServer.builder().store(new InMemoryChatStore()).ui(false).start()) {
      for (NatterServer natter : List.of(withSimple, withDefault)) {
        assertThat(natter.servesMetrics()).isFalse();
        HttpResponse<String> metrics = get(natter.uri().resolve("/metrics"), null);
        assertThat(metrics.statusCode()).isEqualTo(404);
        assertThat(natter.meterRegistry().find("natter.connections").gauge()).isNotNull();
      }
      assertThat(withSimple.meterRegistry()).isSameAs(simple);
    }
  }

  @Test
  void anInProcessBotAnswersAWebSocketUser() throws Exception {
    try (NatterServer natter =
        NatterServer.builder()
            .store(new InMemoryChatStore())
            .engine(e -> e.passwordHasher(new Pbkdf2PasswordHasher(1000)))
            .ui(false)
            .start()) {
      ChatEngine engine = natter.engine();
      User bot = engine.createUser("bot", PASSWORD, "Bot");
      try (ConnectedClient listening =
          engine.listen(
              bot,
              event -> {
                if (event instanceof ServerEvent.MessageEvent m
                    && !m.message().sender().id().equals(bot.id())) {
                  engine.send(bot, m.message().room(), "echo: " + m.message().body());
                }
              })) {
        String token = register(natter.uri(), "alice");
        Ws alice = connect(natter, token);
        String dm = engine.openDm(engine.user("alice"), "bot").room().room().id();
        alice.send(
            "{\"type\":\"send\",\"id\":\"s1\",\"room\":\""
                + dm
                + "\",\"clientMsgId\":\"c1\",\"body\":\"hello\"}");

        JsonNode echo =
            alice.next("message", j -> j.path("sender").path("username").asText().equals("bot"));
        assertThat(echo.path("body").asText()).isEqualTo("echo: hello");
        alice.abort();
      }
    }
  }
}
