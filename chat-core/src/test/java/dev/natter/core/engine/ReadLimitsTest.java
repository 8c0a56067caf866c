package dev.natter.core.engine;

import static dev.natter.core.engine.Fixture.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.natter.core.AuthResult;
import dev.natter.core.protocol.ClientCommand;
import dev.natter.core.protocol.ErrorCode;
import dev.natter.core.protocol.ServerEvent;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Finding 8 (issue 12): history, sync and search share one budget per user; over it, a request gets
 * {@code rate_limited} and other users are not affected.
 */
class ReadLimitsTest {
  private Fixture fx;
  private AuthResult alice;
  private AuthResult bob;
  private String general;
  private Client laptop;
  private Client bobby;

  @BeforeEach
  void setUp() {
    fx = Fixture.builder().limits(Fixture.limits().withReadRate(4, Duration.ofSeconds(10))).start();
    alice = fx.register("alice");
    bob = fx.register("bob");
    general = fx.group(alice, "general", bob).room().id();
    laptop = fx.connect(alice);
    bobby = fx.connect(bob);
    laptop.send(general, "hello");
  }

  @AfterEach
  void tearDown() {
    fx.close();
  }

  private ClientCommand.History history() {
    return new ClientCommand.History(Client.newRequestId(), general, null, 100);
  }

  @Test
  void historySyncAndSearchShareOneBudgetPerUser() {
    laptop.request(history(), ServerEvent.HistoryPage.class);
    laptop.request(
        new ClientCommand.Sync(Client.newRequestId(), Map.of(general, 0L)),
        ServerEvent.Synced.class);
    fx.engine.search(alice.user(), "hello", null);
    fx.engine.messages(alice.user(), general, null, null, 10);

    ServerEvent.Error refused = laptop.error(history());
    assertThat(refused.code()).isEqualTo(ErrorCode.RATE_LIMITED);
    assertThat(refused.message()).contains("history, sync or search");
    laptop.error(new ClientCommand.Sync(Client.newRequestId(), Map.of(general, 0L)));
    assertFails(ErrorCode.RATE_LIMITED, () -> fx.engine.search(alice.user(), "hello", null));
    assertFails(
        ErrorCode.RATE_LIMITED, () -> fx.engine.messages(alice.user(), general, null, null, 10));

    // bob reads on, and alice's connection still works for everything else
    bobby.request(history(), ServerEvent.HistoryPage.class);
    laptop.send(general, "still here");

    fx.clock.advance(Duration.ofSeconds(3)); // a bit more than one read back
    laptop.request(history(), ServerEvent.HistoryPage.class);
    assertThat(laptop.error(history()).code()).isEqualTo(ErrorCode.RATE_LIMITED);
  }
}
