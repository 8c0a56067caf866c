package dev.natter.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.natter.core.AuthResult;
import dev.natter.core.ChatEngine;
import dev.natter.core.Limits;
import dev.natter.core.model.User;
import dev.natter.core.security.Pbkdf2PasswordHasher;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Finding 1 (issue 12): text with lone UTF-16 surrogates cannot be written as UTF-8. It must
 * neither stall a recipient's connection (leaked outbound budget, then 4008) nor stop its delivery.
 */
class UnencodableTextTest {

  private static void manySends(ChatEngine.Builder engine) {
    engine.limits(Limits.defaults().withSendRate(1_000, Duration.ofSeconds(1)));
  }

  @Test
  void aBodyWithALoneSurrogateReachesTheRecipientAsTheReplacementCharacter() {
    try (TestServer t = TestServer.start(UnencodableTextTest::manySends, s -> {})) {
      TestServer.Account alice = t.register("alice");
      TestServer.Account bob = t.register("bob");
      String room = t.openDm(alice, bob);
      Ws bobWs = t.connect(bob);
      User aliceUser = t.engine.authenticate(alice.token()).user();

      for (int i = 0; i < 50; i++) {
        t.engine.send(aliceUser, room, "a\uD800b " + i).join();
      }
      t.engine.send(aliceUser, room, "plain").join();

      for (int i = 0; i < 50; i++) {
        assertThat(bobWs.next("message").path("body").asText()).isEqualTo("a\uFFFDb " + i);
      }
      assertThat(bobWs.next("message").path("body").asText()).isEqualTo("plain");
      assertThat(bobWs.closeCode).isNotDone();
    }
  }

  @Test
  void anEventThatTyrusCouldNotEncodeNeitherStallsNorClosesTheRecipient() {
    try (TestServer t =
        TestServer.start(UnencodableTextTest::manySends, s -> s.outboundBudgetBytes(64 * 1024))) {
      TestServer.Account bob = t.register("bob");
      // a name that never went through validation (an old row, another tool): the send path
      // itself must cope with the lone surrogate
      User mallory = new User("mallory-id", "mallory", "Mal\uD800lory");
      t.store.createUser(
          mallory,
          new Pbkdf2PasswordHasher(1000).hash("correct horse battery".toCharArray()),
          Instant.now());
      AuthResult m = t.engine.login("mallory", "correct horse battery", null);
      String room = t.openDm(new TestServer.Account(mallory.id(), "mallory", m.token()), bob);
      Ws bobWs = t.connect(bob);

      String body = "x".repeat(4_000);
      // 40 x 4 KB: more than the budget if bytes leaked. Each is read before the next is sent, so
      // a busy machine (a late flush thread) cannot pile them up past the budget honestly.
      for (int i = 0; i < 40; i++) {
        t.engine.send(mallory, room, body + i).join();
        JsonNode msg = bobWs.next("message");
        assertThat(msg.path("body").asText()).isEqualTo(body + i);
        assertThat(msg.path("sender").path("displayName").asText()).isEqualTo("Mal\uFFFDlory");
      }
      bobWs.expectNo("never", Duration.ofMillis(200));
      assertThat(bobWs.closeCode).isNotDone();
    }
  }
}
