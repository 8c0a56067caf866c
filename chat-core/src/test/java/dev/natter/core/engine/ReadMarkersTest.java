package dev.natter.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.natter.core.AuthResult;
import dev.natter.core.model.RoomSummary;
import dev.natter.core.model.User;
import dev.natter.core.protocol.ClientCommand;
import dev.natter.core.protocol.ErrorCode;
import dev.natter.core.protocol.ServerEvent;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReadMarkersTest {
  private Fixture fx;
  private AuthResult alice;
  private AuthResult bob;
  private AuthResult dave;
  private String general;
  private String lounge;
  private Client a;
  private Client bobLaptop;
  private Client bobPhone;
  private Client c;
  private Client d;

  @BeforeEach
  void setUp() {
    fx = Fixture.start();
    alice = fx.register("alice");
    bob = fx.register("bob");
    AuthResult carol = fx.register("carol");
    dave = fx.register("dave");
    general = fx.group(alice, "general", bob, carol).room().id();
    lounge = fx.group(alice, "lounge", dave).room().id();
    a = fx.connect(alice);
    bobLaptop = fx.connect(bob);
    bobPhone = fx.connect(fx.login(bob));
    c = fx.connect(carol);
    d = fx.connect(dave);
    for (int i = 1; i <= 3; i++) {
      a.send(general, "m" + i);
    }
  }

  @AfterEach
  void tearDown() {
    fx.close();
  }

  private RoomSummary summaryOf(User user) {
    return fx.engine.room(user, general);
  }

  private ServerEvent.ReadEvent read(long seq) {
    return new ServerEvent.ReadEvent(general, bob.user(), seq);
  }

  private void barrier() {
    String id = a.send(general, "barrier").messageId();
    for (Client x : List.of(a, bobLaptop, bobPhone, c)) {
      x.conn.awaitMessage(id);
    }
  }

  @Test
  void unreadCountsOthersMessagesAfterTheMarker() {
    assertThat(summaryOf(bob.user()).unread()).isEqualTo(3);
    assertThat(summaryOf(bob.user()).lastReadSeq()).isZero();
    // Own messages are never unread.
    assertThat(summaryOf(alice.user()).unread()).isZero();
    bobLaptop.send(general, "reply");
    assertThat(summaryOf(alice.user()).unread()).isEqualTo(1);
    assertThat(summaryOf(bob.user()).unread()).isEqualTo(3);
    assertThat(fx.engine.rooms(bob.user()))
        .singleElement()
        .satisfies(s -> assertThat(s.unread()).isEqualTo(3));
  }

  @Test
  void readingMovesTheMarkerAndTellsTheRoomAndMyOtherDevices() {
    bobPhone.handle(new ClientCommand.Read(general, 2));

    for (Client x : List.of(a, bobLaptop, bobPhone, c)) {
      assertThat(x.conn.events(ServerEvent.ReadEvent.class)).as("%s", x).containsExactly(read(2));
    }
    assertThat(summaryOf(bob.user()).lastReadSeq()).isEqualTo(2);
    assertThat(summaryOf(bob.user()).unread()).isEqualTo(1);
    assertThat(fx.engine.rooms(bob.user()).get(0).unread()).isEqualTo(1);
    d.conn.awaitMessage(a.send(lounge, "control for dave, who is not in general").messageId());
    assertThat(d.conn.events(ServerEvent.ReadEvent.class)).isEmpty();
  }

  @Test
  void theMarkerOnlyMovesForwardAndNotPastTheEnd() {
    bobLaptop.handle(new ClientCommand.Read(general, 2));
    bobLaptop.handle(new ClientCommand.Read(general, 1)); // backwards: ignored
    bobLaptop.handle(new ClientCommand.Read(general, 2)); // same: ignored
    barrier();
    assertThat(a.conn.events(ServerEvent.ReadEvent.class)).containsExactly(read(2));
    assertThat(summaryOf(bob.user()).lastReadSeq()).isEqualTo(2);

    // Far beyond the end: clamped to the room's last seq (4, the barrier).
    bobLaptop.handle(new ClientCommand.Read(general, 99));
    assertThat(a.conn.events(ServerEvent.ReadEvent.class)).containsExactly(read(2), read(4));
    assertThat(summaryOf(bob.user()).lastReadSeq()).isEqualTo(4);
    assertThat(summaryOf(bob.user()).unread()).isZero();
    assertThat(bobLaptop.conn.events(ServerEvent.Error.class)).isEmpty();
  }

  @Test
  void badReadsAreRejectedAndChangeNothing() {
    bobLaptop.handle(new ClientCommand.Read(general, -1));
    d.handle(new ClientCommand.Read(general, 3));
    bobLaptop.handle(new ClientCommand.Read("no-such-room", 1));

    assertThat(bobLaptop.conn.events(ServerEvent.Error.class))
        .extracting(ServerEvent.Error::code)
        .containsExactly(ErrorCode.BAD_REQUEST, ErrorCode.NOT_FOUND);
    assertThat(d.conn.events(ServerEvent.Error.class))
        .extracting(ServerEvent.Error::code)
        .containsExactly(ErrorCode.FORBIDDEN);
    barrier();
    assertThat(a.conn.events(ServerEvent.ReadEvent.class)).isEmpty();
    assertThat(summaryOf(bob.user()).lastReadSeq()).isZero();
  }

  @Test
  void deletedMessagesAreNotUnread() {
    String last =
        fx.engine.messages(alice.user(), general, null, null, 1).messages().get(0).messageId();
    a.request(new ClientCommand.Delete(Client.newRequestId(), general, last), ServerEvent.Ok.class);

    assertThat(summaryOf(bob.user()).unread()).isEqualTo(2);
  }
}
