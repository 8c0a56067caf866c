package dev.natter.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.natter.core.AuthResult;
import dev.natter.core.model.Presence;
import dev.natter.core.protocol.ServerEvent;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Finding 8 (issue 12): a user whose connections come and go many times a second costs each contact
 * a few presence events, and the contact still ends up with the right status.
 */
class PresenceDebounceTest {
  private static final Duration WINDOW = Duration.ofMillis(300);
  private Fixture fx;

  @AfterEach
  void tearDown() {
    fx.close();
  }

  private static List<Presence> presenceOf(Client watcher, AuthResult who) {
    return watcher.conn.events().stream()
        .filter(ServerEvent.PresenceEvent.class::isInstance)
        .map(e -> ((ServerEvent.PresenceEvent) e).presence())
        .filter(p -> p.user().id().equals(who.user().id()))
        .toList();
  }

  @Test
  void aUserFlappingManyTimesASecondCostsAContactAFewEvents() throws Exception {
    fx =
        Fixture.builder()
            .systemClock()
            .limits(Fixture.limits().toBuilder().presenceDebounce(WINDOW).build())
            .start();
    AuthResult alice = fx.register("alice");
    AuthResult bob = fx.register("bob");
    fx.group(alice, "general", bob);
    Client laptop = fx.connect(alice);

    long start = System.nanoTime();
    for (int i = 0; i < 40; i++) {
      fx.connect(bob).cc.close();
    }
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;

    // bob ends offline: alice hears it once the window has passed (bounded wait)
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    List<Presence> seen = presenceOf(laptop, bob);
    while ((seen.isEmpty() || seen.get(seen.size() - 1).status() != Presence.Status.OFFLINE)
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
      seen = presenceOf(laptop, bob);
    }
    assertThat(seen).isNotEmpty();
    assertThat(seen.get(seen.size() - 1).status()).isEqualTo(Presence.Status.OFFLINE);
    Thread.sleep(WINDOW.toMillis() * 2); // nothing more comes after the last window
    List<Presence> all = presenceOf(laptop, bob);
    // at most one event per window while it flapped, plus the first and the last: 80 without
    long windows = elapsedMs / WINDOW.toMillis() + 1;
    assertThat(all.size())
        .as("%d events in %d ms", all.size(), elapsedMs)
        .isLessThanOrEqualTo((int) (windows + 2));
    for (int i = 1; i < all.size(); i++) {
      assertThat(all.get(i).status())
          .as("no repeated status")
          .isNotEqualTo(all.get(i - 1).status());
    }
  }

  @Test
  void aSingleChangeIsToldAtOnce() {
    fx =
        Fixture.builder()
            .limits(Fixture.limits().toBuilder().presenceDebounce(Duration.ofHours(1)).build())
            .start();
    AuthResult alice = fx.register("alice");
    AuthResult bob = fx.register("bob");
    fx.group(alice, "general", bob);
    Client laptop = fx.connect(alice);
    fx.connect(bob);
    laptop.conn.await(
        ServerEvent.PresenceEvent.class,
        p ->
            p.presence().user().id().equals(bob.user().id())
                && p.presence().status() == Presence.Status.ONLINE);
  }
}
