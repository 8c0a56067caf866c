package dev.natter.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.natter.core.AuthResult;
import dev.natter.core.Text;
import dev.natter.core.model.Message;
import dev.natter.core.protocol.ClientCommand;
import dev.natter.core.protocol.ServerEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Lone UTF-16 surrogates in commands become U+FFFD once, before validation and the store. */
class TextSanitizingTest {
  private Fixture fx;
  private AuthResult alice;
  private AuthResult bob;
  private String general;
  private Client laptop;
  private Client bobby;

  @BeforeEach
  void setUp() {
    fx = Fixture.start();
    alice = fx.register("alice");
    bob = fx.register("bob");
    general = fx.group(alice, "general", bob).room().id();
    laptop = fx.connect(alice);
    bobby = fx.connect(bob);
  }

  @AfterEach
  void tearDown() {
    fx.close();
  }

  @Test
  void sanitizeReplacesOnlyLoneSurrogates() {
    assertThat(Text.sanitize("a\uD800b")).isEqualTo("a\uFFFDb");
    assertThat(Text.sanitize("\uDC00x\uD800")).isEqualTo("\uFFFDx\uFFFD");
    assertThat(Text.sanitize("\uDC00\uD800")).isEqualTo("\uFFFD\uFFFD");
    String pair = "ok \uD83D\uDC4D"; // 👍, a well-formed pair
    assertThat(Text.sanitize(pair)).isSameAs(pair);
    assertThat(Text.sanitize(null)).isNull();
  }

  @Test
  void aBodyWithALoneSurrogateIsStoredAndDeliveredWithTheReplacementCharacter() {
    ServerEvent.Ack ack = laptop.send(general, "a\uD800b");

    Message stored = fx.memory.messagesAfter(general, 0, 10).get(0);
    assertThat(stored.body()).isEqualTo("a\uFFFDb");
    assertThat(bobby.conn.awaitMessage(ack.messageId()).message().body()).isEqualTo("a\uFFFDb");
  }

  @Test
  void everyStringFieldOfACommandIsSanitizedTheRequestIdToo() {
    String id = "req-\uDBFF";
    laptop.handle(new ClientCommand.Send(id, general, "c-\uD800", "hi", null));

    ServerEvent answer = laptop.conn.await(ServerEvent.Ack.class, e -> true);
    assertThat(((ServerEvent.Ack) answer).id()).isEqualTo("req-\uFFFD");
    assertThat(((ServerEvent.Ack) answer).clientMsgId()).isEqualTo("c-\uFFFD");
  }

  @Test
  void namesAreSanitizedToo() {
    AuthResult carol = fx.engine.register("carol", Fixture.PASSWORD, "Ca\uDC00rol");
    assertThat(carol.user().displayName()).isEqualTo("Ca\uFFFDrol");
    assertThat(fx.group(alice, "lo\uD800unge").room().name()).isEqualTo("lo\uFFFDunge");
  }
}
