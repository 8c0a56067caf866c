package dev.natter.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.natter.client.ChatClient;
import dev.natter.client.ConnectionState;
import dev.natter.client.HistoryQuery;
import dev.natter.core.model.Message;
import dev.natter.core.model.Visibility;
import dev.natter.core.protocol.ServerEvent;
import dev.natter.transport.NatterServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Runs the examples for real: an embedded server on port 0, the echo bot, a server restart. */
@Timeout(120)
class ExamplesTest {
  private static final String PASSWORD = "correct horse battery";
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dataDir;

  private final List<ServerEvent.MessageEvent> seen = new CopyOnWriteArrayList<>();

  private List<Message> answers(String room) {
    return seen.stream()
        .map(ServerEvent.MessageEvent::message)
        .filter(m -> m.room().equals(room) && m.sender().username().equals("echo"))
        .toList();
  }

  private Message awaitAnswerTo(String room, ServerEvent.Ack mention) {
    await()
        .atMost(WAIT)
        .until(() -> answers(room).stream().anyMatch(m -> mention.messageId().equals(m.replyTo())));
    return answers(room).stream()
        .filter(m -> mention.messageId().equals(m.replyTo()))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void theEmbeddedServerServesApiAndUi() throws Exception {
    try (NatterServer natter = EmbeddedServerExample.start(dataDir, 0)) {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpResponse<String> health =
          http.send(
              HttpRequest.newBuilder(natter.uri().resolve("/healthz")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).contains("ok");
      // chat-web is on this module's runtime classpath, so the UI is served.
      assertThat(natter.servesUi()).isTrue();
      HttpResponse<String> index =
          http.send(
              HttpRequest.newBuilder(natter.uri().resolve("/")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(index.statusCode()).isEqualTo(200);
      assertThat(index.body().toLowerCase()).contains("<html");
      assertThat(Files.exists(dataDir.resolve("natter.db"))).isTrue();
    }
  }

  @Test
  void theEchoBotAnswersMentionsInItsRoomsAndSurvivesARestart() throws Exception {
    NatterServer natter = EmbeddedServerExample.start(dataDir, 0);
    int port = natter.port();
    URI uri = natter.uri();
    EchoBot bot = null;
    ChatClient alice = null;
    try {
      bot = EchoBot.start(uri, "echo", "a long bot password");
      alice =
          ChatClient.builder(uri)
              .register("alice", PASSWORD)
              .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
              .build();
      alice.addListener(
          (c, event) -> {
            if (event instanceof ServerEvent.MessageEvent e) {
              seen.add(e);
            }
          });
      alice.connect().get(30, TimeUnit.SECONDS);

      String dm = alice.openDm("echo").join().room().id();
      ServerEvent.Ack hello = alice.send(dm, "hi @echo how are you").get(30, TimeUnit.SECONDS);
      assertThat(awaitAnswerTo(dm, hello).body()).isEqualTo("@alice echo: hi how are you");

      String lobby =
          alice.createRoom("lobby", Visibility.PUBLIC, List.of("echo")).join().room().id();
      ServerEvent.Ack inLobby = alice.send(lobby, "@ECHO ping").get(30, TimeUnit.SECONDS);
      assertThat(awaitAnswerTo(lobby, inLobby).body()).isEqualTo("@alice echo: ping");
      alice.send(lobby, "no mention here, nor of @echoes").get(30, TimeUnit.SECONDS);

      // The server goes away; alice mentions the bot meanwhile (her client keeps the message).
      natter.close();
      ChatClient a = alice;
      EchoBot b = bot;
      await().atMost(WAIT).until(() -> a.state() == ConnectionState.RECONNECTING);
      await().atMost(WAIT).until(() -> b.client().state() == ConnectionState.RECONNECTING);
      CompletableFuture<ServerEvent.Ack> whileDown = alice.send(dm, "@echo are you back?");

      natter = EmbeddedServerExample.start(dataDir, port); // same data, same port
      ServerEvent.Ack back = whileDown.get(30, TimeUnit.SECONDS);
      assertThat(awaitAnswerTo(dm, back).body()).isEqualTo("@alice echo: are you back?");
      ServerEvent.Ack after = alice.send(dm, "@echo still there").get(30, TimeUnit.SECONDS);
      assertThat(awaitAnswerTo(dm, after).body()).isEqualTo("@alice echo: still there");

      // One answer per mention, none for the message without one.
      Thread.sleep(500);
      assertThat(answers(dm)).hasSize(3);
      assertThat(answers(lobby)).hasSize(1);
      assertThat(bot.client().outbox().entries()).isEmpty();
      List<String> history =
          alice.history(dm, HistoryQuery.after(0, 50)).join().messages().stream()
              .map(Message::body)
              .toList();
      assertThat(history)
          .containsExactly(
              "hi @echo how are you",
              "@alice echo: hi how are you",
              "@echo are you back?",
              "@alice echo: are you back?",
              "@echo still there",
              "@alice echo: still there");
    } finally {
      if (alice != null) {
        alice.close();
      }
      if (bot != null) {
        bot.close();
      }
      natter.close();
    }
  }
}
