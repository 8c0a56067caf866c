package dev.natter.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.natter.core.model.Message;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs the chat-core-alone recipe: Bob's listener gets Alice's messages, in order, once each. */
@Timeout(30)
class InMemoryChatTest {
  @Test
  void bobReceivesWhatAliceWrites() throws Exception {
    List<Message> received = InMemoryChat.conversation();

    assertThat(received).extracting(Message::body).containsExactly("hi Bob", "lunch at noon?");
    assertThat(received).extracting(m -> m.sender().username()).containsOnly("alice");
    assertThat(received).extracting(Message::seq).containsExactly(1L, 2L);
  }
}
