package dev.natter.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.natter.core.model.Message;
import dev.natter.core.protocol.ServerEvent;
import dev.natter.store.sqlite.SqliteChatStore;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A server restarted on the same SQLite file: history is intact and clients carry on. */
@Timeout(60)
class ChatClientSqliteRestartTest {
  @TempDir Path dir;

  @Test
  void clientsResumeAfterARestartOnTheSameDatabase() throws Exception {
    Path db = dir.resolve("natter.db");
    try (LiveServer server = LiveServer.reopening(() -> SqliteChatStore.open(db));
        Peer alice = Peer.connect(server.register("alice"));
        Peer bob = Peer.connect(server.register("bob"))) {
      String room = alice.client.openDm("bob").join().room().id();
      alice.client.send(room, "before the restart").get(10, TimeUnit.SECONDS);
      bob.client.send(room, "noted").get(10, TimeUnit.SECONDS);
      await().until(() -> alice.bodies(room).size() == 2 && bob.bodies(room).size() == 2);
      String token = alice.client.session().join().token();

      server.stop();
      await().until(() -> alice.client.state() == ConnectionState.RECONNECTING);
      CompletableFuture<ServerEvent.Ack> whileDown = alice.client.send(room, "while it was down");
      server.startAgain();

      // Same session (tokens are stored), same room, the send made while down is stored once.
      assertThat(whileDown.get(20, TimeUnit.SECONDS).seq()).isEqualTo(3);
      assertThat(alice.client.session().join().token()).isEqualTo(token);
      bob.client.send(room, "after the restart").get(10, TimeUnit.SECONDS);
      await().until(() -> alice.bodies(room).size() >= 4 && bob.bodies(room).size() >= 4);
      assertThat(alice.bodies(room))
          .containsExactly("before the restart", "noted", "while it was down", "after the restart");
      assertThat(bob.bodies(room)).isEqualTo(alice.bodies(room));
      assertThat(
              bob.client
                  .history(room, HistoryQuery.latest(50))
                  .get(10, TimeUnit.SECONDS)
                  .messages())
          .extracting(Message::body)
          .containsExactly("before the restart", "noted", "while it was down", "after the restart");
      assertThat(alice.readies).hasSize(2);
      assertThat(bob.readies).hasSize(2);
    }
  }
}
