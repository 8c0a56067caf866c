package dev.natter.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.natter.core.ChatException;
import dev.natter.core.model.Membership;
import dev.natter.core.model.Role;
import dev.natter.core.model.RoomSummary;
import dev.natter.core.model.User;
import dev.natter.core.spi.ChatStore;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link dev.natter.core.spi.MembershipStore}: members added and removed, roles,
 * orders, contacts, and read markers that only move forward. See {@link StoreContract} for how a
 * store runs it.
 */
public abstract class MembershipStoreContract extends StoreContract<ChatStore> {
  @Test
  void addMemberTwiceReturnsFalseAndRemoveMemberRemoves() {
    User alice = user("alice");
    User carol = user("carol");
    String room = groupWith("r-1", alice);

    assertThat(store.addMember(room, carol.id(), Role.ADMIN, at(50))).isTrue();
    assertThat(store.addMember(room, carol.id(), Role.MEMBER, at(60))).isFalse();
    assertThat(store.findMembership(room, carol.id()))
        .contains(new Membership(room, carol.id(), Role.ADMIN, 0, at(50)));
    assertThat(store.roomIdsOf(carol.id())).containsExactly(room);

    assertThat(store.removeMember(room, carol.id())).isTrue();
    assertThat(store.removeMember(room, carol.id())).isFalse();
    assertThat(store.findMembership(room, carol.id())).isEmpty();
    assertThat(store.members(room)).containsExactly(alice);
    assertThat(store.roomIdsOf(carol.id())).isEmpty();

    assertThatThrownBy(() -> store.addMember("r-none", carol.id(), Role.MEMBER, at(70)))
        .isInstanceOf(ChatException.NotFound.class);
  }

  @Test
  void updateRoleChangesTheRoleAndKeepsTheMarkerAndJoinedAt() {
    User alice = user("alice");
    User bob = user("bob");
    User carol = user("carol");
    String room = groupWith("r-1", alice);
    store.addMember(room, bob.id(), Role.MEMBER, at(10));
    for (int i = 1; i <= 3; i++) {
      send(room, alice, "m" + i, at(10 + i));
    }
    store.markRead(room, bob.id(), 2);

    assertThat(store.updateRole(room, bob.id(), Role.OWNER)).isTrue();
    assertThat(store.findMembership(room, bob.id()))
        .contains(new Membership(room, bob.id(), Role.OWNER, 2, at(10)));
    assertThat(store.updateRole(room, bob.id(), Role.OWNER)).isTrue();
    assertThat(store.updateRole(room, alice.id(), Role.ADMIN)).isTrue();
    assertThat(store.findMembership(room, alice.id()))
        .contains(new Membership(room, alice.id(), Role.ADMIN, 0, T0));
    assertThat(store.members(room)).containsExactly(alice, bob);
    assertThat(store.roomIdsOf(bob.id())).containsExactly(room);
    assertThat(store.roomSummary(room, bob.id()).map(RoomSummary::myRole)).contains(Role.OWNER);
    assertThat(store.roomSummary(room, bob.id()).map(RoomSummary::unread)).contains(1L);

    assertThat(store.updateRole(room, carol.id(), Role.ADMIN)).isFalse();
    assertThat(store.findMembership(room, carol.id())).isEmpty();
    assertThat(store.updateRole("r-none", bob.id(), Role.ADMIN)).isFalse();
  }

  @Test
  void membershipsAreLongestStandingFirstThenByUsername() {
    User zed = user("zed");
    User amy = user("amy");
    User mike = user("mike");
    User bea = user("bea");
    String room = groupWith("r-1", zed, amy); // both joined at T0
    store.addMember(room, mike.id(), Role.ADMIN, at(300));
    store.addMember(room, bea.id(), Role.MEMBER, at(200));

    assertThat(store.memberships(room))
        .extracting(Membership::userId, Membership::role, Membership::joinedAt)
        .containsExactly(
            tuple(amy.id(), Role.MEMBER, T0),
            tuple(zed.id(), Role.OWNER, T0),
            tuple(bea.id(), Role.MEMBER, at(200)),
            tuple(mike.id(), Role.ADMIN, at(300)));
    store.removeMember(room, zed.id());
    assertThat(store.memberships(room))
        .extracting(Membership::userId)
        .containsExactly(amy.id(), bea.id(), mike.id());
    assertThat(store.memberships("r-none")).isEmpty();
  }

  @Test
  void membersAreOrderedByUsername() {
    User zed = user("zed");
    User amy = user("amy");
    User mike = user("mike");
    String room = groupWith("r-1", zed, amy, mike);
    User bea = user("bea");
    store.addMember(room, bea.id(), Role.MEMBER, at(1));

    assertThat(store.members(room)).containsExactly(amy, bea, mike, zed);
    assertThat(store.members("r-none")).isEmpty();
  }

  @Test
  void roomIdsOfAndContactsOfFollowMemberships() {
    User alice = user("alice");
    User bob = user("bob");
    User carol = user("carol");
    User dave = user("dave");
    User erin = user("erin");
    groupWith("r-1", alice, bob);
    groupWith("r-2", alice, carol);
    groupWith("r-3", bob, dave);
    store.addMember("r-3", alice.id(), Role.MEMBER, at(1));

    assertThat(store.roomIdsOf(alice.id())).containsExactlyInAnyOrder("r-1", "r-2", "r-3");
    assertThat(store.roomIdsOf(dave.id())).containsExactly("r-3");
    assertThat(store.roomIdsOf(erin.id())).isEmpty();
    assertThat(store.contactsOf(alice.id()))
        .containsExactlyInAnyOrder(bob.id(), carol.id(), dave.id());
    assertThat(store.contactsOf(carol.id())).containsExactly(alice.id());
    assertThat(store.contactsOf(erin.id())).isEmpty();
  }

  @Test
  void markReadMovesForwardOnlyAndClampsToTheLastSeq() {
    User alice = user("alice");
    User bob = user("bob");
    String room = groupWith("r-1", alice, bob);
    String empty = groupWith("r-empty", alice);
    for (int i = 1; i <= 5; i++) {
      send(room, bob, "m" + i, at(i));
    }

    assertThat(store.markRead(room, alice.id(), 3)).isEqualTo(3);
    assertThat(store.markRead(room, alice.id(), 2)).isEqualTo(3);
    assertThat(store.findMembership(room, alice.id()).map(Membership::lastReadSeq)).contains(3L);
    assertThat(store.markRead(room, alice.id(), 99)).isEqualTo(5);
    assertThat(store.findMembership(room, alice.id()).map(Membership::lastReadSeq)).contains(5L);
    assertThat(store.findMembership(room, bob.id()).map(Membership::lastReadSeq)).contains(0L);
    assertThat(store.markRead(empty, alice.id(), 4)).isZero();

    User carol = user("carol");
    assertThatThrownBy(() -> store.markRead(room, carol.id(), 1))
        .isInstanceOf(ChatException.NotFound.class);
    assertThatThrownBy(() -> store.markRead("r-none", alice.id(), 1))
        .isInstanceOf(ChatException.NotFound.class);
  }
}
