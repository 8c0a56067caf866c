package dev.natter.examples;

import dev.natter.core.ChatEngine;
import dev.natter.core.model.Message;
import dev.natter.core.model.User;
import dev.natter.core.protocol.ServerEvent;
import dev.natter.core.store.memory.InMemoryChatStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * chat-core alone, in memory, without a network: two users, a direct message, and a listener that
 * receives what the other one writes. The same engine a server runs, for tests, simulations and
 * apps that want chat rules without sockets.
 */
public final class InMemoryChat {
  private InMemoryChat() {}

  /** Prints what Bob receives from Alice. */
  public static void main(String[] args) throws InterruptedException {
    conversation().forEach(m -> System.out.println(m.sender().username() + ": " + m.body()));
  }

  /**
   * Alice writes to Bob; returns the messages Bob's listener received.
   *
   * @return what Bob received, in order
   * @throws InterruptedException if interrupted while waiting for Bob's events
   */
  public static List<Message> conversation() throws InterruptedException {
    List<Message> received = new ArrayList<>();
    // tag::core[]
    try (ChatEngine engine = ChatEngine.builder(new InMemoryChatStore()).build()) {
      User alice = engine.createUser("alice", "correct horse battery", "Alice");
      User bob = engine.createUser("bob", "correct horse battery", "Bob");
      String dm = engine.openDm(alice, "bob").roomId();
      BlockingQueue<Message> inbox = new LinkedBlockingQueue<>();
      try (var listener =
          engine.listen(
              bob,
              event -> {
                if (event instanceof ServerEvent.MessageEvent m) {
                  inbox.add(m.message()); // on an engine thread, in order
                }
              })) {
        engine.send(alice, dm, "hi Bob").join(); // completes once the message is stored
        engine.send(alice, dm, "lunch at noon?").join();
        received.add(inbox.take());
        received.add(inbox.take());
      }
    }
    // end::core[]
    return received;
  }
}
