package dev.natter.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.natter.core.model.AuthSession;
import dev.natter.core.model.User;
import dev.natter.core.spi.ChatStore;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link dev.natter.core.spi.SessionStore}: sessions created, found and deleted.
 * See {@link StoreContract} for how a store runs it.
 */
public abstract class SessionStoreContract extends StoreContract<ChatStore> {
  @Test
  void sessionsAreCreatedFoundAndDeleted() {
    User alice = user("alice");
    User bob = user("bob");
    AuthSession a1 = new AuthSession("s-a1", alice.id(), at(0), at(3600));
    AuthSession a2 = new AuthSession("s-a2", alice.id(), at(10), at(3610));
    AuthSession b1 = new AuthSession("s-b1", bob.id(), at(20), at(3620));
    store.createSession(a1);
    store.createSession(a2);
    store.createSession(b1);

    assertThat(store.findSession("s-a1")).contains(a1);
    assertThat(store.findSession("s-none")).isEmpty();

    assertThat(store.deleteSession("s-a1")).isTrue();
    assertThat(store.deleteSession("s-a1")).isFalse();
    assertThat(store.findSession("s-a1")).isEmpty();

    store.createSession(new AuthSession("s-a3", alice.id(), at(30), at(3630)));
    assertThat(store.deleteSessionsOf(alice.id())).containsExactlyInAnyOrder("s-a2", "s-a3");
    assertThat(store.findSession("s-a2")).isEmpty();
    assertThat(store.findSession("s-a3")).isEmpty();
    assertThat(store.findSession("s-b1")).contains(b1);
    assertThat(store.deleteSessionsOf(alice.id())).isEmpty();
  }
}
