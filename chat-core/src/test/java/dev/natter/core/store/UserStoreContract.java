package dev.natter.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.natter.core.ChatException;
import dev.natter.core.model.Credentials;
import dev.natter.core.model.User;
import dev.natter.core.spi.ChatStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link dev.natter.core.spi.UserStore}: accounts, usernames unique ignoring case,
 * password hashes and last seen. See {@link StoreContract} for how a store runs it.
 */
public abstract class UserStoreContract extends StoreContract<ChatStore> {
  @Test
  void createdUserIsFoundByIdAndByUsernameIgnoringCase() {
    User alice = new User("u-alice", "alice", "Alice Liddell");
    store.createUser(alice, "hash-1", at(0));

    assertThat(store.findUser("u-alice")).contains(alice);
    assertThat(store.findCredentials("alice")).contains(new Credentials(alice, "hash-1"));
    assertThat(store.findCredentials("ALICE")).contains(new Credentials(alice, "hash-1"));
    assertThat(store.findCredentials("bob")).isEmpty();
    assertThat(store.findUser("u-bob")).isEmpty();
  }

  @Test
  void findUsersReturnsTheExistingUsersAmongTheIdsEachOnce() {
    User alice = user("alice");
    User bob = user("bob");
    User carol = user("carol");

    assertThat(store.findUsers(List.of(carol.id(), "u-nobody", alice.id(), carol.id())))
        .containsExactlyInAnyOrder(alice, carol);
    assertThat(store.findUsers(java.util.Set.of(bob.id()))).containsExactly(bob);
    assertThat(store.findUsers(List.of("u-nobody"))).isEmpty();
    assertThat(store.findUsers(List.of())).isEmpty();
  }

  @Test
  void findUsersTakesMoreIdsThanOneStatementMayBindParameters() {
    User alice = user("alice");
    User zed = user("zed");
    List<String> ids = new ArrayList<>();
    ids.add(alice.id());
    for (int i = 0; i < 2_500; i++) {
      ids.add("u-missing-" + i);
    }
    ids.add(zed.id());

    assertThat(store.findUsers(ids)).containsExactlyInAnyOrder(alice, zed);
  }

  @Test
  void usernamesAreUniqueIgnoringCase() {
    User alice = user("alice");

    assertThatThrownBy(() -> store.createUser(new User("u-other", "ALICE", "Other"), "h", at(1)))
        .isInstanceOf(ChatException.Conflict.class);
    assertThatThrownBy(() -> store.createUser(new User("u-alice", "alice2", "Same id"), "h", at(1)))
        .isInstanceOf(ChatException.Conflict.class);
    assertThat(store.findCredentials("Alice").map(Credentials::user)).contains(alice);
    assertThat(store.findUser("u-other")).isEmpty();
    assertThat(store.findCredentials("alice2")).isEmpty();
  }

  @Test
  void updatePasswordHashReplacesTheHashOfAnExistingUser() {
    User alice = user("alice");

    assertThat(store.updatePasswordHash(alice.id(), "new-hash")).isTrue();
    assertThat(store.findCredentials("alice")).contains(new Credentials(alice, "new-hash"));
    assertThat(store.updatePasswordHash("u-nobody", "x")).isFalse();
  }

  @Test
  void searchUsersMatchesUsernameOrDisplayNameIgnoringCaseOrderedByUsername() {
    User dave = user("dave", "Dave Alison");
    User alice = user("alice", "Alice Liddell");
    User carol = user("carol", "Caroline");
    User bob = user("bob", "Bob Builder");

    assertThat(store.searchUsers("ALI", 10)).containsExactly(alice, dave);
    assertThat(store.searchUsers("o", 10)).containsExactly(bob, carol, dave);
    assertThat(store.searchUsers("o", 2)).containsExactly(bob, carol);
    assertThat(store.searchUsers("caroline", 10)).containsExactly(carol);
    assertThat(store.searchUsers("zzz", 10)).isEmpty();
  }

  @Test
  void lastSeenOfSeveralUsersHasThoseEverSeen() {
    User alice = user("alice");
    User bob = user("bob");
    User carol = user("carol");
    store.updateLastSeen(alice.id(), at(5));
    store.updateLastSeen(carol.id(), at(7));
    List<String> ids = new ArrayList<>(List.of(alice.id(), bob.id(), carol.id(), alice.id()));
    for (int i = 0; i < 1_200; i++) {
      ids.add("u-missing-" + i); // more than one statement binds
    }

    assertThat(store.lastSeen(ids))
        .containsExactlyInAnyOrderEntriesOf(Map.of(alice.id(), at(5), carol.id(), at(7)));
    assertThat(store.lastSeen(List.of(bob.id()))).isEmpty();
    assertThat(store.lastSeen(List.<String>of())).isEmpty();
  }

  @Test
  void lastSeenRoundTrips() {
    User alice = user("alice");
    assertThat(store.lastSeen(alice.id())).isEmpty();

    store.updateLastSeen(alice.id(), at(5));
    assertThat(store.lastSeen(alice.id())).contains(at(5));
    store.updateLastSeen(alice.id(), at(9));
    assertThat(store.lastSeen(alice.id())).contains(at(9));
    assertThat(store.lastSeen("u-nobody")).isEmpty();
  }
}
